package dev.cxpm.core.sync;

import dev.cxpm.core.resolve.ReleaseAge;

import dev.cxpm.core.Progress;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.install.MissingPrerequisites;
import dev.cxpm.core.lock.LockCheck;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.marketplace.Marketplaces;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.sync.home.HomeApply;
import dev.cxpm.core.sync.home.SyncStamp;
import dev.cxpm.core.sync.home.SyncState;
import dev.cxpm.core.sync.store.RemoteSources;
import dev.cxpm.core.sync.store.Store;
import dev.cxpm.core.sync.store.StoreFill;
import dev.cxpm.core.sync.store.UnpackedPlugins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes a Codex home match a project's cxpm.toml and cxpm.lock. In three phases, so that a failure
 * changes nothing: (1) resolve, when the lockfile is missing, disagrees with cxpm.toml or an update
 * was asked for ({@link LockResolution}); (2) bring every plugin that is not installed yet into the store and
 * check its integrity against the lockfile ({@link StoreFill}); (3) under the Codex home lock, link the store's trees of the
 * plugins into Codex's cache, set their {@code [plugins."id"]} tables, remove what this project installed and no
 * longer needs ({@link HomeApply}), then write the lockfile. Plugins installed some other way are left alone.
 */
public final class ProjectSync {

    public enum Action { INSTALL, UPDATE, REMOVE, ENABLE, DISABLE, REPAIR, REPLACE, REPLACE_LINK }

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
     * @param ignorePrerequisites install and enable plugins that lack prerequisites, with a warning, instead of refusing
     *                  ({@link MissingPrerequisites})
     */
    public record Options(boolean frozen, Set<String> update, boolean updateAll, boolean verify, boolean ignorePrerequisites) {
        public static Options plain() {
            return new Options(false, Set.of(), false, false, false);
        }

        public Options ignoringPrerequisites(boolean ignore) {
            return new Options(frozen, update, updateAll, verify, ignore);
        }
    }

    /**
     * warnings: links left out of plugins brought into the store. missingPrerequisites: what plugins this sync installed
     * or enabled lack on this machine, when {@link Options#ignorePrerequisites} let it go on.
     */
    public record Result(Lockfile lock, boolean lockWritten, List<LockChange> lockChanges, List<Change> changes,
            List<Doctor.Finding> warnings, MissingPrerequisites missingPrerequisites, List<ProjectIndex.Unreachable> unreachable) {
    }

    private final Path projectDir;
    private final CodexHome home;
    private final Map<String, String> env;
    private final Path callerDir;
    private final RemoteSources remoteSources;
    private final ProjectMarketplaces sources;
    private final StoreFill fill;
    private final LockResolution resolution;
    private final HomeApply apply;
    private final java.util.function.Function<ProjectManifest, ReleaseAge> releaseAge;
    private dev.cxpm.core.install.PluginGate gate = dev.cxpm.core.install.PluginGate.NONE;
    private final SyncApprovals approvals;
    private dev.cxpm.core.approve.Consent consent = dev.cxpm.core.approve.Consent.NOBODY;

    /**
     * @param marketplaces clones the git marketplaces cxpm.toml declares that the home lacks, as `marketplace add` does
     * @param git          git in the caller's environment and directory, for plugin sources and the locked commits
     * @param env          the caller's environment, which prerequisites are checked against (PATH, variables)
     * @param callerDir    the caller's directory, against which relative PATH entries are found
     * @param progress     where the plugins being fetched and installed, and the downloads, are reported (clones report
     *                     through git)
     * @param clock        the command's now, which what a killed sync left in the store is judged old against
     * @param releaseAge   the minimum release age new resolution applies to a project (its own {@code min-release-age}
     *                     and whatever else applies, the strictest winning), with the clock to read it against
     */
    public ProjectSync(Path projectDir, CodexHome home, Store store, Duration lockTimeout, Marketplaces marketplaces,
            dev.cxpm.core.marketplace.GitCli git, Map<String, String> env, Path callerDir, Progress progress,
            java.time.Clock clock, java.util.function.Function<ProjectManifest, ReleaseAge> releaseAge) {
        this.releaseAge = releaseAge;
        this.env = env;
        this.callerDir = callerDir;
        this.remoteSources = new RemoteSources(git, env, projectDir, progress, store.dir(), clock);
        this.projectDir = projectDir.toAbsolutePath().normalize();
        this.home = home;
        this.sources = new ProjectMarketplaces(this.projectDir, home, marketplaces, git, remoteSources);
        this.fill = new StoreFill(home, store, progress);
        this.resolution = new LockResolution(store, fill);
        this.apply = new HomeApply(this.projectDir, home, store, lockTimeout, sources, progress);
        this.approvals = new SyncApprovals(home, store);
    }

