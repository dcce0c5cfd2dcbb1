package dev.cxpm.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The sha512 of a packed plugin, the address of its blob. Written {@code sha512-<base64>} in index
 * documents (the form npm and lockfiles use) and as lower-case hex in URLs and file names, where
 * base64's {@code /} and {@code +} would need escaping.
 */
public record Integrity(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{128}");

    public Integrity {
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a sha512 hex digest: " + hex);
        }
    }

    public static Integrity of(byte[] content) {
        try {
            return new Integrity(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(content)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-512", e);
        }
    }

    /** Parses {@code sha512-<base64>} or 128 hex digits; null when it is neither. */
    public static Integrity parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (HEX.matcher(t).matches()) {
            return new Integrity(t);
        }
        if (t.startsWith("sha512-")) {
            try {
                byte[] raw = Base64.getDecoder().decode(t.substring("sha512-".length()));
                return raw.length == 64 ? new Integrity(HexFormat.of().formatHex(raw)) : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /** The Subresource-Integrity form: {@code sha512-<base64>}. */
    public String sri() {
        return "sha512-" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    @Override
    public String toString() {
        return sri();
    }
}
