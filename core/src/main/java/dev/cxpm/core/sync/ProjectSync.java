package dev.cxpm.core.sync;

import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.HomeLock;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.format.Marketplace;
import dev.cxpm.core.install.PluginCache;
import dev.cxpm.core.lock.LockCheck;
import dev.cxpm.core.marketplace.MarketplaceSource;
import dev.cxpm.core.marketplace.Marketplaces;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Unpacker;
import dev.cxpm.core.project.MarketplaceDecl;
import dev.cxpm.core.project.PluginRequirement;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.resolve.PluginRelease;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.Resolution;
import dev.cxpm.core.resolve.Resolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes a Codex home match a project's cxpm.toml and cxpm.lock. In three phases, so that a failure
 * changes nothing: (1) resolve, when the lockfile is missing, disagrees with cxpm.toml or an update
 * was asked for; (2) bring every plugin that is not installed yet into the store and check its
 * integrity against the lockfile; (3) under the Codex home lock, move the unpacked plugins into
 * Codex's cache, set their {@code [plugins."id"]} tables, remove what this project installed and no
 * longer needs, then write the lockfile. Plugins installed some other way are left alone.
 */
public final class ProjectSync {

    public enum Action { INSTALL, UPDATE, REMOVE, ENABLE, DISABLE, REPAIR }

    /** One change made to the Codex home. */
    public record Change(Action action, String plugin, String marketplace, Optional<String> from, Optional<String> to) {
        public String id() {
            return plugin + "@" + marketplace;
        }
    }

    /** How the lockfile changed: versions before and after (empty for added/removed plugins). */
    public record LockChange(String plugin, Optional<String> from, Optional<String> to) {
    }

    /**
     * @param frozen    fail, changing nothing, unless cxpm.lock answers cxpm.toml and every integrity matches
     * @param update    plugins to move to the newest version in range (their locked version is not preferred)
     * @param updateAll move every plugin
     * @param verify    re-check the files of installed plugins and reinstall the ones edited by hand
     */
    public record Options(boolean frozen, Set<String> update, boolean updateAll, boolean verify) {
        public static Options plain() {
            return new Options(false, Set.of(), false, false);
        }
    }

    /**
     * warnings: what newly installed plugins need on this machine and is missing (they are installed all the same), and
     * links left out of plugins brought into the store.
     */
    public record Result(Lockfile lock, boolean lockWritten, List<LockChange> lockChanges, List<Change> changes,
            List<Doctor.Finding> warnings) {
    }

    private final Path projectDir;
    private final CodexHome home;
    private final Store store;
    private final Duration lockTimeout;
    private final Marketplaces marketplaces;
    private final Map<String, String> env;
    private final Path callerDir;
    private final RemoteSources remoteSources;
    private final dev.cxpm.core.marketplace.GitCli git;
    private final PluginCache cache;
    private final List<Doctor.Finding> leftOut = new ArrayList<>();
    /** The project's marketplaces could not be read this run: no source is compared (see {@link #offered}). */
    private boolean marketplacesUnreadable;

    /**
     * @param marketplaces clones the git marketplaces cxpm.toml declares that the home lacks, as `marketplace add` does
     * @param git          git in the caller's environment and directory, for plugin sources and the locked commits
     * @param env          the caller's environment, which prerequisites are checked against (PATH, variables)
     * @param callerDir    the caller's directory, against which relative PATH entries are found
     */
    public ProjectSync(Path projectDir, CodexHome home, Store store, Duration lockTimeout, Marketplaces marketplaces,
            dev.cxpm.core.marketplace.GitCli git, Map<String, String> env, Path callerDir) {
        this.env = env;
        this.callerDir = callerDir;
        this.git = git;
        this.remoteSources = new RemoteSources(git, env, projectDir);
        this.projectDir = projectDir.toAbsolutePath().normalize();
        this.home = home;
        this.cache = new PluginCache(home);
        this.store = store;
        this.lockTimeout = lockTimeout;
        this.marketplaces = marketplaces;
    }

