package dev.cxpm.core.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.FileText;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.registry.RegistryClient;
import dev.cxpm.core.registry.RegistryIndex;
import dev.cxpm.core.registry.RegistryKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which configured marketplaces are cxpm registries, and their cached index documents. config.toml
 * records a registry marketplace as Codex's {@code git} source on the registry's Codex git view, so
 * the real Codex CLI lists and installs from it; cxpm remembers beside it, in
 * {@code $CODEX_HOME/.cxpm/registries/<marketplace>/}, the registry's URL, and keeps each plugin's
 * index document (with its ETag) there so info and install work offline with the cache's age shown.
 */
public final class RegistryMarketplaces {

    /** Made on first use: a cold command that never reads a registry's JSON does not pay for an ObjectMapper. */
    private static final class Lazy {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private static ObjectMapper json() {
        return Lazy.JSON;
    }

    /**
     * An index document and when it was fetched; offline when the registry could not be reached and the cache answered,
     * then unreachable says why ("connection refused", "unknown host NAME"), else it is null.
     */
    public record Indexed(RegistryIndex index, Instant fetchedAt, boolean offline, String unreachable, Optional<String> keyId) {
        Indexed(RegistryIndex index, Instant fetchedAt, boolean offline, Optional<String> keyId) {
            this(index, fetchedAt, offline, null, keyId);
        }
    }

    private final CodexHome home;

    public RegistryMarketplaces(CodexHome home) {
        this.home = home;
    }

    private Path dir(String marketplace) {
        return home.registryDir(MarketplaceName.of(marketplace));
    }

