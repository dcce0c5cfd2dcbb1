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
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * A file cxpm reads whole, read as its callers all need it: never more than a bound (a file's size is no promise: a
 * link to {@code /dev/zero} is 0 bytes, a file can grow while read), and decoded as UTF-8 only, refused rather than
 * having its bad bytes replaced; and only when it is a regular file, looked at before it is opened (a named pipe
 * would block the open until a writer came, a device would never end).
 */
public final class FileText {

    /** The least a buffer grows to, for a file that reads longer than its size said (one of /proc says 0). */
    private static final int FIRST_READ = 8192;

    /**
     * The most bytes any read whole may hold, whatever bound a caller passes: the largest array a JVM allocates. A bound
     * past it (a long, or {@code Integer.MAX_VALUE}, whose + 1 is negative as an int) reads to this and no further, and
     * a file larger is {@link TooLarge} naming it, not a NegativeArraySizeException or an OutOfMemoryError.
     */
    public static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

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
     * A path that is not a regular file (a pipe, a socket, a device, a directory; a link when links are not followed):
     * not opened, as opening a named pipe to read waits for a writer, forever.
     */
    public static final class NotRegularFile extends IOException {
        private final String what;

        NotRegularFile(Path file, String what) {
            super(file + " must be a regular file; it is " + what);
            this.what = what;
        }

        /** What the path is instead, in a user's words ("a named pipe, socket or device"). */
        public String what() {
            return what;
        }
    }

    /**
     * The file's bytes, when there are at most maxBytes of them; else {@link TooLarge}, having read maxBytes + 1. links:
     * {@link LinkOption#NOFOLLOW_LINKS} to refuse a file that is a link. Looked at once before it is opened (refused
     * unless a regular file, {@link NotRegularFile}), then read until the end in a buffer sized by that look, which grows
     * if the file did; not through an InputStream, whose readNBytes asks the size and position again (an fstat and an
     * lseek) for every file read, and a sync reads one or two a plugin.
     */
    public static byte[] bytes(Path file, long maxBytes, LinkOption... links) throws IOException {
        return bytes(file, regularFile(file, links), maxBytes, links);
    }

    /**
     * The file's attributes, when it is a regular file; else {@link NotRegularFile}: the look {@link #bytes} makes before
     * it opens, for a reader that streams the file instead (an archive, a file hashed).
     */
    public static BasicFileAttributes regularFile(Path file, LinkOption... links) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, links);
        if (!a.isRegularFile()) {
            throw notRegular(file, a);
        }
        return a;
    }

    private static NotRegularFile notRegular(Path file, BasicFileAttributes a) {
        return new NotRegularFile(file, what(a));
    }

    /** What a path that is not a regular file is, in a user's words ("a directory", "a named pipe, socket or device"). */
    public static String what(BasicFileAttributes a) {
        return a.isDirectory() ? "a directory" : a.isSymbolicLink() ? "a symbolic link" : "a named pipe, socket or device";
    }

    /**
     * As {@link #bytes(Path, int, LinkOption...)}, for a caller that has just looked at the file itself (with the same
     * links): what is not a regular file is refused on that look, {@link NotRegularFile}, without a second one. A file
     * swapped for a pipe between the look and the open still blocks the open: Java cannot open without blocking.
     * The size the look saw sizes the first read one byte past it, so a file still of that size is read into one buffer
     * of its size (and the read that finds the end), not into 8 KiB (most files a sync reads are a few hundred bytes,
     * three a plugin: 24 KiB of garbage a plugin, the most any one thing allocated in a sync). A file that grew
     * meanwhile is read on as any other, to the bound.
     */
    public static byte[] bytes(Path file, BasicFileAttributes looked, long bound, LinkOption... links) throws IOException {
        if (!looked.isRegularFile()) {
            throw notRegular(file, looked);
        }
        if (bound < 0) {
            throw new IllegalArgumentException("a negative bound: " + bound);
        }
        int maxBytes = (int) Math.min(bound, MAX_ARRAY_BYTES);
        long sizeHint = looked.size();
        if (maxBytes == MAX_ARRAY_BYTES && sizeHint > maxBytes) {
            throw new TooLarge(file, maxBytes); // no array holds it: refused before a buffer of 2 GiB is allocated for it
        }
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
                    buf = Arrays.copyOf(buf, (int) Math.min(maxBytes + 1L, Math.max(buf.length * 2L, FIRST_READ)));
                }
                int read = in.read(ByteBuffer.wrap(buf, n, buf.length - n));
                if (read < 0) {
                    return n == buf.length ? buf : Arrays.copyOf(buf, n);
                }
                n += read;
                if (n == sizeHint && n < buf.length) {
                    // the size the look saw, short of the buffer's one byte more: a regular file ends there (a read of one
                    // stops short only at its end), so no read to be told so, one system call of every file read whole.
                    // A file that grew fills the buffer and is read on; one of /proc says 0 and a device is not read here
                    return Arrays.copyOf(buf, n);
                }
            }
        }
    }

    /** The file's text, as {@link #bytes} reads and {@link #utf8} decodes it. */
    public static String read(Path file, long maxBytes) throws IOException {
        return utf8(bytes(file, maxBytes));
    }

    /** The bytes as UTF-8 text; anything not UTF-8 is a CharacterCodingException, not replaced. */
    public static String utf8(byte[] bytes) throws CharacterCodingException {
        // String's own decoding replaces what is not UTF-8 with U+FFFD where the strict decoder refuses, and is otherwise
        // the same text: with no U+FFFD in it (an ASCII text is looked at by the JDK's compiled scan alone), it is the
        // answer, without a decoder and its buffers per file or a loop of our own over every byte before it
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }
}