    public Result sync(Options options) {
        return sync(ProjectManifest.read(projectDir), options);
    }

    /** Syncs to the given manifest (which {@code cxpm add} has not written yet). */
    public Result sync(ProjectManifest project, Options options) {
        try {
            return doSync(project, options);
        } finally {
            remoteSources.close();
        }
    }

    /** Releases git checkouts made while reading plugin sources (sync does it itself). */
    public void close() {
        remoteSources.close();
    }

    private Result doSync(ProjectManifest project, Options options) {
        Optional<Lockfile> existing = Lockfile.readIfPresent(projectDir);
        List<String> disagreements = existing.map(l -> LockCheck.disagreements(project, l))
                .orElse(List.of("there is no cxpm.lock yet"));
        if (options.frozen() && !disagreements.isEmpty()) {
            throw new UserError(UserError.Kind.INTEGRITY,
                    "cxpm.lock does not match cxpm.toml (--frozen changes nothing):\n  " + String.join("\n  ", disagreements),
                    "run `cxpm sync` without --frozen and commit the updated cxpm.lock");
        }
        ProjectIndex[] index = {null};
        java.util.function.Supplier<ProjectIndex> lazyIndex = () -> {
            if (index[0] == null) {
                index[0] = index(project);
            }
            return index[0];
        };
        Lockfile lock;
        if (!disagreements.isEmpty() || options.updateAll() || !options.update().isEmpty()) {
            for (String name : options.update()) {
                if (!existing.map(l -> l.plugins().containsKey(name)).orElse(false) && !project.plugins().containsKey(name)) {
                    throw new UserError(UserError.Kind.NOT_FOUND, "`" + name + "` is not a plugin of this project",
                            "see cxpm.toml and `cxpm outdated`");
                }
            }
            lock = resolve(project, existing, lazyIndex.get(), options);
        } else {
            lock = existing.orElseThrow();
        }

        // Phase 2: everything the home lacks is in the store with the locked integrity, or we stop here.
        SyncState state = SyncState.read(home);
        CodexConfig config = home.config();
        List<LockedPlugin> toInstall = new ArrayList<>();
        Set<String> repairs = new HashSet<>();
        Map<String, Path> drifted = new TreeMap<>();
        for (LockedPlugin p : lock.plugins().values()) {
            offered(p, lazyIndex).ifPresent(f -> LockedContent.checkSource(p, f.source()));
            String id = id(p);
            SyncState.Entry s = state.plugins().get(id);
            Path versionDir = versionDir(p);
            // installed: sync finished placing this exact content, and it is the version Codex shows
            boolean installed = s != null && s.version().equals(p.version().text())
                    && s.integrity().equals(p.integrity().toString())
                    && PluginCache.shownVersion(versionDir.getParent()).filter(p.version().text()::equals).isPresent();
            if (installed && (options.verify() || options.frozen()) && !Doctor.sameContent(versionDir, p.integrity())) {
                if (options.frozen()) {
                    drifted.put(id, versionDir);
                    continue;
                }
                installed = false;
                repairs.add(id);
            }
            if (!installed) {
                ensureInStore(p, lazyIndex);
                LockedContent.check(p, store);
                toInstall.add(p);
            }
        }
        if (!drifted.isEmpty()) {
            throw drift(lock, drifted);
        }
        List<LockChange> lockChanges = lockChanges(existing, lock);

        if (toInstall.isEmpty() && nothingToChange(project, lock, state, config)) {
            boolean written = existing.isEmpty() || !existing.get().toText().equals(lock.toText());
            if (written) {
                lock.write(projectDir);
            }
            SyncStamp.write(projectDir, home, lock);
            return new Result(lock, written, lockChanges, List.of(), List.copyOf(leftOut)); // the no-op path: no home lock, no home writes
        }

        // Phase 3: apply, under the home lock. New version directories are renamed in beside the old ones,
        // then config.toml is replaced once, and only then are old versions and removed plugins deleted: a
        // run killed anywhere leaves each plugin wholly old or wholly new, and the next sync finishes the job.
        List<Change> changes = new ArrayList<>();
        try (HomeLock ignored = HomeLock.acquire(home, lockTimeout)) {
            SyncStamp.forget(projectDir, home);
            cache.recover();
            Path work = cache.newWork();
            try {
                apply(project, lock, toInstall, repairs, state, changes, lazyIndex, work);
            } finally {
                cache.discard(work);
            }
        }
        boolean written = false;
        if (existing.isEmpty() || !existing.get().toText().equals(lock.toText())) {
            lock.write(projectDir);
            written = true;
        }
        SyncStamp.write(projectDir, home, lock);
        List<Doctor.Finding> warnings = new ArrayList<>(leftOut);
        for (LockedPlugin p : toInstall) {
            warnings.addAll(Doctor.missingPrerequisites(versionDir(p), id(p), env, callerDir));
        }
        return new Result(lock, written, lockChanges, changes, warnings);
    }

