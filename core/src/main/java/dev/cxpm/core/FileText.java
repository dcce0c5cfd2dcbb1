package dev.cxpm.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A file cxpm reads whole, read as its callers all need it: never more than a bound (a file's size is no promise: a
 * link to {@code /dev/zero} is 0 bytes, a file can grow while read), and decoded as UTF-8 only, refused rather than
 * having its bad bytes replaced.
 */
public final class FileText {

    /** The first read's size: most files cxpm reads whole (manifests, indexes) fit, read with one call and a second at the end. */
    private static final int FIRST_READ = 8192;

    private FileText() {
    }

    /** A file over the bound it was read with: no more of it was read. */
    public static final class TooLarge extends IOException {
        private final long maxBytes;

        TooLarge(Path file, long maxBytes) {
            super(file + " is over " + maxBytes + " bytes");
            this.maxBytes = maxBytes;
        }

        public long maxBytes() {
            return maxBytes;
        }
    }

    /**
     * The file's bytes, when there are at most maxBytes of them; else {@link TooLarge}, having read maxBytes + 1. links:
     * {@link LinkOption#NOFOLLOW_LINKS} to refuse a file that is a link. Read until the end in a buffer that grows, not
     * sized by asking first: an InputStream's readNBytes asks the file's size and position (an fstat and an lseek) for
     * every file read, a sync reads one or two a plugin.
     */
    public static byte[] bytes(Path file, int maxBytes, LinkOption... links) throws IOException {
        return bytes(file, maxBytes, FIRST_READ - 1, links);
    }

    /**
     * As {@link #bytes(Path, int, LinkOption...)}, for a file whose size the caller has just looked at (sizeHint): the
     * first read takes one byte more than that, so a file still of that size is read with one buffer of its size (and the
     * read that finds the end), not into 8 KiB (most files a sync reads are a few hundred bytes, three a plugin: 24 KiB of
     * garbage a plugin, the most any one thing allocated in a sync). A file that grew meanwhile is read on as any other.
     */
    public static byte[] bytes(Path file, int maxBytes, long sizeHint, LinkOption... links) throws IOException {
        OpenOption[] options = new OpenOption[links.length + 1];
        options[0] = StandardOpenOption.READ;
        System.arraycopy(links, 0, options, 1, links.length);
        try (SeekableByteChannel in = Files.newByteChannel(file, options)) {
            byte[] buf = new byte[(int) (sizeHint >= maxBytes ? maxBytes + 1L : Math.max(sizeHint, 0) + 1)];
            int n = 0;
            while (true) {
                if (n == buf.length) {
                    if (n > maxBytes) {
                        throw new TooLarge(file, maxBytes);
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(maxBytes + 1L, buf.length * 2L));
                }
                int read = in.read(ByteBuffer.wrap(buf, n, buf.length - n));
                if (read < 0) {
                    return n == buf.length ? buf : Arrays.copyOf(buf, n);
                }
                n += read;
            }
        }
    }

    /** Whether every byte is below 0x80: ASCII, which UTF-8 decodes byte for byte, each to the char of its value. */
    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** The file's text, as {@link #bytes} reads and {@link #utf8} decodes it. */
    public static String read(Path file, int maxBytes) throws IOException {
        return utf8(bytes(file, maxBytes));
    }

    /** The bytes as UTF-8 text; anything not UTF-8 is a CharacterCodingException, not replaced. */
    public static String utf8(byte[] bytes) throws CharacterCodingException {
        if (ascii(bytes)) { // what nearly every file cxpm reads is: the same text, without a decoder and its buffers per file
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }
}
