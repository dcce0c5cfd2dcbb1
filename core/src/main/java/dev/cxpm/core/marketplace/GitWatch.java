package dev.cxpm.core.marketplace;

import dev.cxpm.core.Stall;
import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The bounds cxpm puts on a running git whatever its transport: git's own ({@code GIT_HTTP_LOW_SPEED_*}) hold for
 * http(s) only, and over {@code ssh://}, {@code git@host:} or {@code git://} a remote that took the connection and
 * then said nothing (or a byte a second) held a command for ever, and one that sent without end filled the disk.
 * Progress is what git receives as it shows up here: the bytes it prints and the growth of the directory it writes
 * (the clone); the directory is walked at most every {@link #poll}, and less often when a walk takes long, so the
 * watching costs a small share of the work it watches.
 */
final class GitWatch {
    /** The most a clone (or fetch into one) may write, and git print, unless {@value #MAX_BYTES_VARIABLE} says otherwise. */
    static final long MAX_BYTES = 1L << 30;
    static final String MAX_BYTES_VARIABLE = "CXPM_GIT_MAX_BYTES";

    /** What went past a bound. */
    enum Breach { STALLED, TOO_BIG }

    /**
     * The bounds: under {@code bytesPerSecond} on average for {@code stall} is a stalled remote (0: never), more than
     * {@code maxBytes} written and printed is a remote sending without end.
     */
    record Limits(long bytesPerSecond, Duration stall, long maxBytes) {
        /**
         * From the caller's environment: git's own {@code GIT_HTTP_LOW_SPEED_LIMIT} and {@code GIT_HTTP_LOW_SPEED_TIME}
         * when set (one knob for every transport of git), else {@link Stall#BYTES_PER_SECOND} for {@code stall} ({@link
         * Stall#TIME} but in a test); {@value #MAX_BYTES_VARIABLE}, else {@link #MAX_BYTES}.
         */
        static Limits of(Map<String, String> env, Duration stall) {
            long rate = number(env, "GIT_HTTP_LOW_SPEED_LIMIT").orElse(Stall.BYTES_PER_SECOND);
            Duration time = number(env, "GIT_HTTP_LOW_SPEED_TIME").map(Duration::ofSeconds).orElse(stall);
            long max = number(env, MAX_BYTES_VARIABLE).orElse(MAX_BYTES);
            return new Limits(rate, time.isZero() ? Duration.ofSeconds(1) : time, max);
        }

        private static Optional<Long> number(Map<String, String> env, String name) {
            String v = env.get(name);
            if (v == null) {
                return Optional.empty();
            }
            if (!v.strip().matches("[0-9]{1,18}")) {
                throw new UserError(UserError.Kind.INVALID_INPUT, "$" + name + " is `" + v + "`, not a whole number",
                        "set " + name + " to a number (of " + (name.endsWith("TIME") ? "seconds" : "bytes") + ") or unset it");
            }
            return Optional.of(Long.parseLong(v.strip()));
        }
    }

    private final Limits limits;
    private final Path dir;
    private final LongSupplier printed;
    private final long poll;
    private long progress;
    private long dirBytes;
    private long checkpointProgress;
    private long checkpointNanos;
    private long nextWalk;

    /** dir: what git writes (null: nothing); printed: the bytes read from its pipes so far. */
    GitWatch(Limits limits, Path dir, LongSupplier printed, long startNanos) {
        this.limits = limits;
        this.dir = dir;
        this.printed = printed;
        this.poll = poll(limits.stall()).toNanos();
        this.checkpointNanos = startNanos;
        this.nextWalk = startNanos;
    }

    /** How often to look: a few times within the stall time, at most every second. */
    static Duration poll(Duration stall) {
        Duration quarter = stall.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1)
                : quarter.compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50) : quarter;
    }

    Limits limits() {
        return limits;
    }

    /** A bound passed by now, if any. */
    Optional<Breach> check(long now) {
        if (dir != null && now - nextWalk >= 0) {
            long began = System.nanoTime();
            long bytes = bytesUnder(dir);
            long took = System.nanoTime() - began;
            progress += Math.max(0, bytes - dirBytes); // growth: a file git deletes or renames is no progress either way
            dirBytes = bytes;
            nextWalk = now + Math.max(poll, 10 * took);
        }
        long seen = progress + printed.getAsLong();
        if (dirBytes + printed.getAsLong() > limits.maxBytes()) {
            return Optional.of(Breach.TOO_BIG);
        }
        long elapsed = now - checkpointNanos;
        if (elapsed >= limits.stall().toNanos()) {
            if (limits.bytesPerSecond() > 0 && (seen - checkpointProgress) * 1_000_000_000d / elapsed < limits.bytesPerSecond()) {
                return Optional.of(Breach.STALLED);
            }
            checkpointProgress = seen;
            checkpointNanos = now;
        }
        return Optional.empty();
    }

    /** Once git has exited: whether what it wrote in all is over the bound (a quick transfer ends between two looks). */
    Optional<Breach> finished() {
        long written = dir == null ? 0 : bytesUnder(dir);
        return written + printed.getAsLong() > limits.maxBytes() ? Optional.of(Breach.TOO_BIG) : Optional.empty();
    }

    private static long bytesUnder(Path dir) {
        long[] sum = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    sum[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // git renamed or removed it meanwhile
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // not there yet (git creates it) or gone: nothing written
        }
        return sum[0];
    }
}
