package dev.cxpm.core.approve;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The hash an approval binds to: {@code sha256-} and the base64 of the SHA-256 of a {@link RunSurface}'s canonical
 * text, written as npm writes an integrity. Parsed once from cxpm.lock or the approvals file, so a value that is
 * not exactly 32 bytes of canonical base64 never reaches a comparison.
 */
public record RunHash(String text) {
    private static final String PREFIX = "sha256-";

    public RunHash {
        if (!valid(text)) {
            throw new IllegalArgumentException("not a run hash: " + text);
        }
    }

    public static Optional<RunHash> parse(String text) {
        return valid(text) ? Optional.of(new RunHash(text)) : Optional.empty();
    }

    private static boolean valid(String text) {
        if (text == null || !text.startsWith(PREFIX) || text.length() != PREFIX.length() + 44) {
            return false;
        }
        String b64 = text.substring(PREFIX.length());
        try {
            byte[] raw = Base64.getDecoder().decode(b64);
            return raw.length == 32 && Base64.getEncoder().encodeToString(raw).equals(b64);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static RunHash of(String canonical) {
        // Sha256, not MessageDigest: no security providers set up on a cold sync (ColdPathTest)
        byte[] d = new dev.cxpm.core.pack.digest.Sha256().update(canonical.getBytes(StandardCharsets.UTF_8)).digest();
        return new RunHash(PREFIX + Base64.getEncoder().encodeToString(d));
    }

    /** Written out: a record's generated equals is bootstrapped through ObjectMethods on first use (ColdPathTest). */
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
