package dev.cxpm.core.sync;

import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.format.marketplace.MarketplaceEntry;
import dev.cxpm.core.format.marketplace.InstallPolicy;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.install.PluginTree;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.lock.ResolvedSource;
import dev.cxpm.core.resolve.PluginIndex;
import dev.cxpm.core.resolve.PluginRelease;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.VersionRange;
import dev.cxpm.core.marketplace.RegistryMarketplaces;
import dev.cxpm.core.registry.RegistryIndex;
import dev.cxpm.core.sync.store.LockedContent;
import dev.cxpm.core.sync.store.RemoteSources;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The releases a project can choose from: every plugin of the marketplaces it can see (those in
 * cxpm.toml and those configured in the Codex home). A marketplace offers one version of each
 * plugin, the one its directory holds; a cxpm registry offers every version it published (from its
 * index document; yanked ones only to the lockfile that already pins them). A plugin pinned to a
 * marketplace in cxpm.toml is looked up there only. Plugins with a git source ("url", "git-subdir")
 * are cloned, and npm ones ({@code "npm"}) downloaded, to read them.
 */
public final class ProjectIndex implements PluginIndex {

    /**
     * A marketplace as the index reads it; {@code gitUrl}/{@code commit} set for git clones, {@code registry}
     * for a cxpm registry (whose {@code marketplace} is its Codex git view).
     */
    public record Source(String name, MarketplaceLookup marketplace, Optional<String> gitUrl, Optional<String> commit, Optional<URI> registry) {
    }

    /** Where a release's files are: a directory (a local marketplace or a git checkout), or a registry's published blob. */
    public sealed interface Content {
        record Directory(Path dir) implements Content {
        }

        record RegistryBlob(URI registry, String plugin, RegistryIndex.Release release) implements Content {
        }
    }

    /** A release, where its files are and how the lockfile names that; yanked releases are offered to their lockfile only. */
    public record Found(PluginRelease release, Content content, ResolvedSource source, boolean yanked) {

        /** When it was published, as its registry says; unknown for marketplaces (not held back by a release age). */
        public Optional<java.time.Instant> publishedAt() {
            return content instanceof Content.RegistryBlob b ? Optional.of(b.release().publishedAt()) : Optional.empty();
        }
    }

    private final List<Source> sources;
    private final Map<String, String> pins;
    private final RemoteSources remote;
    private final RegistryMarketplaces registries;
    /** The key that signed the index documents read from each registry marketplace. */
    private final Map<String, String> registryKeys = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, List<Found>> cache = new HashMap<>();
    private final Map<String, Unreachable> unreachable = new java.util.LinkedHashMap<>();

    /** A registry that could not be reached, whose cached index document (fetched at cachedAt) answered instead. */
    public record Unreachable(String marketplace, URI url, String why, java.time.Instant cachedAt) {
    }

    /**
     * remote: fetches plugins whose marketplace entry has a git or npm source; null to offer local entries only.
     * registries: reads (and caches) registry index documents.
     */
    public ProjectIndex(List<Source> sources, Map<String, String> pins, RemoteSources remote, RegistryMarketplaces registries) {
        this.sources = List.copyOf(sources);
        this.pins = Map.copyOf(pins);
        this.remote = remote;
        this.registries = registries;
    }

    public List<Source> sources() {
        return sources;
    }

    /** The id of the key that signed what was read from this registry marketplace; empty for any other (or unsigned). */
    public Optional<String> registryKey(String marketplace) {
        return Optional.ofNullable(registryKeys.get(marketplace));
    }

    /** Whether the registry marketplace trusts this key id (the one it pinned, or one that key rotated away from). */
    public boolean registryTrusts(String marketplace, String keyId) {
        return registries.pin(marketplace).trusts(keyId);
    }

    /** The registries read from their cache so far because they could not be reached, one per marketplace. */
    public List<Unreachable> unreachable() {
        return List.copyOf(unreachable.values());
    }

    /** What new resolution may pick: every release found, yanked ones excepted. */
    @Override
    public List<PluginRelease> releases(String plugin) {
        return found(plugin).stream().filter(f -> !f.yanked()).map(Found::release).toList();
    }

    /** The marketplaces offering the plugin, sorted: a bare name must be in exactly one of them (see {@code add}). */
    public List<String> marketplacesOffering(String plugin) {
        return releases(plugin).stream().map(PluginRelease::origin).distinct().sorted().toList();
    }

    /** The files of a release this index offered. */
    public Found find(PluginRelease release) {
        return found(release.name()).stream().filter(f -> f.release().equals(release)).findFirst()
                .orElseThrow(() -> new IllegalStateException("not offered by this index: " + release));
    }

    /** Every release of the plugin, or of the one with this name in the given marketplace. */
    public List<Found> found(String plugin) {
        if (PluginName.problem(plugin).isPresent()) {
            return List.of(); // no marketplace lists it, and a registry is not asked for a name that is path syntax
        }
        return cache.computeIfAbsent(plugin, this::load);
    }

