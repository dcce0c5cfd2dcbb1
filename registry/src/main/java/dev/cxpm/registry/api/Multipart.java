package dev.cxpm.registry.api;

import dev.cxpm.registry.RegistryException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Just enough of multipart/form-data to take the first file part of a publish form, read as a stream. A
 * boundary is at most 70 characters (RFC 2046); a longer one is refused before the body is read.
 */
final class Multipart {

    static final int MAX_BOUNDARY = 70;

    private Multipart() {
    }

    /** The boundary of a multipart Content-Type, refused (400) unless RFC 2046 allows it; read before the body. */
    static String boundary(String contentType) {
        int b = contentType.indexOf("boundary=");
        if (b < 0) {
            throw new RegistryException(400, "invalid-multipart", "multipart body without a boundary");
        }
        String boundary = contentType.substring(b + 9).replace("\"", "").split(";")[0].trim();
        if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw new RegistryException(400, "invalid-multipart", "a multipart boundary is 1 to " + MAX_BOUNDARY
                    + " characters (RFC 2046); this one has " + boundary.length());
        }
        return boundary;
    }

    /** Part headers longer than this are not a publish form. */
    private static final int MAX_PART_HEADERS = 16 * 1024;

    /**
     * Copies the content of the first file part (the first part whose headers name a {@code filename}) from the
     * body to {@code out}, reading the body once: memory is a few buffers, whatever the body holds.
     */
    static void copyFirstFile(InputStream body, String boundary, OutputStream out) throws IOException {
        byte[] first = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] endOfHeaders = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        if (!copyUntil(body, first, OutputStream.nullOutputStream(), Long.MAX_VALUE)) {
            throw noFilePart();
        }
        while (true) {
            int a = body.read();
            int b = body.read();
            if (a != '\r' || b != '\n') { // "--" closes the body; anything else is not multipart
                throw noFilePart();
            }
            ByteArrayOutputStream headers = new ByteArrayOutputStream();
            // the part's headers start right after the boundary line: an empty header block ends at once
            if (!copyUntil(new SequenceInputStream(new ByteArrayInputStream("\r\n".getBytes(StandardCharsets.ISO_8859_1)), body),
                    endOfHeaders, headers, MAX_PART_HEADERS)) {
                throw new RegistryException(400, "invalid-multipart", "a part's headers do not end within " + MAX_PART_HEADERS + " bytes");
            }
            boolean file = headers.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("filename=");
            if (!copyUntil(body, delimiter, file ? out : OutputStream.nullOutputStream(), Long.MAX_VALUE)) {
                throw new RegistryException(400, "invalid-multipart", "the multipart body ends inside a part");
            }
            if (file) {
                return;
            }
        }
    }

    private static RegistryException noFilePart() {
        return new RegistryException(400, "invalid-multipart", "the multipart body has no file part");
    }

    /**
     * Copies bytes to {@code sink} until {@code needle} has been read (not copied); false at the end of the input
     * or past {@code max} bytes copied. Knuth-Morris-Pratt: each byte is looked at a bounded number of times,
     * so the cost is linear in the body whatever the needle and the body hold.
     */
    private static boolean copyUntil(InputStream in, byte[] needle, OutputStream sink, long max) throws IOException {
        int[] fallback = new int[needle.length];
        for (int i = 1, k = 0; i < needle.length; i++) {
            while (k > 0 && needle[i] != needle[k]) {
                k = fallback[k - 1];
            }
            if (needle[i] == needle[k]) {
                k++;
            }
            fallback[i] = k;
        }
        long copied = 0;
        int matched = 0;
        int c;
        while ((c = in.read()) >= 0) {
            while (matched > 0 && c != (needle[matched] & 0xff)) {
                int keep = fallback[matched - 1];
                sink.write(needle, 0, matched - keep); // the start of a false match is content after all
                copied += matched - keep;
                matched = keep;
            }
            if (c == (needle[matched] & 0xff)) {
                if (++matched == needle.length) {
                    return true;
                }
            } else {
                sink.write(c);
                copied++;
            }
            if (copied > max) {
                return false;
            }
        }
        return false;
    }
}
