package dev.cxpm.core.registry;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A registry's Ed25519 public key (the JDK's own {@code Ed25519}), as a client pins it: the 32 raw bytes and its id,
 * the first 8 bytes of their SHA-256 in hex. What a key signs is always a domain prefix then the bytes
 * ({@link #INDEX} then an index document's exact body, {@link #ROTATION} then the next key's raw bytes), so a
 * signature over one kind of message can never be passed off as the other.
 */
public record RegistryKey(String id, byte[] raw) {

    /** Prefixed to an index document's body bytes before signing. */
    public static final String INDEX = "cxpm-index-v1\n";
    /** Prefixed to a new key's raw bytes when the previous key signs it over. */
    public static final String ROTATION = "cxpm-key-rotation-v1\n";
    /** The response header an index document's signature travels in: {@code KEYID BASE64}. */
    public static final String SIGNATURE_HEADER = "X-Cxpm-Signature";
    /** Where a registry publishes its keys. */
    public static final String KEYS_PATH = "/.well-known/cxpm-keys.json";

    /** What an X.509 SubjectPublicKeyInfo of an Ed25519 key holds before its 32 raw bytes. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    public RegistryKey {
        if (raw.length != 32 || !id.equals(idOf(raw))) {
            throw new IllegalArgumentException("not an Ed25519 key with this id");
        }
        raw = raw.clone();
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    public static RegistryKey of(byte[] raw) {
        return new RegistryKey(idOf(raw), raw);
    }

    /** A key from the base64 of its raw bytes; empty when it is not one. */
    public static Optional<RegistryKey> parse(String base64) {
        try {
            byte[] raw = Base64.getDecoder().decode(base64);
            return raw.length == 32 ? Optional.of(of(raw)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(raw);
    }

    /** The raw 32 bytes of a JDK Ed25519 public key. */
    public static RegistryKey of(PublicKey key) {
        byte[] enc = key.getEncoded();
        return of(Arrays.copyOfRange(enc, enc.length - 32, enc.length));
    }

    public static String idOf(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether signature is this key's over prefix + bytes; false for anything malformed. */
    public boolean verifies(String prefix, byte[] bytes, byte[] signature) {
        try {
            byte[] x509 = new byte[X509_PREFIX.length + 32];
            System.arraycopy(X509_PREFIX, 0, x509, 0, X509_PREFIX.length);
            System.arraycopy(raw, 0, x509, X509_PREFIX.length, 32);
            PublicKey pk = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(pk);
            s.update(prefix.getBytes(StandardCharsets.US_ASCII));
            s.update(bytes);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** An index document's signature as the header carries it: the signing key's id and the signature. */
    public record Signed(String keyId, byte[] signature) {

        public static Optional<Signed> parse(String header) {
            if (header == null) {
                return Optional.empty();
            }
            String[] parts = header.strip().split(" ");
            if (parts.length != 2 || !parts[0].matches("[0-9a-f]{16}") || parts[1].length() > 200) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Signed(parts[0], Base64.getDecoder().decode(parts[1])));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        public String header() {
            return keyId + " " + Base64.getEncoder().encodeToString(signature);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistryKey k && Arrays.equals(raw, k.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return id;
    }
}
