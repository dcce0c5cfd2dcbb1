package dev.cxpm.core.approve;

import dev.cxpm.core.pack.digest.Base64Digits;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The hash an approval binds to: {@code sha256-} and the base64 of the SHA-256 of a {@link RunSurface}'s canonical
 * text, written as npm writes an integrity. Parsed once from cxpm.lock or the approvals file, so a value that is
 * not exactly 32 bytes of canonical base64 never reaches a comparison.
 */
public final class RunHash {
    private static final String PREFIX = "sha256-";

    private final String text;

    /** text: a run hash already known valid (parsed and checked, or just computed). */
    private RunHash(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public static Optional<RunHash> parse(String text) {
        return valid(text) ? Optional.of(new RunHash(text)) : Optional.empty();
    }

    /**
     * 32 bytes in canonical base64 after the prefix: 43 characters of base64's alphabet, the last of them with its low two
     * bits 0 (the bits past the 256th), then one {@code =}. By its characters: what decoding and encoding again to compare
     * accepted, without the interpreted decoder and encoder on a fresh JVM's read of 1,000 approvals.
     */
    private static boolean valid(String text) {
        if (text == null || !text.startsWith(PREFIX) || text.length() != PREFIX.length() + 44 || text.charAt(text.length() - 1) != '=') {
            return false;
        }
        int value = 0;
        for (int i = PREFIX.length(); i < text.length() - 1; i++) {
            value = Base64Digits.value(text.charAt(i));
            if (value < 0) {
                return false;
            }
        }
        return (value & 3) == 0;
    }

    static RunHash of(String canonical) {
        // Sha256, not MessageDigest: no security providers set up on a cold sync (ColdPathTest)
        byte[] d = new dev.cxpm.core.pack.digest.Sha256().update(canonical.getBytes(StandardCharsets.UTF_8)).digest();
        // 32 bytes in canonical base64, as made: not decoded and encoded again to check it, as a parsed one is
        return new RunHash(PREFIX + java.util.Base64.getEncoder().encodeToString(d));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunHash h && h.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
