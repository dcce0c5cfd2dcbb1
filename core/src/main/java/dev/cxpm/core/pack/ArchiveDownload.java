package dev.cxpm.core.pack;

import dev.cxpm.core.Stall;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A download of an archive, streamed to a file and cut off at {@link PackLimits#maxArchiveBytes()}:
 * more than any archive cxpm would unpack, whatever the server announced, so a hostile or broken
 * server can neither fill the disk nor the heap before the integrity check; and given up when the
 * bytes stop coming, or come at a trickle ({@link Stall}), so it cannot hold the command either.
 */
public final class ArchiveDownload {
    /** What {@link #save} throws when the bytes stopped coming: the stream was closed under the read. */
    public static final class Stalled extends IOException {
        Stalled(Duration stall) {
            super("less than " + Stall.BYTES_PER_SECOND + " bytes a second came for " + stall.toSeconds() + " seconds");
        }
    }

    private ArchiveDownload() {
    }

    /** Writes in to file (replacing it); false, with nothing left at file, when in holds more than max bytes. */
    public static boolean save(InputStream in, Path file, long max) throws IOException {
        return save(in, file, max, done -> {
        });
    }

    /** As {@link #save(InputStream, Path, long)}, telling {@code saved} the bytes written so far after each chunk. */
    public static boolean save(InputStream in, Path file, long max, LongConsumer saved) throws IOException {
        return save(in, file, max, saved, Stall.TIME);
    }

    /**
     * As {@link #save(InputStream, Path, long, LongConsumer)}; {@link Stalled}, with nothing left at file, when a
     * period of {@code stall} brings less than {@link Stall#BYTES_PER_SECOND} a second ({@link Stall#TIME}; a test's is short).
     */
    public static boolean save(InputStream in, Path file, long max, LongConsumer saved, Duration stall) throws IOException {
        AtomicLong total = new AtomicLong();
        Watch watch = new Watch(in, total, stall);
        boolean done = false;
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (total.addAndGet(n) > max) {
                    return false;
                }
                out.write(buf, 0, n);
                saved.accept(total.get());
            }
            watch.check(); // a close under the read may look like the end
            done = true;
            return true;
        } catch (IOException e) {
            watch.check();
            throw e;
        } finally {
            watch.thread.interrupt();
            if (!done) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Closes the stream when a period brings too few bytes: the only way to end a read blocked on a silent server. */
    private static final class Watch {
        final Thread thread;
        final Duration stall;
        volatile boolean stalled;

        Watch(InputStream in, AtomicLong total, Duration stall) {
            this.stall = stall;
            long least = Math.max(1, stall.toSeconds()) * Stall.BYTES_PER_SECOND;
            this.thread = Thread.ofVirtual().start(() -> {
                try {
                    for (long seen = 0; ; ) {
                        Thread.sleep(stall);
                        long now = total.get();
                        if (now - seen < least) {
                            stalled = true;
                            in.close();
                            return;
                        }
                        seen = now;
                    }
                } catch (InterruptedException | IOException over) {
                    // the download ended first, or the close failed (the read ends or throws all the same)
                }
            });
        }

        void check() throws Stalled {
            if (stalled) {
                throw new Stalled(stall);
            }
        }
    }
}
