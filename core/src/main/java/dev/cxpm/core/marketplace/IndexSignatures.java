package dev.cxpm.core.marketplace;

import dev.cxpm.core.UserError;
import dev.cxpm.core.registry.RegistryClient;
import dev.cxpm.core.registry.RegistryIndex;
import dev.cxpm.core.registry.RegistryKey;
import dev.cxpm.core.registry.RegistryKeys;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What makes a registry's index document trusted: signed over its exact bytes by the pinned key (or by a key the
 * pinned one handed over to), about the plugin asked for, and not older than the one last verified. Every refusal is
 * an INTEGRITY error (exit 5) that names the registry and leaves the cache and Codex home as they were.
 */
final class IndexSignatures {

    private static final String NOTHING = "nothing was installed; the last verified copy is kept. Tell the registry's operators: "
            + "something between you and the registry (or the registry itself) altered its answer";

    private IndexSignatures() {
    }

    /** The pin the fetched document verifies under: this one, or the one a rotation leads to. */
    static RegistryPin verify(RegistryPin pin, RegistryClient.IndexFetch fetched, URI url, String where, Supplier<RegistryKeys> keys) {
        if (pin.unsigned()) {
            return pin;
        }
        RegistryKey.Signed signed = RegistryKey.Signed.parse(fetched.signature()).orElseThrow(() -> new UserError(UserError.Kind.INTEGRITY,
                "the index document from " + where + " is not signed (no valid " + RegistryKey.SIGNATURE_HEADER + " header), and the registry's key "
                        + pin.keyId().orElseThrow() + " is pinned: refused", NOTHING));
        RegistryPin now = pin;
        if (!signed.keyId().equals(pin.keyId().orElseThrow())) {
            now = pin.rotatedTo(keys.get(), signed.keyId(), url);
        }
        if (!now.key().orElseThrow().verifies(RegistryKey.INDEX, fetched.json(), signed.signature())) {
            throw new UserError(UserError.Kind.INTEGRITY, "the index document from " + where + " does not match its signature by key "
                    + signed.keyId() + ": refused", NOTHING);
        }
        return now;
    }

    /**
     * The key id a cached document verifies under: empty when the marketplace is unsigned by choice or was added
     * before cxpm pinned keys, null when it does not verify (then it is no cache).
     */
    static Optional<String> verifyCached(RegistryPin pin, byte[] json, String signatureHeader) {
        if (pin.unsigned() || pin.equals(RegistryPin.NONE)) {
            return Optional.empty();
        }
        Optional<RegistryKey.Signed> signed = RegistryKey.Signed.parse(signatureHeader);
        Optional<RegistryKey> key = signed.flatMap(s -> pin.trusted(s.keyId()));
        return key.isPresent() && key.get().verifies(RegistryKey.INDEX, json, signed.get().signature()) ? Optional.of(key.get().id()) : null;
    }

    /** A signed document about another plugin (swapped in by whoever is in between) is refused. */
    static void refuseOther(RegistryIndex index, String plugin, String where) {
        if (!index.name().equals(plugin)) {
            throw new UserError(UserError.Kind.INTEGRITY, "the index document from " + where + " is signed, but is about `" + index.name()
                    + "`, not `" + plugin + "`: refused", NOTHING);
        }
        if (index.sequence() == RegistryIndex.NO_SEQUENCE) {
            throw new UserError(UserError.Kind.INTEGRITY, "the index document from " + where + " carries no sequence number: refused", NOTHING);
        }
    }

    /**
     * A replay: an older document, signed in its day, served again to undo a yank or hide versions. The sequence only
     * goes up; versions are never deleted and a version's integrity never changes; at the same sequence nothing changes.
     */
    static void refuseReplay(RegistryIndex before, RegistryIndex now, String where) {
        if (before.sequence() == RegistryIndex.NO_SEQUENCE) {
            return; // cached before the registry signed: nothing to compare with
        }
        if (now.sequence() < before.sequence()) {
            throw replay(where, "its sequence " + now.sequence() + " is older than " + before.sequence() + ", already verified");
        }
        for (RegistryIndex.Release r : before.releases()) {
            Optional<RegistryIndex.Release> n = now.exactly(r.version().text());
            if (n.isEmpty()) {
                throw replay(where, "version " + r.version() + ", already verified, is missing from it");
            }
            if (!n.get().integrity().equals(r.integrity())) {
                throw replay(where, "version " + r.version() + " has another integrity than the one already verified");
            }
            if (now.sequence() == before.sequence() && n.get().yanked() != r.yanked()) {
                throw replay(where, "version " + r.version() + " is " + (n.get().yanked() ? "" : "not ") + "yanked at the same sequence "
                        + now.sequence() + " that said otherwise");
            }
        }
        if (now.sequence() == before.sequence() && now.releases().size() != before.releases().size()) {
            throw replay(where, "it lists other versions at the same sequence " + now.sequence());
        }
    }

    private static UserError replay(String where, String why) {
        return new UserError(UserError.Kind.INTEGRITY, "the index document from " + where + " is refused as a replayed or rewritten one: " + why,
                NOTHING);
    }
}