    private void apply(ProjectManifest project, Lockfile lock, List<LockedPlugin> toInstall, Set<String> repairs, SyncState state,
            List<Change> changes, java.util.function.Supplier<ProjectIndex> lazyIndex, Path work) {
        CodexConfig config = home.config();
        String before = config.text();
        config = ensureMarketplaces(project, config, lazyIndex);
        Map<String, Boolean> enabled = config.plugins();
        Set<String> installedIds = new HashSet<>();
        toInstall.forEach(p -> installedIds.add(id(p)));
        Map<String, Optional<String>> shownBefore = new HashMap<>();
        for (LockedPlugin p : toInstall) {
            shownBefore.put(id(p), PluginCache.shownVersion(p.pluginDirIn(home)));
            // Named before anything moves, with no integrity yet (so "not installed"): a sync after a kill still
            // knows these are this project's to finish or remove.
            state.put(id(p), new SyncState.Entry(p.version().text(), "", projectDir.toString()));
        }
        if (!toInstall.isEmpty()) {
            state.write();
        }
        for (LockedPlugin p : toInstall) {
            place(p, work);
            Optional<String> from = shownBefore.get(id(p));
            Action action = repairs.contains(id(p)) ? Action.REPAIR : from.isPresent() ? Action.UPDATE : Action.INSTALL;
            changes.add(new Change(action, p.name(), p.marketplace(), from, Optional.of(p.version().text())));
        }
        for (LockedPlugin p : lock.plugins().values()) {
            boolean want = Optional.ofNullable(project.plugins().get(p.name())).map(PluginRequirement::enabled).orElse(true);
            Boolean current = enabled.get(id(p));
            if (current == null || current != want) {
                config = config.withPlugin(id(p), want);
                if (current != null && !installedIds.contains(id(p))) {
                    changes.add(new Change(want ? Action.ENABLE : Action.DISABLE, p.name(), p.marketplace(), Optional.empty(), Optional.empty()));
                }
            }
            SyncState.Entry s = state.plugins().get(id(p));
            if (s == null || !s.project().equals(projectDir.toString())) {
                state.put(id(p), new SyncState.Entry(p.version().text(), p.integrity().toString(), projectDir.toString()));
            }
        }
        Set<String> lockedIds = new HashSet<>();
        lock.plugins().values().forEach(p -> lockedIds.add(id(p)));
        List<Path> removed = new ArrayList<>();
        for (var e : new TreeMap<>(state.plugins()).entrySet()) {
            if (!e.getValue().project().equals(projectDir.toString()) || lockedIds.contains(e.getKey())) {
                continue;
            }
            int at = e.getKey().lastIndexOf('@');
            String name = e.getKey().substring(0, at);
            String mk = e.getKey().substring(at + 1);
            removed.add(home.pluginDir(MarketplaceName.of(mk), PluginName.of(name)));
            config = config.withoutPlugin(e.getKey());
            state.remove(e.getKey());
            changes.add(new Change(Action.REMOVE, name, mk, Optional.of(e.getValue().version()), Optional.empty()));
        }
        if (!config.text().equals(before)) {
            config.write();
        }
        // Codex now names the new versions (and no longer the removed plugins): the old files can go.
        for (LockedPlugin p : toInstall) {
            cache.removeOtherVersions(p.pluginDirIn(home), p.version().text(), work);
        }
        removed.forEach(cache::remove);
        toInstall.forEach(p -> state.put(id(p), new SyncState.Entry(p.version().text(), p.integrity().toString(), projectDir.toString())));
        state.write();
    }

