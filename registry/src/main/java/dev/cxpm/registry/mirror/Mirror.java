package dev.cxpm.registry.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.registry.RegistryClient;
import dev.cxpm.registry.Advisories;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.publish.PublishedPlugin;
import dev.cxpm.registry.storage.RegistryDatabase.AdvisoryRow;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Follows another cxpm registry (upstream, untrusted): lists its plugins through search in pages, fetches each
 * index document with its ETag, downloads each version it does not hold yet to the spool directory (capped at the
 * archive size limit), keeps it only when its sha512 is the integrity the document names, and mirrors yanked,
 * deprecated and advisories. Each plugin and version is refused on its own; a version once stored is never
 * replaced (a different integrity upstream is logged as a conflict); upstream unreachable leaves what is held served.
 */
public final class Mirror implements AutoCloseable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
    /** More plugins than this upstream are not followed (the rest logged): a listing cannot grow the mirror without bound. */
    static final int MAX_PLUGINS = 20_000;
    static final int MAX_VERSIONS = 5_000;
    private static final int PER_PAGE = 100;
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]{1,128}");
    private static final int MAX_ADVISORIES = 1_000;
    private static final System.Logger LOG = System.getLogger(Mirror.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI upstream;
    private final RegistryClient client;
    private final MirrorStore store;
    private final Path spool;
    private final Clock clock;
    private final Map<String, String> etags = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService timer;
    private int refusals;

    public Mirror(URI upstream, Registry registry, Path spool, Clock clock) {
        this.upstream = upstream;
        this.client = new RegistryClient(upstream, null);
        this.store = registry.mirrorStore();
        this.spool = spool;
        this.clock = clock;
        clearSpool();
    }

    /** Downloads a killed process left half-written: never read, so removed before the first pass. */
    private void clearSpool() {
        if (!Files.isDirectory(spool)) {
            return;
        }
        try (var left = Files.newDirectoryStream(spool, "mirror-*.tgz")) {
            for (Path f : left) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot clear the mirror's spool directory " + spool, e);
        }
    }

    public URI upstream() {
        return upstream;
    }

    /** What one pass did: versions added, versions whose state changed, and each refusal (plugin or version: why). */
    public record Report(int plugins, int added, int updated, List<String> refused) {
    }

    /** Syncs now, then every {@code interval}, on a daemon thread; a failed pass is logged and retried at the next. */
    public synchronized void start(Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cxpm-mirror");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                Report r = syncOnce();
                LOG.log(System.Logger.Level.INFO, "mirror of " + upstream + ": " + r.plugins() + " plugin(s), " + r.added() + " version(s) added, "
                        + r.updated() + " changed, " + r.refused().size() + " refused");
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "mirror of " + upstream + " failed; serving what it holds, retrying in " + interval, e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One pass over upstream. Throws only when upstream cannot be listed at all. */
    public synchronized Report syncOnce() {
        List<String> refused = new ArrayList<>();
        Set<String> names = list(refused);
        int added = 0;
        int updated = 0;
        for (String name : names) {
            try {
                int[] counts = plugin(name, refused);
                added += counts[0];
                updated += counts[1];
            } catch (RuntimeException e) {
                refuse(refused, name, e.getMessage());
            }
        }
        return new Report(names.size(), added, updated, refused);
    }

    private Set<String> list(List<String> refused) {
        Set<String> names = new LinkedHashSet<>();
        for (int page = 1; names.size() < MAX_PLUGINS; page++) {
            JsonNode answer = client.search("", null, page, PER_PAGE);
            JsonNode results = answer.path("results");
            if (!results.isArray() || results.isEmpty()) {
                break;
            }
            int before = names.size();
            for (JsonNode r : results) {
                String name = r.path("name").asText("");
                if (!PublishedPlugin.isName(name)) {
                    refuse(refused, shown(name), "not a plugin name");
                } else if (names.size() < MAX_PLUGINS) {
                    names.add(name);
                }
            }
            if (names.size() == before || page * (long) PER_PAGE >= answer.path("total").asLong(0)) {
                break; // a page of nothing new: an upstream repeating itself ends the listing too
            }
        }
        if (names.size() >= MAX_PLUGINS) {
            refuse(refused, "upstream", "lists more than " + MAX_PLUGINS + " plugins; only the first are followed");
        }
        return names;
    }

    /** Syncs one plugin: {added, updated}. */
    private int[] plugin(String name, List<String> refused) {
        RegistryClient.IndexFetch fetch = client.index(name, Optional.ofNullable(etags.get(name)));
        if (fetch.notModified()) {
            return new int[] {0, 0};
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(fetch.json());
        } catch (IOException e) {
            throw new MirrorStore.Refused("its index document is not JSON");
        }
        if (!name.equals(doc.path("name").asText())) {
            throw new MirrorStore.Refused("its index document names another plugin");
        }
        JsonNode versions = doc.path("versions");
        if (!versions.isArray() || versions.size() > MAX_VERSIONS) {
            throw new MirrorStore.Refused("its index document has no versions array or more than " + MAX_VERSIONS);
        }
        int added = 0;
        int updated = 0;
        int problems = refusals;
        for (JsonNode v : versions) {
            String version = v.path("version").asText("");
            try {
                if (!VERSION.matcher(version).matches() || !dev.cxpm.registry.storage.Versions.isValid(version)) {
                    throw new MirrorStore.Refused("not a SemVer version");
                }
                Integrity integrity = integrity(v);
                Optional<VersionRow> held = store.version(name, version);
                if (held.isEmpty()) {
                    add(name, version, integrity, v);
                    added++;
                    held = store.version(name, version);
                } else if (!held.get().integrity().equals(integrity)) {
                    throw new MirrorStore.Refused("upstream now names integrity " + integrity.sri() + " but this mirror holds "
                            + held.get().integrity().sri() + " (versions are immutable: keeping the first)");
                }
                JsonNode dep = v.get("deprecated");
                String deprecated = dep == null || dep.isNull() ? null : bounded(dep.asText(), 2000, "deprecation message");
                if (held.isPresent() && store.state(held.get(), v.path("yanked").asBoolean(false), deprecated)) {
                    updated++;
                }
            } catch (RuntimeException e) {
                refuse(refused, name + "@" + shown(version), e.getMessage());
            }
        }
        store.advisories(name, advisories(name, doc.path("advisories"), refused), clock.instant());
        if (refusals == problems) {
            etags.put(name, fetch.etag()); // a refused item is tried again next pass
        }
        return new int[] {added, updated};
    }

    private static Integrity integrity(JsonNode v) {
        Integrity integrity;
        try {
            integrity = Integrity.parse(v.path("integrity").asText(""));
        } catch (RuntimeException e) {
            throw new MirrorStore.Refused("its integrity is not sha512-BASE64");
        }
        if (!Integrity.SHA512.equals(integrity.algorithm())) {
            throw new MirrorStore.Refused("its integrity is not sha512");
        }
        // only this server's own blob path: the document cannot send the mirror to fetch from elsewhere
        if (!(Registry.BLOB_PATH + integrity.hex()).equals(v.path("tarball").asText())) {
            throw new MirrorStore.Refused("its tarball is not " + Registry.BLOB_PATH + "HEX of its integrity");
        }
        return integrity;
    }

    private void add(String name, String version, Integrity integrity, JsonNode v) {
        Instant publishedAt;
        try {
            publishedAt = Instant.parse(v.path("publishedAt").asText(""));
        } catch (RuntimeException e) {
            throw new MirrorStore.Refused("its publishedAt is not an instant");
        }
        Path tgz = null;
        try {
            Files.createDirectories(spool);
            tgz = Files.createTempFile(spool, "mirror-", ".tgz");
            client.download(Registry.BLOB_PATH + integrity.hex(), tgz, "mirroring " + name + " " + version);
            Integrity got = Integrity.sha512(tgz);
            if (!got.equals(integrity)) {
                throw new MirrorStore.Refused("its blob's sha512 is " + got.sri() + ", not the integrity its index document names");
            }
            store.add(name, version, tgz, integrity, Files.size(tgz), publishedAt, MirrorStore.publisher(v), MirrorStore.source(v));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tgz != null) {
                try {
                    Files.deleteIfExists(tgz);
                } catch (IOException ignored) {
                    // a spool file left behind: removed with the spool directory
                }
            }
        }
    }

    /** Upstream's standing advisories, each checked as an owner's is ({@link Advisories#checked}); a bad one is refused alone. */
    private List<AdvisoryRow> advisories(String plugin, JsonNode list, List<String> refused) {
        List<AdvisoryRow> out = new ArrayList<>();
        if (!list.isArray()) {
            return out;
        }
        for (JsonNode a : list) {
            String id = a.path("id").asText("");
            try {
                if (id.isBlank() || out.size() >= MAX_ADVISORIES) {
                    throw new MirrorStore.Refused(id.isBlank() ? "an advisory without an id" : "more than " + MAX_ADVISORIES + " advisories");
                }
                out.add(Advisories.checked(plugin, new Advisories.Draft(id, a.path("range").asText(null), a.path("severity").asText(null),
                        a.path("summary").asText(null), a.path("url").asText(null)), MirrorStore.PUBLISHER, clock.instant()));
            } catch (RuntimeException e) {
                refuse(refused, plugin + " advisory " + id, e.getMessage());
            }
        }
        return out;
    }

    private static String bounded(String s, int max, String what) {
        if (s.length() > max) {
            throw new MirrorStore.Refused("its " + what + " is longer than " + max + " characters");
        }
        return s;
    }

    private static String shown(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }

    private void refuse(List<String> refused, String item, String why) {
        refusals++;
        String line = shown(item) + ": " + why;
        LOG.log(System.Logger.Level.WARNING, "mirror of " + upstream + " refused " + line);
        if (refused.size() < 1000) {
            refused.add(line);
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
