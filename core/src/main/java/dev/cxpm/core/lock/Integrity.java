package dev.cxpm.core.lock;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/** The sha512 of a plugin's packed content, written {@code sha512-<base64>} as npm and SRI do. */
public final class Integrity {

    private static final String PREFIX = "sha512-";

    private final byte[] digest;

    private Integrity(byte[] digest) {
        this.digest = digest;
    }

    /** Empty when the text is not {@code sha512-} followed by the base64 of exactly 64 bytes. */
    public static Optional<Integrity> parse(String text) {
        if (!text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            byte[] d = Base64.getDecoder().decode(text.substring(PREFIX.length()));
            return d.length == 64 && Base64.getEncoder().encodeToString(d).equals(text.substring(PREFIX.length()))
                    ? Optional.of(new Integrity(d)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static Integrity of(byte[] content) {
        return new Integrity(sha512().digest(content));
    }

    public static Integrity of(InputStream in) throws IOException {
        MessageDigest md = sha512();
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return new Integrity(md.digest());
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-512", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Integrity i && MessageDigest.isEqual(i.digest, digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return PREFIX + Base64.getEncoder().encodeToString(digest);
    }
}
