package dev.cxpm.core.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.registry.RegistryClient;
import dev.cxpm.core.registry.RegistryKey;
import dev.cxpm.core.registry.RegistryKeys;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The key a registry marketplace trusts, pinned when it was added and kept beside it in {@code registry.json}: the
 * registry's current Ed25519 key, and the keys it replaced by rotation (whose signatures cached documents may still
 * carry); or, when the user said {@code --insecure-unsigned} for a registry that predates signing, that choice.
 * {@link #NONE} is a marketplace added before cxpm pinned keys: it pins on its next fetch, as adding it would have.
 */
public record RegistryPin(Optional<RegistryKey> key, List<RegistryKey> retired, boolean unsigned) {

    public static final RegistryPin NONE = new RegistryPin(Optional.empty(), List.of(), false);

    public RegistryPin {
        retired = List.copyOf(retired);
    }

    public static RegistryPin of(RegistryKey key) {
        return new RegistryPin(Optional.of(key), List.of(), false);
    }

    /** The key id to show and to record in cxpm.lock; empty for an unsigned registry. */
    public Optional<String> keyId() {
        return key.map(RegistryKey::id);
    }

    /** Whether a document this key signed may be trusted: the pinned key, or one it rotated away from. */
    Optional<RegistryKey> trusted(String keyId) {
        return key.filter(k -> k.id().equals(keyId)).or(() -> retired.stream().filter(k -> k.id().equals(keyId)).findFirst());
    }

    /** Whether this key id is the pinned key or one it rotated away from. */
    public boolean trusts(String keyId) {
        return trusted(keyId).isPresent();
    }

    /** What adding the registry at url pins now: its current key, or unsigned when it publishes none and the user allowed that. */
    static RegistryPin offered(URI url, boolean allowUnsigned) {
        Optional<RegistryKeys> keys = new RegistryClient(url, null).keys();
        if (keys.isPresent()) {
            return of(keys.get().currentKey());
        }
        if (allowUnsigned) {
            return new RegistryPin(Optional.empty(), List.of(), true);
        }
        throw unsignedRegistry(url);
    }

    static UserError unsignedRegistry(URI url) {
        return new UserError(UserError.Kind.INTEGRITY, "the registry at " + url + " does not sign its answers (no keys at "
                + url + RegistryKey.KEYS_PATH + "), so cxpm cannot tell its index documents from forged ones; nothing was added",
                "upgrade the registry to a cxpm that signs; or, if you accept that risk, run: cxpm marketplace add " + url
                        + " --insecure-unsigned");
    }

    /**
     * The pin after the registry moved from this pin's key to {@code now}: accepted only when the keys it publishes
     * chain from the pinned key to {@code now}, each signed by the one before.
     */
    RegistryPin rotatedTo(RegistryKeys published, String now, URI url) {
        RegistryKey pinned = key.orElseThrow();
        Optional<List<RegistryKey>> chain = published.handedOverFrom(pinned);
        if (chain.isEmpty() || chain.get().isEmpty() || !chain.get().get(chain.get().size() - 1).id().equals(now)) {
            throw new UserError(UserError.Kind.INTEGRITY, "the registry at " + url + " answered with key " + now + ", not the key pinned when it was added ("
                    + pinned.id() + "), and no rotation signed by the pinned key leads to it; nothing was installed",
                    "if the registry's operators replaced its key without a rotation, and you have checked the new key id with them: "
                            + "cxpm marketplace remove, then cxpm marketplace add again");
        }
        List<RegistryKey> old = new ArrayList<>(retired);
        old.add(pinned);
        old.addAll(chain.get().subList(0, chain.get().size() - 1));
        return new RegistryPin(Optional.of(chain.get().get(chain.get().size() - 1)), old, false);
    }

    static RegistryPin read(JsonNode registryJson) {
        if (registryJson.path("unsigned").asBoolean(false)) {
            return new RegistryPin(Optional.empty(), List.of(), true);
        }
        Optional<RegistryKey> key = parse(registryJson.path("key"));
        if (key.isEmpty()) {
            return NONE;
        }
        List<RegistryKey> retired = new ArrayList<>();
        registryJson.path("retiredKeys").forEach(k -> parse(k).ifPresent(retired::add));
        return new RegistryPin(key, retired, false);
    }

    private static Optional<RegistryKey> parse(JsonNode k) {
        return RegistryKey.parse(k.path("publicKey").asText()).filter(key -> key.id().equals(k.path("id").asText()));
    }

    void writeTo(ObjectNode registryJson) {
        registryJson.remove(List.of("key", "retiredKeys", "unsigned"));
        if (unsigned) {
            registryJson.put("unsigned", true);
        }
        key.ifPresent(k -> registryJson.putObject("key").put("id", k.id()).put("publicKey", k.base64()));
        if (!retired.isEmpty()) {
            var a = registryJson.putArray("retiredKeys");
            retired.forEach(k -> a.addObject().put("id", k.id()).put("publicKey", k.base64()));
        }
    }
}
