package dev.cxpm.core.marketplace;

import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.HomeLock;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.core.format.marketplace.Marketplace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The marketplaces configured in a Codex home, managed the way {@code codex plugin marketplace} does:
 * one {@code [marketplaces.<name>]} table each in config.toml, local ones used in place, git ones
 * cloned to {@code $CODEX_HOME/.tmp/marketplaces/<name>/}. A marketplace is known by the name in its
 * manifest. Changes hold the home lock; clones are staged and renamed into place.
 */
public final class Marketplaces {

    /** A configured marketplace; manifest is empty (and problem set) when its root cannot be read. */
    public record Configured(String key, CodexConfig.MarketplaceEntry entry, Path root, Optional<Marketplace> manifest,
            Optional<String> problem, Optional<java.net.URI> registry) {
        /** How the user knows the source: {@code registry} for a cxpm registry, else config.toml's source type. */
        public String sourceType() {
            return registry.isPresent() ? "registry" : entry.sourceType();
        }

        /** The registry URL for a registry, else config.toml's source. */
        public String source() {
            return registry.map(Object::toString).orElse(entry.source());
        }

        /** The manifest name, or the config key when the manifest cannot be read. */
        public String name() {
            return manifest.map(Marketplace::name).orElse(key);
        }

        /** When the local copy was last fetched (git) or the manifest last changed (local). */
        public Optional<Instant> fetchedAt() {
            try {
                Path stamp = entry.isGit()
                        ? (Files.exists(root.resolve(MarketplaceClones.INSTALL_RECORD)) ? root.resolve(MarketplaceClones.INSTALL_RECORD) : root.resolve(".git/HEAD"))
                        : manifest.map(Marketplace::manifestFile).orElse(root);
                return Optional.of(Files.getLastModifiedTime(stamp).toInstant());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /** registry: the cxpm registry's URL when the source is one (config.toml then holds its Codex git view). */
    public record Added(String name, Path root, boolean alreadyAdded, CodexConfig.MarketplaceEntry entry, Optional<java.net.URI> registry) {
        public Added(String name, Path root, boolean alreadyAdded, CodexConfig.MarketplaceEntry entry) {
            this(name, root, alreadyAdded, entry, Optional.empty());
        }
    }

    public record Upgraded(List<String> selected, List<Path> upgradedRoots, List<String> errors) {
    }

    public record Removed(String name, Optional<Path> cloneDir) {
    }

    private final CodexHome home;
    private final MarketplaceClones clones;
    private final Duration lockTimeout;
    private final RegistryMarketplaces registries;

    /** Asked about every source before it is added (cloned or written to config.toml); it refuses by throwing. */
    private final java.util.function.Consumer<MarketplaceSource> gate;

    public Marketplaces(CodexHome home, GitCli git, Duration lockTimeout) {
        this(home, git, lockTimeout, source -> {
        });
    }

    public Marketplaces(CodexHome home, GitCli git, Duration lockTimeout, java.util.function.Consumer<MarketplaceSource> gate) {
        this.gate = gate;
        this.home = home;
        this.registries = new RegistryMarketplaces(home);
        this.clones = new MarketplaceClones(home, git);
        this.lockTimeout = lockTimeout;
    }

    public CodexHome home() {
        return home;
    }

    public RegistryMarketplaces registries() {
        return registries;
    }

    /** Adds a marketplace; an http(s) URL a cxpm registry answers is added as a registry (see {@link MarketplaceSource#recognise}). */
    public Added add(MarketplaceSource source, Optional<String> expectedName) {
        return add(source, expectedName, false);
    }

    /**
     * The same; allowUnsigned: a registry that publishes no signing keys is added anyway, recorded as unsigned (the
     * user's explicit choice, {@code --insecure-unsigned}), instead of refused.
     */
    public Added add(MarketplaceSource source, Optional<String> expectedName, boolean allowUnsigned) {
        MarketplaceSource recognised = MarketplaceSource.recognise(source);
        gate.accept(recognised);
        try (HomeLock lock = HomeLock.acquire(home, lockTimeout)) {
            return switch (recognised) {
                case MarketplaceSource.Local local -> addLocal(local, expectedName);
                case MarketplaceSource.Git g -> addGit(g, expectedName);
                case MarketplaceSource.Registry r -> addRegistry(r, expectedName, allowUnsigned);
            };
        }
    }

    /** Codex gets the registry's git view (so it lists and installs from it); cxpm remembers the registry and caches its indexes. */
    private Added addRegistry(MarketplaceSource.Registry r, Optional<String> expectedName, boolean allowUnsigned) {
        // the key first: a registry that cannot be trusted is refused before anything is written
        RegistryPin offered = RegistryPin.offered(r.url(), allowUnsigned);
        Added added = addGit(new MarketplaceSource.Git(r.codexMarketplace().toString(), Optional.empty()), expectedName);
        registries.remember(added.name(), r.url(), r.codexMarketplace(), offered);
        List<String> plugins = Marketplace.open(added.root()).names(PREFETCHED_INDEXES); // not all 100,000 entries' tree
        registries.refresh(added.name(), r.url(), plugins);
        return new Added(added.name(), added.root(), added.alreadyAdded(), added.entry(), Optional.of(r.url()));
    }

    /** Index documents fetched when a registry is added or updated, so info and install work offline; others are fetched on use. */
    private static final int PREFETCHED_INDEXES = 500;

    private Added addLocal(MarketplaceSource.Local local, Optional<String> expectedName) {
        Marketplace m = Marketplace.open(local.root()); // checked and named; its entries not held
        checkName(m.name(), expectedName);
        return record(m.name(), source(local), local.root());
    }

    private Added addGit(MarketplaceSource.Git g, Optional<String> expectedName) {
        Path staged = clones.stage(g);
        try {
            Marketplace m = Marketplace.open(staged);
            checkName(m.name(), expectedName);
            CodexConfig.MarketplaceEntry entry = source(g);
            CodexConfig cfg = home.config();
            CodexConfig.MarketplaceEntry existing = cfg.marketplaces().get(m.name());
            Path dest = home.marketplaceClone(MarketplaceName.of(m.name()));
            if (existing != null && sameSource(existing, entry) && Files.isDirectory(dest)) {
                return new Added(m.name(), dest, true, entry);
            }
            refuseDifferentSource(m.name(), existing, entry);
            clones.replace(dest, staged);
            cfg.withMarketplace(m.name(), entry).write();
            return new Added(m.name(), dest, false, entry);
        } finally {
            Trees.delete(staged.getParent());
        }
    }

    private Added record(String name, CodexConfig.MarketplaceEntry entry, Path root) {
        CodexConfig cfg = home.config();
        CodexConfig.MarketplaceEntry existing = cfg.marketplaces().get(name);
        if (existing != null && sameSource(existing, entry)) {
            return new Added(name, root, true, entry);
        }
        refuseDifferentSource(name, existing, entry);
        cfg.withMarketplace(name, entry).write();
        return new Added(name, root, false, entry);
    }

    /** Codex replaces an entry whose source is gone, and refuses to shadow one that still works. */
    private void refuseDifferentSource(String name, CodexConfig.MarketplaceEntry existing, CodexConfig.MarketplaceEntry entry) {
        if (existing == null) {
            return;
        }
        Path existingRoot = rootOf(name, existing);
        if (Marketplace.findManifest(existingRoot).isPresent()) {
            throw new UserError(UserError.Kind.CONFLICT,
                    "marketplace '" + name + "' is already added from a different source; remove it before adding this source",
                    "run: cxpm marketplace remove " + name + "   (it is configured from " + existing.source() + ")");
        }
    }

    private static boolean sameSource(CodexConfig.MarketplaceEntry a, CodexConfig.MarketplaceEntry b) {
        return a.sourceType().equals(b.sourceType()) && a.source().equals(b.source()) && a.ref().equals(b.ref())
                && a.sparsePaths().equals(b.sparsePaths());
    }

    private static CodexConfig.MarketplaceEntry source(MarketplaceSource s) {
        return s.entry();
    }

    private static void checkName(String actual, Optional<String> expected) {
        if (expected.isPresent() && !expected.get().equals(actual)) {
            throw new UserError(UserError.Kind.CONFLICT, "the marketplace is named `" + actual + "`, not `" + expected.get() + "`",
                    "Codex knows a marketplace by the name in its manifest; drop --name or pass --name " + actual);
        }
    }

    /**
     * Every configured marketplace, in config order of names (sorted), each holding its parsed manifest: for a caller
     * that needs them side by side. One that reads them in turn walks them with {@link #forEach} instead.
     */
    public List<Configured> list() {
        List<Configured> out = new ArrayList<>();
        forEach(out::add);
        return out;
    }

    /**
     * Each configured marketplace in turn, in config order of names, its manifest read just before it is visited and
     * let go after: a walk holds one manifest at a time, however many marketplaces (of however many entries) the home has.
     */
    public void forEach(java.util.function.Consumer<Configured> visit) {
        for (Map.Entry<String, CodexConfig.MarketplaceEntry> e : home.config().marketplaces().entrySet()) {
            visit.accept(read(e.getKey(), e.getValue()));
        }
    }

    /** The marketplace whose manifest is called name (how Codex resolves {@code plugin@marketplace}); the others are let go as read. */
    public Optional<Configured> find(String name) {
        for (Map.Entry<String, CodexConfig.MarketplaceEntry> e : home.config().marketplaces().entrySet()) {
            Configured c = read(e.getKey(), e.getValue());
            if (c.manifest().isPresent() && c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** One configured marketplace with its manifest, or with the problem that keeps it from being read. */
    private Configured read(String key, CodexConfig.MarketplaceEntry entry) {
        Path root;
        try {
            root = rootOf(key, entry);
        } catch (UserError badKey) {
            return new Configured(key, entry, home.configFile(), Optional.empty(), Optional.of(badKey.getMessage()), Optional.empty());
        }
        try {
            Marketplace m = Marketplace.open(root); // its entries read as they are walked, not held
            return new Configured(key, entry, root, Optional.of(m), Optional.empty(), registryOf(key, entry));
        } catch (UserError err) {
            return new Configured(key, entry, root, Optional.empty(), Optional.of(err.getMessage()), registryOf(key, entry));
        }
    }

    /** A git marketplace cxpm recorded as a registry, when config.toml still points at that registry's git view. */
    public Optional<java.net.URI> registryOf(String key, CodexConfig.MarketplaceEntry entry) {
        if (!entry.isGit()) {
            return Optional.empty();
        }
        try {
            Optional<java.net.URI> recorded = registries.url(key).filter(u -> entry.source().equals(u + MarketplaceSource.CODEX_VIEW_PATH));
            if (recorded.isPresent()) {
                return recorded;
            }
            // added by the real Codex CLI from a registry's git view: the path names the registry
            String s = entry.source();
            return (s.startsWith("http://") || s.startsWith("https://")) && s.endsWith(MarketplaceSource.CODEX_VIEW_PATH)
                    ? Optional.of(java.net.URI.create(s.substring(0, s.length() - MarketplaceSource.CODEX_VIEW_PATH.length())))
                    : Optional.empty();
        } catch (UserError | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Where a configured marketplace is read from; a git one's config key names its clone, so a key Codex refuses names none. */
    public Path rootOf(String key, CodexConfig.MarketplaceEntry entry) {
        return entry.isGit() ? home.marketplaceClone(configured(key)) : Path.of(entry.source());
    }

    /** A marketplace name read back from config.toml (its table key), refused with the file when Codex would refuse it. */
    private MarketplaceName configured(String key) {
        Optional<String> problem = MarketplaceName.problem(key);
        if (problem.isPresent()) {
            throw new UserError(UserError.Kind.INVALID_INPUT, home.configFile() + ": " + problem.get(),
                    "remove or rename its [marketplaces] table in config.toml (Codex refuses to list any marketplace while it is there)");
        }
        return MarketplaceName.of(key);
    }

    /** Re-clones git marketplaces whose remote moved (all, or the one named). */
    public Upgraded upgrade(Optional<String> name) {
        try (HomeLock lock = HomeLock.acquire(home, lockTimeout)) {
            Map<String, CodexConfig.MarketplaceEntry> all = home.config().marketplaces();
            List<String> selected = new ArrayList<>();
            if (name.isPresent()) {
                CodexConfig.MarketplaceEntry e = all.get(name.get());
                if (e == null || !e.isGit()) {
                    throw new UserError(UserError.Kind.NOT_FOUND, "marketplace `" + name.get() + "` is not configured as a Git marketplace",
                            "local marketplaces are read in place and need no update; see: cxpm marketplace list");
                }
                selected.add(name.get());
            } else {
                all.forEach((k, e) -> {
                    if (e.isGit()) {
                        selected.add(k);
                    }
                });
            }
            List<Path> upgraded = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (String key : selected) {
                try {
                    clones.upgrade(home.marketplaceClone(configured(key)), all.get(key)).ifPresent(upgraded::add);
                    Optional<java.net.URI> registry = registryOf(key, all.get(key));
                    if (registry.isPresent()) {
                        List<String> plugins = Marketplace.open(home.marketplaceClone(configured(key))).names(PREFETCHED_INDEXES);
                        registries.refresh(key, registry.get(), plugins).forEach(err -> errors.add(key + ": " + err));
                    }
                } catch (UserError e) {
                    if (name.isPresent()) {
                        throw e;
                    }
                    errors.add(key + ": " + e.getMessage());
                }
            }
            return new Upgraded(selected, upgraded, errors);
        }
    }

    /** Removes the config table (and the clone of a git marketplace); installed plugins stay, as in Codex. */
    public Removed remove(String name) {
        Optional<String> invalid = MarketplaceName.problem(name);
        if (invalid.isPresent()) {
            throw new UserError(UserError.Kind.USAGE, invalid.get(), "see the configured ones: cxpm marketplace list");
        }
        try (HomeLock lock = HomeLock.acquire(home, lockTimeout)) {
            CodexConfig cfg = home.config();
            CodexConfig.MarketplaceEntry entry = cfg.marketplaces().get(name);
            if (entry == null) {
                throw new UserError(UserError.Kind.NOT_FOUND, "marketplace `" + name + "` is not configured or installed",
                        "see the configured ones: cxpm marketplace list");
            }
            cfg.withoutMarketplace(name).write();
            registries.forget(name);
            if (entry.isGit()) {
                Path clone = home.marketplaceClone(MarketplaceName.of(name));
                Trees.delete(clone);
                return new Removed(name, Optional.of(clone));
            }
            return new Removed(name, Optional.empty());
        }
    }
}
