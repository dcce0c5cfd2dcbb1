package dev.cxpm.core.codexhome;

import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An inter-process lock on a Codex home, held while cxpm changes it, so parallel cxpm runs never
 * interleave their edits of config.toml and the plugin cache. An OS file lock on
 * {@code $CODEX_HOME/.cxpm.lock} (released by the OS if the process dies), plus an in-process lock
 * because the JVM refuses a second file lock on the same file from another thread.
 */
public final class HomeLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(ReentrantLock threadLock, FileChannel channel, FileLock lock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits up to timeout for the lock; then fails with a CONFLICT error naming the lock file. */
    public static HomeLock acquire(CodexHome home, Duration timeout) {
        Path file = home.lockFile();
        long deadline = System.nanoTime() + timeout.toNanos();
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        try {
            if (!threadLock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw held(file, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw held(file, timeout);
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(home.dir());
            // looked at first, through no link: opening a named pipe to write waits for a reader, forever, and a link
            // would make (and lock) a file elsewhere; the open follows no link either
            try {
                java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (!a.isRegularFile()) {
                    throw new UserError(UserError.Kind.CONFLICT, file + " must be a regular file; it is " + dev.cxpm.core.FileText.what(a),
                            "remove it (cxpm makes it again); nothing was changed");
                }
            } catch (java.nio.file.NoSuchFileException absent) {
                // made by the open below
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            while (true) {
                FileLock l;
                try {
                    l = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null;
                }
                if (l != null) {
                    return new HomeLock(threadLock, channel, l);
                }
                if (System.nanoTime() >= deadline) {
                    throw held(file, timeout);
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            release(threadLock, channel);
            throw new UserError(UserError.Kind.IO, "cannot lock " + file + ": " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(threadLock, channel);
            throw held(file, timeout);
        } catch (RuntimeException e) {
            release(threadLock, channel);
            throw e;
        }
    }

    private static final long MAX_WAIT_SECONDS = 365L * 24 * 3600;

    /** The wait from {@code CXPM_LOCK_TIMEOUT} (seconds), default 60 s. */
    public static Duration timeoutFrom(String value) {
        if (value == null || value.isBlank()) {
            return Duration.ofSeconds(60);
        }
        double seconds;
        try {
            seconds = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        // at most a year: a wait past what a Duration holds in nanoseconds overflowed (1e400 is Infinity)
        if (!(seconds >= 0 && seconds <= MAX_WAIT_SECONDS)) {
            throw new UserError(UserError.Kind.USAGE, "CXPM_LOCK_TIMEOUT must be a number of seconds from 0 to " + MAX_WAIT_SECONDS
                    + ", got '" + value + "'");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static UserError held(Path file, Duration timeout) {
        return new UserError(UserError.Kind.CONFLICT,
                "another cxpm is changing this Codex home (lock " + file + " held for more than " + timeout.toSeconds() + " s)",
                "wait for it to finish and retry, or raise CXPM_LOCK_TIMEOUT (seconds)");
    }

    private static void release(ReentrantLock threadLock, FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a lock channel we could not use; nothing to recover
            }
        }
        threadLock.unlock();
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the OS drops the lock when the channel closes below
        }
        release(threadLock, channel);
    }
}