    /** True when the home already has every flag and marketplace the project wants, and nothing to remove. */
    private boolean nothingToChange(ProjectManifest project, Lockfile lock, SyncState state, CodexConfig config) {
        Map<String, Boolean> enabled = config.plugins();
        Set<String> lockedIds = new HashSet<>();
        for (LockedPlugin p : lock.plugins().values()) {
            lockedIds.add(id(p));
            boolean want = Optional.ofNullable(project.plugins().get(p.name())).map(PluginRequirement::enabled).orElse(true);
            SyncState.Entry s = state.plugins().get(id(p));
            if (!Boolean.valueOf(want).equals(enabled.get(id(p))) || s == null || !s.project().equals(projectDir.toString())) {
                return false;
            }
        }
        for (var e : state.plugins().entrySet()) {
            if (e.getValue().project().equals(projectDir.toString()) && !lockedIds.contains(e.getKey())) {
                return false;
            }
        }
        for (MarketplaceDecl decl : project.marketplaces().values()) {
            if (!isGit(decl.source()) && !config.marketplaces().containsKey(decl.name())) {
                return false;
            }
        }
        return true;
    }

    /** The releases this project can see (cxpm.toml's marketplaces, then the Codex home's). */
    public ProjectIndex index(ProjectManifest project) {
        List<ProjectIndex.Source> sources = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (MarketplaceDecl decl : project.marketplaces().values()) {
            Path root = rootOf(decl);
            Marketplace m = Marketplace.load(root);
            if (!m.name().equals(decl.name())) {
                throw new UserError(UserError.Kind.INVALID_INPUT,
                        project.file() + ":" + decl.line() + ": marketplace `" + decl.name() + "` is called `" + m.name()
                                + "` in its own manifest (" + m.manifestFile() + ")",
                        "rename the key in cxpm.toml to `" + m.name() + "`: Codex knows a marketplace by its manifest name");
            }
            Optional<java.net.URI> registry = isGit(decl.source())
                    ? Optional.ofNullable(home.config().marketplaces().get(decl.name())).flatMap(e -> marketplaces.registryOf(decl.name(), e))
                    : Optional.empty();
            sources.add(source(decl.name(), m, isGit(decl.source()) && registry.isEmpty() ? Optional.of(gitUrl(decl)) : Optional.empty(), registry));
            seen.add(decl.name());
        }
        for (var e : home.config().marketplaces().entrySet()) {
            if (seen.contains(e.getKey())) {
                continue;
            }
            try {
                Path root = marketplaces.rootOf(e.getKey(), e.getValue());
                Optional<java.net.URI> registry = marketplaces.registryOf(e.getKey(), e.getValue());
                sources.add(source(e.getKey(), Marketplace.load(root),
                        e.getValue().isGit() && registry.isEmpty() ? Optional.of(e.getValue().source()) : Optional.empty(), registry));
            } catch (UserError ignored) {
                // a broken marketplace of the user's is not this project's concern unless it needs it
            }
        }
        Map<String, String> pins = new HashMap<>();
        project.plugins().values().forEach(p -> p.marketplace().ifPresent(m -> pins.put(p.name(), m)));
        return new ProjectIndex(sources, pins, remoteSources, marketplaces.registries());
    }

