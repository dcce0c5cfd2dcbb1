package dev.cxpm.core.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.core.registry.RegistryClient;
import dev.cxpm.core.registry.RegistryIndex;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An index document and when it was fetched; offline when the registry could not be reached and the cache answered,
     * then unreachable says why ("connection refused", "unknown host NAME"), else it is null.
     */
    public record Indexed(RegistryIndex index, Instant fetchedAt, boolean offline, String unreachable) {
        Indexed(RegistryIndex index, Instant fetchedAt, boolean offline) {
            this(index, fetchedAt, offline, null);
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
            Path f = dir(marketplace).resolve("registry.json");
            if (!Files.isRegularFile(f)) {
                return Optional.empty();
            }
            JsonNode n = JSON.readTree(f.toFile());
            return n.path("url").isTextual() ? Optional.of(URI.create(n.path("url").asText())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void remember(String marketplace, URI url, URI codexMarketplace) {
        String json = JSON.createObjectNode().put("url", url.toString()).put("codexMarketplace", codexMarketplace.toString()).toPrettyString();
        write(dir(marketplace).resolve("registry.json"), json.getBytes(StandardCharsets.UTF_8));
    }

    void forget(String marketplace) {
        Trees.delete(dir(marketplace));
    }

    /** The plugin's index, fresh from the registry (revalidated by ETag), else the cached copy when the registry is unreachable. */
    public Indexed index(String marketplace, URI url, String plugin) {
        Path json = indexFile(marketplace, plugin);
        Path etagFile = json.resolveSibling(json.getFileName() + ".etag");
        Optional<Indexed> cached = cached(marketplace, plugin);
        Optional<String> etag = cached.isPresent() ? read(etagFile) : Optional.empty();
        RegistryClient.IndexFetch fetched;
        try {
            fetched = new RegistryClient(url, null).index(plugin, etag);
        } catch (UserError e) {
            if (e.kind() == UserError.Kind.NETWORK && cached.isPresent()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^cannot reach the registry at \\S+: (.*)$").matcher(e.getMessage());
                String why = m.matches() ? m.group(1) : e.getMessage();
                return new Indexed(cached.get().index(), cached.get().fetchedAt(), true, why);
            }
            throw e;
        }
        if (fetched.notModified() && cached.isPresent()) {
            touch(json);
            return new Indexed(cached.get().index(), Instant.now(), false);
        }
        RegistryIndex index = RegistryIndex.parse(fetched.json(), url + "/api/v1/plugins/" + plugin);
        write(json, fetched.json());
        write(etagFile, fetched.etag().getBytes(StandardCharsets.UTF_8));
        return new Indexed(index, Instant.now(), false);
    }

    /** The cached index document, if any, with its age. */
    public Optional<Indexed> cached(String marketplace, String plugin) {
        Path json = indexFile(marketplace, plugin);
        try {
            if (!Files.isRegularFile(json) || Files.size(json) > RegistryClient.MAX_INDEX_BYTES) {
                return Optional.empty(); // what no registry answer could have written is no cache: fetched again
            }
            RegistryIndex index = RegistryIndex.parse(Files.readAllBytes(json), json.toString());
            return Optional.of(new Indexed(index, Files.getLastModifiedTime(json).toInstant(), true));
        } catch (IOException | UserError e) {
            return Optional.empty();
        }
    }

    /** Fetches the index documents of these plugins (and of every one cached before); returns one line per failure. */
    List<String> refresh(String marketplace, URI url, Collection<String> plugins) {
        List<String> names = new ArrayList<>(plugins);
        Path idx = dir(marketplace).resolve("index");
        if (Files.isDirectory(idx)) {
            try (var s = Files.list(idx)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).map(n -> n.substring(0, n.length() - 5))
                        .filter(n -> PluginName.problem(n).isEmpty() && !names.contains(n)).forEach(names::add);
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
            return Files.isRegularFile(f) ? Optional.of(Files.readString(f).strip()).filter(s -> !s.isEmpty()) : Optional.empty();
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
            Path tmp = TempPaths.file(f.getParent(), ".cxpm", ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + f + ": " + e.getMessage(), null, e);
        }
    }
}
