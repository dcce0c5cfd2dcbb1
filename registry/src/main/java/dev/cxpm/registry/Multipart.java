package dev.cxpm.registry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Just enough of multipart/form-data to take the first file part of a publish form. A boundary
 * is at most 70 characters (RFC 2046), so every search for it is linear in the body; a longer
 * one is refused rather than searched for.
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

    static byte[] firstFile(byte[] body, String boundary) {
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delim, 0);
        while (pos >= 0) {
            int headersStart = pos + delim.length + 2;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0) {
                break;
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1);
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), headersEnd + 4);
            if (next < 0) {
                break;
            }
            if (headers.toLowerCase().contains("filename=")) {
                return Arrays.copyOfRange(body, headersEnd + 4, next);
            }
            pos = next + 2;
        }
        throw new RegistryException(400, "invalid-multipart", "the multipart body has no file part");
    }

    /** Naive, but the needle is at most a boundary and a few bytes long: linear in the body. */
    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