    // --- phase 1 ---------------------------------------------------------------------------------

    private Lockfile resolve(ProjectManifest project, Optional<Lockfile> existing, ProjectIndex index, Options options) {
        Map<String, PluginVersion> prefer = new HashMap<>();
        if (!options.updateAll()) {
            existing.ifPresent(l -> l.plugins().values().forEach(p -> {
                if (!options.update().contains(p.name())) {
                    prefer.put(p.name(), p.version());
                }
            }));
        }
        // A marketplace offers one version at a time, and a registry hides yanked ones from new resolution: the
        // locked version stays a candidate while its bytes can be had (store or registry), unless it is being updated.
        Map<String, LockedPlugin> lockedNow = existing.map(Lockfile::plugins).orElse(new TreeMap<>());
        dev.cxpm.core.resolve.PluginIndex withLocked = name -> {
            List<PluginRelease> list = new ArrayList<>(index.releases(name));
            LockedPlugin old = lockedNow.get(name);
            boolean updating = options.updateAll() || options.update().contains(name);
            boolean lockedIsHere = old != null && !updating && (store.has(old.integrity()) || index.found(name).stream()
                    .anyMatch(f -> f.release().version().equals(old.version()) && f.release().origin().equals(old.marketplace())));
            if (lockedIsHere && list.stream()
                    .noneMatch(r -> r.version().equals(old.version()) && r.origin().equals(old.marketplace()))) {
                list.add(Lockfile.release(old));
            }
            return list;
        };
        Resolution resolution = Resolver.resolve(project.ranges(), prefer, withLocked);
        List<LockedPlugin> locked = new ArrayList<>();
        for (PluginRelease r : resolution.selected().values()) {
            LockedPlugin old = lockedNow.get(r.name());
            Optional<ProjectIndex.Found> offered = index.found(r.name()).stream().filter(f -> f.release().equals(r)).findFirst();
            if (offered.isEmpty()) {
                locked.add(old); // only the locked release (from the store) had this version
                continue;
            }
            ProjectIndex.Found f = offered.get();
            boolean keep = old != null && old.version().equals(r.version()) && old.marketplace().equals(r.origin())
                    && old.source().equals(f.source()) && !options.updateAll() && !options.update().contains(r.name());
            Integrity integrity = keep ? old.integrity() : intoStore(f);
            locked.add(new LockedPlugin(r.name(), r.version(), r.origin(), f.source(), integrity,
                    new java.util.TreeMap<>(r.dependencies())));
        }
        return new Lockfile(locked);
    }

    private static List<LockChange> lockChanges(Optional<Lockfile> before, Lockfile after) {
        Map<String, LockChange> out = new TreeMap<>();
        Map<String, LockedPlugin> old = before.map(Lockfile::plugins).orElse(new TreeMap<>());
        for (LockedPlugin p : after.plugins().values()) {
            LockedPlugin o = old.get(p.name());
            if (o == null || !o.version().equals(p.version()) || !o.integrity().equals(p.integrity())) {
                out.put(p.name(), new LockChange(p.name(), Optional.ofNullable(o).map(x -> x.version().text()),
                        Optional.of(p.version().text())));
            }
        }
        for (LockedPlugin o : old.values()) {
            if (!after.plugins().containsKey(o.name())) {
                out.put(o.name(), new LockChange(o.name(), Optional.of(o.version().text()), Optional.empty()));
            }
        }
        return List.copyOf(out.values());
    }

    // --- phase 2 ---------------------------------------------------------------------------------

