package dev.cxpm.registry.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.FileText;
import dev.cxpm.core.registry.RegistryKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The registry's Ed25519 signing key, in one JSON file only its owner may read (0600): the current private key and
 * the public history (every earlier public key, each later one signed by the one before). Generated on first start
 * into the data directory; servers sharing a database are given the same file ({@code serve --signing-key}), since a
 * client pins one key. {@link #rotate} makes a new key the old one signs over; earlier private keys are not kept.
 */
public final class SigningKeys {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A key file holds a private key and every public key it rotated through: 1 MB is some 10,000 rotations. */
    static final int MAX_BYTES = 1 << 20;

    private final PrivateKey privateKey;
    private final RegistryKey current;
    private final ObjectNode published;

    private SigningKeys(PrivateKey privateKey, RegistryKey current, ObjectNode published) {
        this.privateKey = privateKey;
        this.current = current;
        this.published = published;
    }

    /** The key in file, made there (0600) when there is none yet. */
    public static SigningKeys loadOrCreate(Path file, Instant now) {
        if (!Files.exists(file)) {
            KeyPair pair = generate();
            ObjectNode doc = JSON.createObjectNode();
            doc.put("privateKey", Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            doc.putArray("keys").add(entry(RegistryKey.of(pair.getPublic()), now));
            try {
                write(file, doc, false);
            } catch (FileAlreadyExistsException e) {
                // another server made it first: use theirs
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the signing key " + file + ": " + e.getMessage(), e);
            }
        }
        return load(file);
    }

    public static SigningKeys load(Path file) {
        byte[] bytes = read(file);
        try {
            JsonNode doc = JSON.readTree(bytes);
            PrivateKey priv = KeyFactory.getInstance("Ed25519").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(doc.path("privateKey").asText())));
            ArrayNode keys = (ArrayNode) doc.path("keys");
            RegistryKey current = RegistryKey.parse(keys.get(keys.size() - 1).path("publicKey").asText()).orElseThrow();
            SigningKeys k = new SigningKeys(priv, current, published(keys, current));
            byte[] probe = "probe".getBytes(StandardCharsets.US_ASCII);
            if (!current.verifies(RegistryKey.INDEX, probe, k.sign(probe).signature())) {
                throw new IllegalArgumentException("its private key is not the last public key's");
            }
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing key " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the signing key " + file + " is not one cxpm wrote: " + e.getMessage(), e);
        }
    }

    /**
     * The key file's bytes: an operator's file, which a mistake can leave a named pipe (whose open would wait for a writer,
     * forever, so the server never started) or anything of any size; a key file holds some 100 bytes a key.
     */
    private static byte[] read(Path file) {
        try {
            return FileText.bytes(file, MAX_BYTES);
        } catch (FileText.NotRegularFile e) {
            throw new IllegalArgumentException("the signing key " + e.getMessage(), e);
        } catch (FileText.TooLarge e) {
            throw new IllegalArgumentException("the signing key " + file + " is larger than the " + MAX_BYTES
                    + " bytes a signing key file holds: not one cxpm wrote", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing key " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the key in file with a new one the current key signs over; returns the new keys. */
    public static SigningKeys rotate(Path file, Instant now) {
        SigningKeys old = load(file);
        try {
            JsonNode doc = JSON.readTree(read(file));
            KeyPair pair = generate();
            RegistryKey next = RegistryKey.of(pair.getPublic());
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(old.privateKey);
            s.update(RegistryKey.ROTATION.getBytes(StandardCharsets.US_ASCII));
            s.update(next.raw());
            ObjectNode out = JSON.createObjectNode();
            out.put("privateKey", Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            ArrayNode keys = out.putArray("keys");
            doc.path("keys").forEach(keys::add);
            keys.add(entry(next, now).put("signedBy", old.current.id()).put("signature", Base64.getEncoder().encodeToString(s.sign())));
            write(file, out, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rotate the signing key " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return load(file);
    }

    public RegistryKey current() {
        return current;
    }

    /** The signature of an index document's exact body bytes, as the {@link RegistryKey#SIGNATURE_HEADER} header carries it. */
    public RegistryKey.Signed sign(byte[] body) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(RegistryKey.INDEX.getBytes(StandardCharsets.US_ASCII));
            s.update(body);
            return new RegistryKey.Signed(current.id(), s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@link RegistryKey#KEYS_PATH} answers: the current key's id and every public key. */
    public byte[] publishedJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(published);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode published(ArrayNode keys, RegistryKey current) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("current", current.id());
        ArrayNode out = doc.putArray("keys");
        for (JsonNode k : keys) {
            RegistryKey key = RegistryKey.parse(k.path("publicKey").asText()).orElseThrow();
            ObjectNode o = out.addObject().put("id", key.id()).put("algorithm", "ed25519").put("publicKey", key.base64());
            o.put("created", k.path("created").asText());
            if (k.path("signedBy").isTextual()) {
                o.put("signedBy", k.path("signedBy").asText()).put("signature", k.path("signature").asText());
            }
        }
        return doc;
    }

    private static ObjectNode entry(RegistryKey key, Instant now) {
        return JSON.createObjectNode().put("id", key.id()).put("publicKey", key.base64()).put("created", now.toString());
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Written to a 0600 temp file beside it and moved into place: never readable by others, never half written. */
    private static void write(Path file, ObjectNode doc, boolean replace) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
            if (replace) {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.createLink(file, tmp); // fails when another process made the file meanwhile
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