    /** Who approves a plugin whose run surface cxpm.lock does not approve (default: nobody, and sync stops). */
    public ProjectSync approving(dev.cxpm.core.approve.Consent consent) {
        this.consent = consent;
        return this;
    }

    /**
     * The policy in force: asked about every locked plugin's name, version and marketplace before the store is filled,
     * and about the files of those this sync installs or enables before the Codex home is touched.
     */
    public ProjectSync enforcing(dev.cxpm.core.install.PluginGate gate) {
        this.gate = gate;
        return this;
    }

    public Result sync(Options options) {
        return sync(Optional.empty(), options);
    }

    /** Syncs to the given manifest (which {@code cxpm add} has not written yet). */
    public Result sync(ProjectManifest project, Options options) {
        return sync(Optional.of(project), options);
    }

    /** project: cxpm.toml as given, else read here. */
    private Result sync(Optional<ProjectManifest> project, Options options) {
        try {
            ProjectManifest manifest;
            Optional<Lockfile.Read> existing;
            // cxpm.lock is read (parsed, its entries checked) on a worker while this thread reads cxpm.toml and asks the
            // policy about what it declares: neither needs the other, and the lock's read was a serial stretch of every
            // sync (5-8 ms at 1,000 plugins). Taken after both, so a failure of either is thrown first, as before; a
            // failure here stops the read (closing the pool waits for it). The project's local marketplaces are read
            // ahead likewise (ProjectMarketplaces.readAhead), and waited for once the lock is in: closing the pool
            // interrupts a job still running, and a read-ahead stopped half-way (a loaded machine, the lock read first)
            // was thrown away to be read again by index, after making an error of the interrupted read.
            try (SmallPool beside = SmallPool.besideCaller()) {
                java.util.concurrent.Future<Optional<Lockfile.Read>> lock = beside.submit(() -> Lockfile.readWithTextIfPresent(projectDir));
                manifest = project.isPresent() ? project.get() : ProjectManifest.read(projectDir);
                ProjectManifest declared = manifest;
                java.util.concurrent.Future<Void> marketplaces = beside.submit(() -> { // for the index, on the other worker meanwhile
                    sources.readAhead(declared);
                    return null;
                });
                checkDeclared(manifest);
                existing = SmallPool.result(lock);
                SmallPool.result(marketplaces);
            }
            // (no method references: each is linked at run time on a cold JVM)
            return existing.isPresent() ? doSync(manifest, Optional.of(existing.get().lock()), Optional.of(existing.get().text()), options)
                    : doSync(manifest, Optional.empty(), Optional.empty(), options);
        } finally {
            remoteSources.close();
        }
    }

    /** Releases git checkouts made while reading plugin sources (sync does it itself). */
    public void close() {
        remoteSources.close();
    }

    /** The policy on what cxpm.toml declares, before resolving packs anything into the store. */
    private void checkDeclared(ProjectManifest project) {
        Map<String, Origin> declared = new java.util.HashMap<>();
        List<dev.cxpm.core.install.PluginGate.Candidate> candidates = new ArrayList<>(project.plugins().size());
        for (dev.cxpm.core.project.PluginRequirement r : project.plugins().values()) { // a loop: no stream pipeline interpreted
            Optional<String> marketplace = r.marketplace();
            Origin o = marketplace.isPresent() ? origin(project, marketplace.get(), declared) : Origin.NONE;
            candidates.add(new dev.cxpm.core.install.PluginGate.Candidate(r.name(), marketplace.orElse(""), o.entry(), o.registry(),
                    Optional.empty(), Optional.empty()));
        }
        gate.check(java.util.Collections.unmodifiableList(candidates));
    }

    /** existing: cxpm.lock as read, and existingText its text (which the stamp records while the file is not written again). */
    private Result doSync(ProjectManifest project, Optional<Lockfile> existing, Optional<String> existingText, Options options) {
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
            LockResolution.checkUpdated(project, existing, options);
            lock = resolution.resolve(project, existing, lazyIndex.get(), options, releaseAge.apply(project));
        } else {
            lock = existing.orElseThrow();
        }

