package dev.cxpm.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.UserError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What a registry publishes at {@link RegistryKey#KEYS_PATH}: the key it signs with now and every key before it, each
 * after the first signed by the one it replaced. A client trusts only the key it pinned and, through those
 * signatures, the keys that key handed over to: a chain that does not start at the pinned key is nothing.
 */
public record RegistryKeys(String current, List<Entry> keys) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** More keys than anyone rotates through; keeps a hostile answer from making the client walk forever. */
    static final int MAX_KEYS = 64;

    /** One key; signedBy and signature are empty for the registry's first key. */
    public record Entry(RegistryKey key, Optional<String> signedBy, Optional<byte[]> signature) {
    }

    public static RegistryKeys parse(byte[] json, String where) {
        try {
            JsonNode doc = JSON.readTree(json);
            List<Entry> out = new ArrayList<>();
            for (JsonNode k : doc.path("keys")) {
                if (out.size() == MAX_KEYS) {
                    break;
                }
                RegistryKey key = RegistryKey.parse(k.path("publicKey").asText()).orElseThrow(() -> new IOException("a key is not 32 bytes of base64"));
                if (!key.id().equals(k.path("id").asText())) {
                    throw new IOException("key " + k.path("id").asText() + " is not the id of its public key");
                }
                Optional<byte[]> sig = k.path("signature").isTextual() ? Optional.of(Base64.getDecoder().decode(k.path("signature").asText())) : Optional.empty();
                out.add(new Entry(key, k.path("signedBy").isTextual() ? Optional.of(k.path("signedBy").asText()) : Optional.empty(), sig));
            }
            String current = doc.path("current").asText();
            if (out.stream().noneMatch(e -> e.key().id().equals(current))) {
                throw new IOException("it names no current key among its keys");
            }
            return new RegistryKeys(current, List.copyOf(out));
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(UserError.Kind.INTEGRITY, "the registry's keys at " + where + " cannot be read: " + e.getMessage(),
                    "nothing was changed; is this a cxpm registry that signs its answers?");
        }
    }

    public RegistryKey currentKey() {
        return keys.stream().filter(e -> e.key().id().equals(current)).findFirst().orElseThrow().key();
    }

    /**
     * The keys the pinned key handed over to, in order (empty when it is still current or hands over to nothing):
     * each signed by the one before, the first by the pinned key, the last the current one.
     */
    public Optional<List<RegistryKey>> handedOverFrom(RegistryKey pinned) {
        List<RegistryKey> chain = new ArrayList<>();
        RegistryKey at = pinned;
        while (!at.id().equals(current)) {
            RegistryKey from = at;
            Optional<Entry> next = keys.stream().filter(e -> e.signedBy().equals(Optional.of(from.id())) && e.signature().isPresent()
                    && from.verifies(RegistryKey.ROTATION, e.key().raw(), e.signature().get())).findFirst();
            if (next.isEmpty() || chain.contains(next.get().key()) || chain.size() == MAX_KEYS) {
                return Optional.empty();
            }
            chain.add(next.get().key());
            at = next.get().key();
        }
        return Optional.of(chain);
    }
}
