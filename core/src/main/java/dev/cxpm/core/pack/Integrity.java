package dev.cxpm.core.pack;

import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.digest.Base64Digits;
import dev.cxpm.core.pack.digest.Sha512;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A content hash in the Subresource Integrity form npm uses ({@code sha512-<base64>}): what pack prints,
 * what a lockfile records and what install verifies. Parsed once, so code past the edge holds a value
 * that cannot be malformed. sha256 and sha384 are read too (other tools write them); cxpm writes sha512.
 * The registry addresses its blobs by the same value, written in hex ({@link #hex()}).
 */
public record Integrity(String algorithm, String base64) {

    public static final String SHA512 = "sha512";

    public Integrity {
        if (!isSupported(algorithm)) {
            throw new IllegalArgumentException("unsupported integrity algorithm " + algorithm);
        }
        if (!SHA512.equals(algorithm) || !isSha512Base64(base64)) { // the form cxpm writes is checked by its characters
            checkDecoded(algorithm, base64);
        }
    }

    /** What the decoder reads base64 as: bytes, as many as algorithm's digest has; else an IllegalArgumentException. */
    private static void checkDecoded(String algorithm, String base64) {
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("integrity digest is not base64: " + base64, e);
        }
        if (digest.length != digestLength(algorithm)) {
            throw new IllegalArgumentException("a " + algorithm + " digest has " + digestLength(algorithm)
                    + " bytes, not " + digest.length);
        }
    }

    /** Reads {@code sha512-<base64>}; a malformed value is the user's input, so it is a UserError. */
    public static Integrity parse(String text) {
        String t = text == null ? "" : text.trim();
        int dash = t.indexOf('-');
        if (dash <= 0) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "malformed integrity '" + text + "'",
                    "expected the form sha512-<base64>");
        }
        try {
            return new Integrity(t.substring(0, dash).toLowerCase(Locale.ROOT), t.substring(dash + 1));
        } catch (IllegalArgumentException e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "malformed integrity '" + text + "': " + e.getMessage(),
                    "expected the form sha512-<base64>");
        }
    }

    /** The integrity of a digest already computed with {@link #newSha512()}. */
    public static Integrity of(MessageDigest digest) {
        String algo = digest.getAlgorithm().toLowerCase(Locale.ROOT).replace("-", "");
        return new Integrity(algo, Base64.getEncoder().encodeToString(digest.digest()));
    }

    /** The integrity of a digest computed with {@link Sha512} (no security provider set up: see there). */
    public static Integrity of(Sha512 digest) {
        return new Integrity(SHA512, Base64.getEncoder().encodeToString(digest.digest()));
    }

    public static Integrity sha512(byte[] content) {
        MessageDigest md = newSha512();
        md.update(content);
        return of(md);
    }

    public static Integrity sha512(Path file) {
        return ofFile(SHA512, file);
    }

    /**
     * The sha512 integrity whose digest is written as 128 lower-case hex digits: the form the registry uses in
     * blob URLs, file and object names, where base64's {@code /} and {@code +} would need escaping.
     */
    public static Integrity fromHex(String hex) {
        if (!isSha512Hex(hex)) {
            throw new IllegalArgumentException("not a sha512 hex digest: " + hex);
        }
        return new Integrity(SHA512, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)));
    }

    /** {@link #fromHex} when text is a sha512 hex digest, else empty (a stray file name, say). */
    public static Optional<Integrity> ofHex(String text) {
        return isSha512Hex(text) ? Optional.of(fromHex(text)) : Optional.empty();
    }

    /** 128 lower-case hex digits; by hand, not a Pattern compiled when the class loads (each cold install loads it). */
    private static boolean isSha512Hex(String text) {
        if (text == null || text.length() != 128) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The digest as lower-case hex (see {@link #fromHex}). */
    public String hex() {
        if (!SHA512.equals(algorithm) || !isSha512Base64(base64)) {
            return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
        }
        // each two characters' 12 bits as three hex digits, the last character's low four bits dropped as the decoder drops them
        byte[] hex = new byte[128];
        for (int i = 0, o = 0; o < hex.length; i += 2) {
            int bits = Base64Digits.value(base64.charAt(i)) << 6 | Base64Digits.value(base64.charAt(i + 1));
            hex[o++] = HEX_DIGITS[bits >> 8];
            hex[o++] = HEX_DIGITS[bits >> 4 & 15];
            if (o < hex.length) {
                hex[o++] = HEX_DIGITS[bits & 15];
            }
        }
        return new String(hex, java.nio.charset.StandardCharsets.ISO_8859_1); // one copy: no chars compressed into bytes
    }

    private static final byte[] HEX_DIGITS = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    /**
     * 86 characters of base64's alphabet and {@code ==}: what the decoder reads as 64 bytes (the last character's low four
     * bits, which a canonical encoding leaves 0, dropped). By its characters, not decoded: a fresh JVM's lockfile read
     * checked 1,000 of them through the interpreted decoder (docs/BENCHMARKS.md, wt-coldmain2). Anything else is left to
     * the decoder, which takes some other forms too (no padding, say).
     */
    static boolean isSha512Base64(String text) {
        if (text == null || text.length() != 88 || text.charAt(86) != '=' || text.charAt(87) != '=') {
            return false;
        }
        for (int i = 0; i < 86; i++) {
            if (Base64Digits.value(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The Subresource Integrity form, {@code sha512-<base64>}, as index documents and lockfiles write it. */
    public String sri() {
        return toString();
    }

    public static MessageDigest newSha512() {
        return newDigest(SHA512);
    }

    /** True when the file's content hashes to this value (computed with this value's algorithm). */
    public boolean matches(Path file) {
        return ofFile(algorithm, file).equals(this);
    }

    /** Throws an INTEGRITY error naming the file unless it matches. */
    public void verify(Path file) {
        Integrity actual = ofFile(algorithm, file);
        if (!actual.equals(this)) {
            throw new UserError(UserError.Kind.INTEGRITY, "integrity mismatch for " + file + ": expected " + this
                    + ", got " + actual, "the file is corrupt or was changed; fetch it again");
        }
    }

    /**
     * Written out: a record's own equals and hashCode are bootstrapped through ObjectMethods and method handles on
     * first use, ~4 ms of a cold install, which compares integrities once (docs/BENCHMARKS.md).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Integrity that && algorithm.equals(that.algorithm) && base64.equals(that.base64);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + base64.hashCode();
    }

    @Override
    public String toString() {
        return algorithm + "-" + base64;
    }

    private static Integrity ofFile(String algorithm, Path file) {
        MessageDigest md = newDigest(algorithm);
        byte[] buf = new byte[64 * 1024];
        try {
            dev.cxpm.core.FileText.regularFile(file); // a named pipe's open would wait for a writer, forever
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Integrity(algorithm, Base64.getEncoder().encodeToString(md.digest()));
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance("SHA-" + algorithm.substring(3));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    private static boolean isSupported(String algorithm) {
        return "sha256".equals(algorithm) || "sha384".equals(algorithm) || SHA512.equals(algorithm);
    }

    private static int digestLength(String algorithm) {
        return Integer.parseInt(algorithm.substring(3)) / 8;
    }
}
