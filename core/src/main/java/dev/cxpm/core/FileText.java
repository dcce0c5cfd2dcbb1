package dev.cxpm.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A file cxpm reads whole, read as its callers all need it: never more than a bound (a file's size is no promise: a
 * link to {@code /dev/zero} is 0 bytes, a file can grow while read), and decoded as UTF-8 only, refused rather than
 * having its bad bytes replaced.
 */
public final class FileText {

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
     * {@link LinkOption#NOFOLLOW_LINKS} to refuse a file that is a link.
     */
    public static byte[] bytes(Path file, int maxBytes, LinkOption... links) throws IOException {
        try (InputStream in = Files.newInputStream(file, links)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new TooLarge(file, maxBytes);
            }
            return bytes;
        }
    }

    /** The file's text, as {@link #bytes} reads and {@link #utf8} decodes it. */
    public static String read(Path file, int maxBytes) throws IOException {
        return utf8(bytes(file, maxBytes));
    }

    /** The bytes as UTF-8 text; anything not UTF-8 is a CharacterCodingException, not replaced. */
    public static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }
}