    private void ensureInStore(LockedPlugin p, java.util.function.Supplier<ProjectIndex> index) {
        if (store.holds(p.integrity())) {
            return;
        }
        ProjectIndex.Found found = index.get().found(p.name()).stream()
                .filter(f -> f.release().origin().equals(p.marketplace()) && f.release().version().equals(p.version()))
                .findFirst()
                .orElseThrow(() -> new UserError(UserError.Kind.NOT_FOUND,
                        p.id() + " (cxpm.lock) is not in marketplace `" + p.marketplace() + "` any more, and not in the store",
                        "run `cxpm update " + p.name() + "` to lock a version that is available"));
        Integrity actual = intoStore(found);
        if (!actual.equals(p.integrity())) {
            String where = switch (found.content()) {
                case ProjectIndex.Content.Directory d -> "its files (" + d.dir() + ")";
                case ProjectIndex.Content.RegistryBlob b -> "the registry's blob (" + found.source() + ")";
            };
            throw new UserError(UserError.Kind.INTEGRITY,
                    "integrity mismatch for " + p.id() + " from marketplace `" + p.marketplace() + "`: cxpm.lock has "
                            + p.integrity() + ", " + where + " give " + actual + "; nothing was changed",
                    "the plugin changed without a new version: if you trust the change, run `cxpm update " + p.name() + "`");
        }
    }

    /**
     * The release of p's version its marketplace offers now (the marketplace's directory, or a registry's fresh or
     * cached index), whose source a true lock entry names, whether or not its content has to be fetched. Empty when
     * the marketplace no longer offers that version, or cannot be read (offline, or gone): the content is then the
     * one the integrity names, from the store or the home, and there is nothing to compare the source with (by
     * design: sync works offline once the store holds what the lock names).
     */
    private Optional<ProjectIndex.Found> offered(LockedPlugin p, java.util.function.Supplier<ProjectIndex> index) {
        if (marketplacesUnreadable) {
            return Optional.empty();
        }
        ProjectIndex read;
        try {
            read = index.get();
        } catch (UserError e) {
            marketplacesUnreadable = true; // gone or offline; what needs them (a fetch, a resolution) says so itself
            return Optional.empty();
        }
        try {
            return read.found(p.name()).stream()
                    .filter(f -> f.release().origin().equals(p.marketplace()) && f.release().version().equals(p.version()))
                    .findFirst();
        } catch (UserError e) {
            if (e.kind() == UserError.Kind.NETWORK || e.kind() == UserError.Kind.NOT_FOUND) {
                return Optional.empty(); // if the content must be fetched, ensureInStore says why it cannot be
            }
            throw e;
        }
    }

    /** Brings a release's content into the store; returns its content integrity. */
    private Integrity intoStore(ProjectIndex.Found found) {
        return switch (found.content()) {
            case ProjectIndex.Content.Directory d -> {
                // what pack leaves out of a directory (links leaving the plugin, loops, ...) is not installed: say so
                new dev.cxpm.core.pack.Packer().list(d.dir()).excluded().stream().filter(e -> e.reason().contains("symlink"))
                        .forEach(e -> leftOut.add(new Doctor.Finding("link-left-out", found.release().name() + "@" + found.release().origin(),
                                found.release().name() + " " + found.release().version() + ": " + e.path() + " is not installed (" + e.reason() + ")",
                                "nothing installed is a link: replace it with the file it names, or remove it")));
                yield store.add(d.dir());
            }
            case ProjectIndex.Content.RegistryBlob b ->
                    store.addArchive(new dev.cxpm.core.install.RegistryBlobs(store).keep(b.registry(), b.plugin(), b.release()));
        };
    }

    /** --frozen's answer to installed files that are no longer the locked content: each plugin with what differs. */
    private UserError drift(Lockfile lock, Map<String, Path> drifted) {
        StringBuilder b = new StringBuilder("installed files differ from cxpm.lock (--frozen changes nothing):");
        for (LockedPlugin p : lock.plugins().values()) {
            Path dir = drifted.get(id(p));
            if (dir == null) {
                continue;
            }
            b.append("\n  ").append(id(p)).append(' ').append(p.version()).append(" in ").append(dir);
            List<String> what = store.holds(p.integrity()) ? InstalledFiles.differences(dir, store.blob(p.integrity())) : List.of();
            what.stream().limit(20).forEach(w -> b.append("\n    ").append(w));
            if (what.size() > 20) {
                b.append("\n    ... and ").append(what.size() - 20).append(" more");
            }
        }
        return new UserError(UserError.Kind.INTEGRITY, b.toString(),
                "run `cxpm sync --verify` to reinstall the locked content (or find out who changed it first)");
    }

