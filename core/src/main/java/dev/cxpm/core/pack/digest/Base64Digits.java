package dev.cxpm.core.pack.digest;

/**
 * base64's alphabet ({@code A-Z a-z 0-9 + /}, RFC 4648 section 4) read by hand, for the digests' texts checked or turned
 * into hex without the JDK's decoder, which a fresh JVM runs interpreted (a lockfile's 1,000 integrities and approvals:
 * docs/BENCHMARKS.md, wt-coldmain2).
 */
public final class Base64Digits {
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Digits() {
    }

    /** c's value, 0 to 63, or -1 when c is not one of base64's digits. */
    public static int value(char c) {
        return c < VALUES.length ? VALUES[c] : -1;
    }
}
