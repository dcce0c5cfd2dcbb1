package dev.cxpm.registry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Just enough of multipart/form-data to take the first file part of a publish form. */
final class Multipart {

    private Multipart() {
    }

    static byte[] firstFile(byte[] body, String contentType) {
        int b = contentType.indexOf("boundary=");
        if (b < 0) {
            throw new RegistryException(400, "invalid-multipart", "multipart body without a boundary");
        }
        String boundary = contentType.substring(b + 9).replace("\"", "").split(";")[0].trim();
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
