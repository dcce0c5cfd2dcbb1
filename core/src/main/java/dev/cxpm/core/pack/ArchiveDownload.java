package dev.cxpm.core.pack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * A download of an archive, streamed to a file and cut off at {@link PackLimits#maxArchiveBytes()}:
 * more than any archive cxpm would unpack, whatever the server announced, so a hostile or broken
 * server can neither fill the disk nor the heap before the integrity check.
 */
public final class ArchiveDownload {
    private ArchiveDownload() {
    }

    /** Writes in to file (replacing it); false, with nothing left at file, when in holds more than max bytes. */
    public static boolean save(InputStream in, Path file, long max) throws IOException {
        return save(in, file, max, done -> {
        });
    }

    /** As {@link #save(InputStream, Path, long)}, telling {@code saved} the bytes written so far after each chunk. */
    public static boolean save(InputStream in, Path file, long max, LongConsumer saved) throws IOException {
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        boolean done = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
                if (total > max) {
                    return false;
                }
                out.write(buf, 0, n);
                saved.accept(total);
            }
            done = true;
            return true;
        } finally {
            if (!done) {
                Files.deleteIfExists(file);
            }
        }
    }
}