    /** The registry URL behind a marketplace, when it is one cxpm added as a registry. */
    public Optional<URI> url(String marketplace) {
        try {
            JsonNode n = registryJson(marketplace);
            return n.path("url").isTextual() ? Optional.of(URI.create(n.path("url").asText())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The key the marketplace trusts ({@link RegistryPin#NONE} when it is no registry or was added before cxpm pinned keys). */
    public RegistryPin pin(String marketplace) {
        try {
            return RegistryPin.read(registryJson(marketplace));
        } catch (IOException | RuntimeException e) {
            return RegistryPin.NONE;
        }
    }

    /**
     * Records the registry behind a marketplace and the key it pins. Adding again the registry already added keeps
     * its pinned key unless the registry rotated away from it ({@link RegistryPin#rotatedTo}); a pinned registry that
     * stopped signing is refused.
     */
    void remember(String marketplace, URI url, URI codexMarketplace, RegistryPin offered) {
        RegistryPin existing = url(marketplace).filter(url::equals).map(u -> pin(marketplace)).orElse(RegistryPin.NONE);
        RegistryPin pin = offered;
        if (existing.key().isPresent()) {
            if (offered.unsigned()) {
                throw stoppedSigning(url, existing);
            }
            pin = existing.key().equals(offered.key()) ? existing : existing.rotatedTo(keys(url), offered.keyId().orElseThrow(), url);
        }
        savePin(marketplace, url, codexMarketplace, pin);
    }

    private void savePin(String marketplace, URI url, URI codexMarketplace, RegistryPin pin) {
        com.fasterxml.jackson.databind.node.ObjectNode json = json().createObjectNode().put("url", url.toString())
                .put("codexMarketplace", codexMarketplace.toString());
        pin.writeTo(json);
        write(dir(marketplace).resolve("registry.json"), json.toPrettyString().getBytes(StandardCharsets.UTF_8));
    }

    private void savePin(String marketplace, URI url, RegistryPin pin) {
        URI codex = URI.create(url + "/codex/marketplace.git");
        try {
            JsonNode n = registryJson(marketplace);
            if (n.path("codexMarketplace").isTextual()) {
                codex = URI.create(n.path("codexMarketplace").asText());
            }
        } catch (IOException | RuntimeException e) {
            // the default view path, as every cxpm registry serves it
        }
        savePin(marketplace, url, codex, pin);
    }

    /** What {@link #savePin} recorded (an IOException when there is no such record: no registry marketplace). */
    private JsonNode registryJson(String marketplace) throws IOException {
        byte[] bytes = FileText.bytes(dir(marketplace).resolve("registry.json"), JsonFile.MAX_BYTES);
        return json().readTree(bytes); // (only then: most marketplaces are no registry's, and a first mapper costs a cold install)
    }

    private static RegistryKeys keys(URI url) {
        return new RegistryClient(url, null).keys().orElseThrow(() -> RegistryPin.unsignedRegistry(url));
    }

    private static UserError stoppedSigning(URI url, RegistryPin pinned) {
        return new UserError(UserError.Kind.INTEGRITY, "the registry at " + url + " was pinned to key " + pinned.keyId().orElse("?")
                + " but now publishes no keys: its answers cannot be trusted; nothing was installed",
                "tell the registry's operators; do not remove and re-add it unless they confirm the change");
    }

    void forget(String marketplace) {
        Trees.delete(dir(marketplace));
    }

    /**
     * The plugin's index, fresh from the registry (revalidated by ETag), else the cached copy when the registry is
     * unreachable. A fresh document must be signed by the pinned key (or one a rotation signed by it leads to) and must
     * not be older than the one cached ({@link IndexSignatures}); else INTEGRITY, and the cache keeps the last good one.
     */
    public Indexed index(String marketplace, URI url, String plugin) {
        Path json = indexFile(marketplace, plugin);
        Path etagFile = json.resolveSibling(json.getFileName() + ".etag");
        Optional<Indexed> cached = cached(marketplace, plugin);
        RegistryClient.IndexFetch fetched;
        RegistryPin pin;
        try {
            pin = pin(marketplace);
            if (pin.equals(RegistryPin.NONE)) {
                pin = RegistryPin.offered(url, false); // added before cxpm pinned keys: pinned now, as adding it does
            }
            // revalidated only when the cache is signed by the key now pinned: after a rotation it is fetched whole
            Optional<String> etag = cached.isPresent() && cached.get().keyId().equals(pin.keyId()) ? read(etagFile) : Optional.empty();
            fetched = new RegistryClient(url, null).index(plugin, etag);
        } catch (UserError e) {
            if (e.kind() == UserError.Kind.NETWORK && cached.isPresent()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^cannot reach the registry at \\S+: (.*)$").matcher(e.getMessage());
                String why = m.matches() ? m.group(1) : e.getMessage();
                return new Indexed(cached.get().index(), cached.get().fetchedAt(), true, why, cached.get().keyId());
            }
            throw e;
        }
        if (fetched.notModified() && cached.isPresent()) {
            touch(json);
            return new Indexed(cached.get().index(), Instant.now(), false, cached.get().keyId());
        }
        String where = url + "/api/v1/plugins/" + plugin;
        RegistryPin verifiedBy = IndexSignatures.verify(pin, fetched, url, where, () -> keys(url));
        RegistryIndex index;
        try {
            index = RegistryIndex.parse(fetched.json(), where);
        } catch (UserError e) { // which marketplace, beside the URL: the one the user added and can update or remove
            throw new UserError(e.kind(), "marketplace `" + marketplace + "`: " + e.getMessage(), e.hint());
        }
        if (!pin.unsigned()) {
            IndexSignatures.refuseOther(index, plugin, where);
            cached.ifPresent(c -> IndexSignatures.refuseReplay(c.index(), index, where));
        }
        if (!verifiedBy.equals(pin(marketplace))) {
            savePin(marketplace, url, verifiedBy);
        }
        write(json, fetched.json());
        write(sigFile(json), fetched.signature() == null ? new byte[0] : fetched.signature().getBytes(StandardCharsets.US_ASCII));
        write(etagFile, fetched.etag().getBytes(StandardCharsets.UTF_8));
        return new Indexed(index, Instant.now(), false, verifiedBy.keyId());
    }

    private static Path sigFile(Path json) {
        return json.resolveSibling(json.getFileName() + ".sig");
    }

    /**
     * The cached index document, if any, with its age: verified again against the pinned key (or a key it rotated away
     * from), so a cache edited on disk is no cache.
     */
    public Optional<Indexed> cached(String marketplace, String plugin) {
        Path json = indexFile(marketplace, plugin);
        try {
            if (!Files.isRegularFile(json)) {
                return Optional.empty();
            }
            // what no registry answer could have written is no cache (FileText.TooLarge): fetched again
            byte[] bytes = FileText.bytes(json, RegistryClient.MAX_INDEX_BYTES);
            Optional<String> keyId = IndexSignatures.verifyCached(pin(marketplace), bytes, read(sigFile(json)).orElse(null));
            if (keyId == null) {
                return Optional.empty();
            }
            RegistryIndex index = RegistryIndex.parse(bytes, json.toString());
            if (keyId.isPresent() && !index.name().equals(plugin)) {
                return Optional.empty();
            }
            return Optional.of(new Indexed(index, Files.getLastModifiedTime(json).toInstant(), true, keyId));
        } catch (IOException | UserError e) {
            return Optional.empty();
        }
    }

    /** Fetches the index documents of these plugins (and of every one cached before); returns one line per failure. */
    List<String> refresh(String marketplace, URI url, Collection<String> plugins) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>(plugins); // not a list's contains per cached index: N^2
        Path idx = dir(marketplace).resolve("index");
        if (Files.isDirectory(idx)) {
            try (var s = Files.list(idx)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).map(n -> n.substring(0, n.length() - 5))
                        .filter(n -> PluginName.problem(n).isEmpty()).forEach(names::add);
            } catch (IOException e) {
                // only costs a refetch later
            }
        }
        List<String> errors = new ArrayList<>();
        for (String p : names) {
            try {
                Indexed i = index(marketplace, url, p);
                if (i.offline()) {
                    errors.add(p + ": the registry could not be reached; kept the copy from " + i.fetchedAt());
                }
            } catch (UserError e) {
                errors.add(p + ": " + e.getMessage());
            }
        }
        return errors;
    }

    private Path indexFile(String marketplace, String plugin) {
        return dir(marketplace).resolve("index").resolve(PluginName.of(plugin).text() + ".json");
    }

    private static Optional<String> read(Path f) {
        try {
            return Files.isRegularFile(f) ? Optional.of(FileText.read(f, JsonFile.MAX_BYTES).strip()).filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void touch(Path f) {
        try {
            Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(Instant.now()));
        } catch (IOException e) {
            // the age shown is then older than it is; nothing else depends on it
        }
    }

    private static void write(Path f, byte[] bytes) {
        try {
            Files.createDirectories(f.getParent());
            TempPaths.replace(f, ".cxpm", bytes);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + f + ": " + e.getMessage(), null, e);
        }
    }
}