    // --- phase 3 ---------------------------------------------------------------------------------

    private CodexConfig ensureMarketplaces(ProjectManifest project, CodexConfig config, java.util.function.Supplier<ProjectIndex> index) {
        for (MarketplaceDecl decl : project.marketplaces().values()) {
            if (config.marketplaces().containsKey(decl.name())) {
                continue;
            }
            if (isGit(decl.source())) {
                continue; // a clone only exists once `cxpm marketplace add` made it; index() said so already
            }
            config = config.withMarketplace(decl.name(), CodexConfig.MarketplaceEntry.local(rootOf(decl).toString()));
        }
        return config;
    }

    /** Unpacks the stored blob into the work directory and renames it into Codex's cache beside older versions. */
    private void place(LockedPlugin p, Path work) {
        Path fresh = work.resolve(id(p));
        new Unpacker().unpack(store.blob(p.integrity()), fresh);
        cache.put(fresh, versionDir(p), work);
    }

    private Path versionDir(LockedPlugin p) {
        return p.versionDirIn(home);
    }

    // --- marketplaces ----------------------------------------------------------------------------

    /** A git source as `codex plugin marketplace add` reads one: URL, ssh, git@host: or owner/repo shorthand. */
    static boolean isGit(String source) {
        String s = source.strip();
        return s.startsWith("https://") || s.startsWith("http://") || s.startsWith("ssh://")
                || s.matches("[A-Za-z0-9_.-]+@[^:/\\s]+:.+")
                || !s.startsWith(".") && !s.startsWith("/") && MarketplaceSource.SHORTHAND.matcher(s).matches();
    }

    private String gitUrl(MarketplaceDecl decl) {
        return ((MarketplaceSource.Git) MarketplaceSource.parse(decl.source(), projectDir, decl.ref())).url();
    }

    private Path rootOf(MarketplaceDecl decl) {
        if (isGit(decl.source())) {
            Path clone = home.marketplaceClone(MarketplaceName.of(decl.name()));
            if (!Files.isDirectory(clone)) {
                // Cloned exactly as `codex plugin marketplace add` would, so Codex lists it too.
                marketplaces.add(MarketplaceSource.parse(decl.source(), projectDir, decl.ref()), Optional.of(decl.name()));
            }
            return clone;
        }
        return projectDir.resolve(decl.source()).normalize();
    }

    private ProjectIndex.Source source(String name, Marketplace m, Optional<String> gitUrl, Optional<java.net.URI> registry) {
        Optional<String> commit = gitUrl.isPresent() ? headCommit(m.root()) : Optional.empty();
        return new ProjectIndex.Source(name, m, gitUrl, commit, registry);
    }

    private Optional<String> headCommit(Path repo) {
        try {
            String out = git.run(repo, "rev-parse", "HEAD");
            return out.matches("[0-9a-f]{40}([0-9a-f]{24})?") ? Optional.of(out) : Optional.empty();
        } catch (UserError e) {
            return Optional.empty();
        }
    }

    private static String id(LockedPlugin p) {
        return p.name() + "@" + p.marketplace();
    }

    /** For commands that show a plan: the plugin ids a lockfile installs, with their version directories. */
    public Map<String, Path> installedDirs(Lockfile lock) {
        Map<String, Path> out = new LinkedHashMap<>();
        lock.plugins().values().forEach(p -> out.put(id(p), versionDir(p)));
        return out;
    }
}
