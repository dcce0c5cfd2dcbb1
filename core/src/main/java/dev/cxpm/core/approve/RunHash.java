package dev.cxpm.core.approve;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
        // 32 bytes in canonical base64, as made: not decoded and encoded again to check it, as a parsed one is
        return new RunHash(PREFIX + Base64.getEncoder().encodeToString(d));
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