        // The policy, on names, versions and sources: before anything is fetched into the store or written. Read again after
        // resolving, which may have cloned a marketplace (and so recorded it in config.toml); nothing writes it until phase 3.
        Map<String, Origin> origins = new java.util.HashMap<>();
        List<dev.cxpm.core.install.PluginGate.Candidate> candidates = new ArrayList<>(lock.plugins().size());
        for (LockedPlugin p : lock.plugins().values()) {
            candidates.add(candidate(project, p, Optional.empty(), origins));
        }
        gate.check(java.util.Collections.unmodifiableList(candidates));

        // Phase 2: everything the home lacks is in the store with the locked integrity, or we stop here.
        SyncState state = SyncState.read(home);
        CodexConfig config = home.config();
        StoreFill.Plan plan = fill.fill(lock, state, options, lazyIndex);
        return placeAndRecord(project, options, existing, existingText, lock, state, config, plan, lazyIndex, index, origins);
    }

    /** Phase 2's checks on the unpacked content (prerequisites, policy, approvals), then phase 3 and the lockfile. */
    private Result placeAndRecord(ProjectManifest project, Options options, Optional<Lockfile> existing, Optional<String> existingText,
            Lockfile lock, SyncState state,
            CodexConfig config, StoreFill.Plan plan, java.util.function.Supplier<ProjectIndex> lazyIndex, ProjectIndex[] index,
            Map<String, Origin> origins) {
        List<LockedPlugin> toInstall = plan.toInstall();
        // the lockfile read is the lock (--frozen, a sync with nothing to resolve): nothing changed, no plugin compared
        List<LockChange> lockChanges = existing.isPresent() && existing.get() == lock ? List.of() : LockResolution.lockChanges(existing, lock);

        if (toInstall.isEmpty() && apply.nothingToChange(project, lock, state, config)) {
            lock = approvals.check(existing, lock, fill.unpacked(plan), options.frozen(), consent);
            boolean written = changed(existing, lock);
            byte[] lockBytes = written ? lock.write(projectDir) : null;
            stamp(project, lock, existingText, lockBytes, state);
            return new Result(lock, written, lockChanges, List.of(), fill.leftOut(), MissingPrerequisites.none(),
                    unreachable(index[0])); // the no-op path: no home lock, no home writes
        }

        Checked checked = checked(project, options, existing, lock, config, plan, origins);
        MissingPrerequisites missing = checked.missing();
        if (checked.lock() != lock) {
            Lockfile approvedLock = checked.lock();
            toInstall = toInstall.stream().map(p -> approvedLock.plugins().get(p.name())).toList();
            lock = approvedLock;
        }

        // Phase 3: apply, under the home lock.
        List<Change> changes = apply.underHomeLock(project, lock, toInstall, plan.repairs(), plan.trees(), state, lazyIndex);
        boolean written = false;
        byte[] lockBytes = null;
        if (changed(existing, lock)) {
            lockBytes = lock.write(projectDir);
            written = true;
        }
        stamp(project, lock, existingText, lockBytes, state);
        return new Result(lock, written, lockChanges, changes, fill.leftOut(), missing, unreachable(index[0]));
    }

    /** What the checks before phase 3 leave it: the lock with its approvals, and what --ignore-prerequisites went on without. */
    private record Checked(Lockfile lock, MissingPrerequisites missing) {
    }

    /**
     * The checks on the content about to be installed, before phase 3 writes anything: prerequisites, the policy on each
     * plugin's files, approvals. What they read (each plugin's manifest, MCP servers, run surface) is reachable from this
     * method's frame only, so it is garbage once the checks pass, before placing: held until the sync ended, every young
     * collection while placing copied it.
     */
    private Checked checked(ProjectManifest project, Options options, Optional<Lockfile> existing, Lockfile lock, CodexConfig config,
            StoreFill.Plan plan, Map<String, Origin> origins) {
        UnpackedPlugins unpacked = fill.unpacked(plan);
        // What each plugin runs, read on both cores: its manifest, MCP servers, hooks and apps, which the prerequisite
        // check and the policy below find read (one plugin after another on this thread, they were a serial stretch of a sync)
        SyncApprovals.ReadAhead runs = SyncApprovals.read(unpacked);
        // Before phase 3 writes anything: the prerequisite rule install and enable apply too.
        MissingPrerequisites missing = new SyncPrerequisites(home, fill.store(), env, callerDir)
                .check(project, lock, unpacked, config, (p, content) -> gate.check(List.of(candidate(project, p, Optional.of(content), origins))))
                .enforce(options.ignorePrerequisites());
        // and what the plugins run is what cxpm.lock (or the user, now) approved
        return new Checked(approvals.check(existing, lock, runs, options.frozen(), consent), missing);
    }

    /** Whether cxpm.lock must be written: there is none, or lock's text is not its (the lockfile read, unchanged, is not written out again to be compared). */
    private static boolean changed(Optional<Lockfile> existing, Lockfile lock) {
        return existing.isEmpty() || existing.get() != lock && !existing.get().toText().equals(lock.toText());
    }

    /**
     * The stamp of this sync, from the bytes it worked from rather than the files read again (SyncStamp.write says why):
     * cxpm.toml as the manifest synced to; cxpm.lock as written (lockBytes), else as read (the lock not written is the one
     * read, or has its text: changed); the sync state as written, else as read, when it was either. Reading cxpm.toml and cxpm.lock again was
     * ~10 ms of a cold sync --frozen of 1,000 plugins' main thread (docs/BENCHMARKS.md, wt-cold5).
     */
    private void stamp(ProjectManifest project, Lockfile lock, Optional<String> existingText, byte[] lockBytes, SyncState state) {
        Map<Path, byte[]> known = new java.util.HashMap<>();
        known.put(projectDir.resolve(ProjectManifest.FILE_NAME), project.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (lockBytes != null || existingText.isPresent()) {
            known.put(projectDir.resolve(Lockfile.FILE_NAME),
                    lockBytes != null ? lockBytes : existingText.get().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Optional<byte[]> stateBytes = state.bytes();
        if (stateBytes.isPresent()) {
            known.put(SyncState.fileOf(home), stateBytes.get());
        }
        SyncStamp.write(projectDir, home, lock, policyFiles(), known);
    }

    /** What decides the policy this sync was checked under, for the stamp (none when local files cannot decide it). */
    private List<Path> policyFiles() {
        return dev.cxpm.core.policy.Policies.stampInputs(env, projectDir).orElse(List.of());
    }

    private dev.cxpm.core.install.PluginGate.Candidate candidate(ProjectManifest project, LockedPlugin p,
            Optional<dev.cxpm.core.format.Plugin> content, Map<String, Origin> origins) {
        Origin o = origin(project, p.marketplace(), origins);
        return new dev.cxpm.core.install.PluginGate.Candidate(p.name(), p.marketplace(), o.entry(), o.registry(),
                Optional.of(p.version().text()), content);
    }

    /** Where a marketplace comes from, as the policy is told: its config entry and registry. */
    private record Origin(Optional<CodexConfig.MarketplaceEntry> entry, Optional<java.net.URI> registry) {
        static final Origin NONE = new Origin(Optional.empty(), Optional.empty());
    }

    /**
     * A marketplace's origin, read once per marketplace into seen: config.toml holds a table per installed plugin, so
     * reading it per plugin made a sync into a home of N plugins read N tables N times.
     */
    private Origin origin(ProjectManifest project, String marketplace, Map<String, Origin> seen) {
        return seen.computeIfAbsent(marketplace, m -> {
            Optional<CodexConfig.MarketplaceEntry> entry = sources.entryOf(project, m);
            return new Origin(entry, entry.flatMap(e -> sources.registryOf(m, e)));
        });
    }

    /** What the index read from a cache because its registry could not be reached: never a silent success. */
    private static List<ProjectIndex.Unreachable> unreachable(ProjectIndex index) {
        return index == null ? List.of() : index.unreachable();
    }

    /** The releases this project can see (cxpm.toml's marketplaces, then the Codex home's). */
    public ProjectIndex index(ProjectManifest project) {
        return sources.index(project);
    }

    /** The minimum release age this project resolves under (what {@code outdated} shows as held back). */
    public ReleaseAge releaseAge(ProjectManifest project) {
        return releaseAge.apply(project);
    }

    private Path versionDir(LockedPlugin p) {
        return p.versionDirIn(home);
    }

    public static String id(LockedPlugin p) {
        return p.name() + "@" + p.marketplace();
    }

    /** For commands that show a plan: the plugin ids a lockfile installs, with their version directories. */
    public Map<String, Path> installedDirs(Lockfile lock) {
        Map<String, Path> out = new LinkedHashMap<>();
        lock.plugins().values().forEach(p -> out.put(id(p), versionDir(p)));
        return out;
    }
}