    /**
     * Whether p's marketplace lists it at the very source its lock entry names, read from the marketplace's own manifest
     * only: then, whatever version sits there, {@link LockedContent#checkSource} has nothing to refuse (another version
     * there is no release to compare with; the locked one is offered from that source), and the plugin's files need not be
     * opened. False sends the caller to {@link #found}, which reads and compares. Local entries only: a registry's
     * index and a remote source say more than the manifest does.
     */
    public boolean listsAtLockedSource(dev.cxpm.core.lock.LockedPlugin p) {
        String pin = pins.get(p.name());
        if (pin != null && !pin.equals(p.marketplace())) {
            return false;
        }
        for (Source s : sources) {
            if (!s.name().equals(p.marketplace()) || s.registry().isPresent()) {
                continue;
            }
            Optional<MarketplaceEntry> entry = s.marketplace().plugin(p.name());
            if (entry.isEmpty() || entry.get().installPolicy() == InstallPolicy.NOT_AVAILABLE
                    || !(entry.get().source() instanceof PluginSource.Local local)) {
                return false;
            }
            ResolvedSource listed = s.gitUrl().isPresent() && s.commit().isPresent()
                    ? new ResolvedSource.GitCommit(s.gitUrl().get(), Optional.of(local.path().substring(2)), s.commit().get())
                    : new ResolvedSource.LocalPath(local.path());
            return LockedContent.sameSource(p, listed);
        }
        return false;
    }

    private List<Found> load(String plugin) {
        List<Found> out = new ArrayList<>();
        String pin = pins.get(plugin);
        for (Source s : sources) {
            if (pin != null && !pin.equals(s.name())) {
                continue;
            }
            Optional<MarketplaceEntry> entry = s.marketplace().plugin(plugin);
            if (s.registry().isPresent()) {
                // the git view lists what was published when it was fetched; a plugin pinned here is asked for anyway
                if (entry.isPresent() || s.name().equals(pin)) {
                    out.addAll(fromRegistry(s, plugin));
                }
                continue;
            }
            if (entry.isEmpty() || entry.get().installPolicy() == InstallPolicy.NOT_AVAILABLE) {
                continue;
            }
            Path dir;
            ResolvedSource source;
            if (entry.get().source() instanceof PluginSource.Local local) {
                dir = s.marketplace().localPluginDir(local);
                if (Files.exists(dir) && !PluginTree.inside(dir, s.marketplace().root())) {
                    // packed from where it points, it would take files from outside the marketplace into the store
                    throw new UserError(UserError.Kind.INVALID_INPUT, "refusing " + plugin + " from marketplace `" + s.name() + "`: "
                            + dir + " is a link to a place outside the marketplace", "copy the plugin into the marketplace instead of linking it");
                }
                source = s.gitUrl().isPresent() && s.commit().isPresent()
                        ? new ResolvedSource.GitCommit(s.gitUrl().get(), Optional.of(local.path().substring(2)), s.commit().get())
                        : new ResolvedSource.LocalPath(local.path());
            } else if (remote != null && entry.get().source() instanceof PluginSource.Npm n) {
                RemoteSources.NpmPackage pkg = remote.npm(n);
                dir = pkg.dir();
                source = new ResolvedSource.Npm(pkg.packageName(), pkg.version());
            } else if (remote != null && (entry.get().source() instanceof PluginSource.Git
                    || entry.get().source() instanceof PluginSource.GitSubdir)) {
                RemoteSources.Checkout c = remote.checkout(entry.get().source()).orElseThrow();
                dir = c.dir();
                Optional<String> sub = entry.get().source() instanceof PluginSource.GitSubdir gs
                        ? Optional.of(gs.path().startsWith("./") ? gs.path().substring(2) : gs.path()) : Optional.empty();
                String url = entry.get().source() instanceof PluginSource.Git g ? g.url() : ((PluginSource.GitSubdir) entry.get().source()).url();
                source = new ResolvedSource.GitCommit(url, sub, c.commit());
            } else {
                continue; // an index without remote sources offers local entries only
            }
            Plugin p;
            try {
                p = Plugin.load(dir);
            } catch (UserError e) {
                continue; // Codex reports a broken entry only at install; the resolver just cannot offer it
            }
            String version = p.version().orElse("local");
            PluginRelease release = new PluginRelease(plugin, PluginVersion.of(version), PluginDependencies.of(p), s.name());
            out.add(new Found(release, new Content.Directory(dir), source, false));
        }
        return out;
    }

    /** Every release the registry published, from its index document (fresh, or the cached copy when it cannot be reached). */
    private List<Found> fromRegistry(Source s, String plugin) {
        URI url = s.registry().orElseThrow();
        RegistryIndex index;
        try {
            RegistryMarketplaces.Indexed indexed = registries.index(s.name(), url, plugin);
            if (indexed.offline() && indexed.unreachable() != null) {
                unreachable.putIfAbsent(s.name(), new Unreachable(s.name(), url, indexed.unreachable(), indexed.fetchedAt()));
            }
            index = indexed.index();
            indexed.keyId().ifPresent(k -> registryKeys.put(s.name(), k));
        } catch (UserError e) {
            if (e.kind() == UserError.Kind.NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
        List<Found> out = new ArrayList<>();
        for (RegistryIndex.Release r : index.releases()) {
            if (!r.version().isSemver()) {
                continue;
            }
            Map<String, VersionRange> deps = new java.util.TreeMap<>();
            for (var d : r.dependencies().entrySet()) {
                deps.put(d.getKey(), VersionRange.parse(d.getValue()).orElseThrow(() -> new UserError(UserError.Kind.INVALID_INPUT,
                        plugin + " " + r.version() + " from " + url + " declares dependency `" + d.getKey() + "` with an invalid range "
                                + VersionRange.quoted(d.getValue()) + ": " + VersionRange.problem(d.getValue()).orElse(""), "ask the plugin's owners to publish a fixed version, or pin another in cxpm.toml")));
            }
            PluginRelease release = new PluginRelease(plugin, r.version(), deps, s.name());
            out.add(new Found(release, new Content.RegistryBlob(url, plugin, r),
                    new ResolvedSource.Registry(url.resolve(r.tarball()).toString()), r.yanked()));
        }
        return out;
    }
}
