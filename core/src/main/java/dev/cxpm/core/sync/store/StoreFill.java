package dev.cxpm.core.sync.store;

import dev.cxpm.core.Progress;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.install.PluginCache;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.sync.Doctor;
import dev.cxpm.core.sync.ProjectIndex;
import dev.cxpm.core.sync.ProjectSync;
import dev.cxpm.core.sync.SmallPool;
import dev.cxpm.core.sync.home.InstalledFiles;
import dev.cxpm.core.sync.home.SyncState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Sync's phase 2: everything the home lacks is brought into the store and checked against the lockfile's
 * integrity (and its source against what the marketplace offers now) before anything in the home changes.
 */
public final class StoreFill {

    /**
     * What phase 3 has to place: plugins not installed (or edited by hand, under --verify), which were repairs, and each
     * one's content as a checked tree in the store ({@link StoreTree}, by id), whose files the checks read
     * ({@link #unpacked}) and phase 3 links into the home. Only what placing needs: a plan is held until placing ends.
     */
    public record Plan(List<LockedPlugin> toInstall, Set<String> repairs, Map<String, StoreTree> trees) {
    }

    private final CodexHome home;
    private final Store store;
    /** Links left out of plugins brought into the store, reported as warnings. */
    private final List<Doctor.Finding> leftOut = new ArrayList<>();
    /** The project's marketplaces could not be read this run: no source is compared (see {@link #offered}). */
    private boolean marketplacesUnreadable;

    private final Progress progress;
    /** What each local plugin directory packed to when it last looked as it does: not packed again to learn it. */
    private final LocalPacks localPacks;
    /**
     * The trees this sync packed (by content integrity): phase 2 takes them as they were made, a moment ago in this process,
     * instead of reading each one's index back and checking every file with an lstat (a first sync made them all).
     */
    private final Map<Integrity, PackedNow> packedNow = new java.util.concurrent.ConcurrentHashMap<>();
    /** The manifest {@link LockedContent#check} read in each content's tree this fill (by integrity), for the checks after it. */
    private final Map<Integrity, UnpackedPlugins.Manifest> manifests = new java.util.concurrent.ConcurrentHashMap<>();

    /** A tree this sync packed, with the manifests the packer kept ({@link dev.cxpm.core.pack.Packer.Stored#kept}). */
    private record PackedNow(StoreTree tree, Map<String, byte[]> manifests) {
    }

    public StoreFill(CodexHome home, Store store, Progress progress) {
        this.home = home;
        this.store = store;
        this.progress = progress;
        this.localPacks = new LocalPacks(store, java.time.Clock.systemUTC()); // the file system's clock, not the user's
    }

    /** The links the releases brought into the store so far left out. */
    public List<Doctor.Finding> leftOut() {
        return List.copyOf(leftOut);
    }

    public Store store() {
        return store;
    }

    public Plan fill(Lockfile lock, SyncState state, ProjectSync.Options options, Supplier<ProjectIndex> lazyIndex) {
        List<LockedPlugin> toInstall = new ArrayList<>();
        Map<String, StoreTree> trees = new java.util.HashMap<>();
        Set<String> repairs = new HashSet<>();
        Map<String, Path> drifted = new TreeMap<>();
        int n = 0;
        int count = lock.plugins().size();
        CodexHome looking = home.readingOnce(); // phase 2 writes nothing in the home
        // each plugin's tree is checked on the pool from the moment the loop finds it is to be installed, while the loop
        // goes on with the next (it only reads: the home, the marketplaces); a failure in the loop stops them (closing
        // the pool), and their own failures are taken in lock order after it, as before
        List<java.util.concurrent.Future<Optional<StoreTree>>> fromStore = new ArrayList<>();
        try (Progress.Step step = progress.begin("checking " + count + " plugins"); SmallPool pool = new SmallPool(count)) {
            for (LockedPlugin p : lock.plugins().values()) {
                n++;
                step.item(n, count, "checking", p.name(), p.marketplace(), p.version());
                offered(p, lazyIndex).ifPresent(f -> {
                    LockedContent.checkSource(p, f.source());
                    p.registryKey().ifPresent(k -> LockedContent.checkRegistryKey(p, k, lazyIndex.get()));
                });
                String id = id(p);
                SyncState.Entry s = state.plugins().get(id);
                // proven no link before anything is written (each directory looked at once: a missing marketplace
                // directory once for all its plugins)
                Path versionDir = p.versionDirIn(looking);
                // installed: sync finished placing this exact content, and it is the version Codex shows
                boolean shown = PluginCache.shownVersion(versionDir.getParent()).filter(p.version().text()::equals).isPresent();
                boolean recorded = s != null && s.version().equals(p.version().text()) && s.integrity().equals(p.integrity().toString());
                boolean installed = recorded && shown;
                // adopted: the copy Codex shows is the locked content (as `codex plugin add` or `cxpm install` left it, the
                // skills of its commands expected), recorded by phase 3 and not placed again (npm keeps a matching tree)
                boolean adopted = !recorded && shown && Doctor.sameContent(versionDir, p.integrity());
                installed |= adopted;
                if (installed && !adopted && (options.verify() || options.frozen()) && !Doctor.sameContent(versionDir, p.integrity())) {
                    if (options.frozen()) {
                        drifted.put(id, versionDir);
                        continue;
                    }
                    installed = false;
                    repairs.add(id);
                }
                if (!installed) {
                    toInstall.add(p);
                    fromStore.add(pool.submit(() -> fromStore(p, options.verify())));
                }
            }
            treesOf(toInstall, fromStore, trees, lazyIndex, step, options.verify());
        } // closing waits for every job
        localPacks.prune(); // every local plugin of this run packed or taken: its records are this run's
        if (!drifted.isEmpty()) {
            throw drift(lock, drifted);
        }
        return new Plan(toInstall, repairs, trees);
    }

    /**
     * The plugins of plan, for the checks before placing, with the manifests this fill read in their trees (not read
     * again); this fill lets go of those manifests and of the trees it packed, so that they die with the checks' reading
     * instead of being copied by every collection until the sync ends. Once per plan.
     */
    public UnpackedPlugins unpacked(Plan plan) {
        Map<String, UnpackedPlugins.Manifest> read = java.util.HashMap.newHashMap(plan.toInstall().size());
        for (LockedPlugin p : plan.toInstall()) {
            UnpackedPlugins.Manifest m = manifests.get(p.integrity());
            if (m != null) {
                read.put(id(p), m);
            }
        }
        manifests.clear();
        packedNow.clear();
        return UnpackedPlugins.ofTrees(plan.trees(), read);
    }

    /**
     * Takes the checked tree of every plugin to install (by id into trees), in lock order as far as anyone can tell: the
     * store's trees are checked, or made from the stored archives, on a small pool (fromStore: each plugin's job, submitted
     * by {@link #fill}; the work is mostly file system calls that wait, and each job touches only its own tree), then, one
     * by one in lock order, each result is taken (the first plugin's failure is the one reported, as when they ran one
     * after another) and what the store lacked is fetched.
     */
    private void treesOf(List<LockedPlugin> plugins, List<java.util.concurrent.Future<Optional<StoreTree>>> fromStore,
            Map<String, StoreTree> trees, Supplier<ProjectIndex> lazyIndex, Progress.Step step, boolean verify) {
        for (int i = 0; i < plugins.size(); i++) {
            LockedPlugin p = plugins.get(i);
            step.item(i + 1, plugins.size(), "unpacking", p.name(), p.marketplace(), p.version());
            Optional<StoreTree> tree = SmallPool.result(fromStore.get(i));
            if (tree.isEmpty()) {
                step.item(i + 1, plugins.size(), "fetching", p.name(), p.marketplace(), p.version());
                tree = Optional.of(fetch(p, lazyIndex, verify));
            }
            trees.put(id(p), tree.get());
        }
    }

    /**
     * p's locked content as a checked tree of the store (made from its stored archive when it has none, or a damaged
     * one), with its lock entry checked against it; empty when the store lacks it, or its stored archive is cut short
     * or not the locked content (fetched again then). Under --verify a tree is trusted only when its files hash to the
     * locked integrity, not on their sizes and times: an edit made to look untouched is not linked into another home.
     */
    private Optional<StoreTree> fromStore(LockedPlugin p, boolean verify) {
        StoreTree packed = packedNow(p, verify);
        if (packed != null) {
            return Optional.of(packed);
        }
        String address = store.address(p.integrity()); // named once: the archive and its tree beside it
        if (!Files.isRegularFile(store.blobAt(address))) { // Store.has
            return Optional.empty();
        }
        Path treeDir = StoreTree.dir(store, address);
        StoreTree.Seen intact = StoreTree.seenIntact(store, treeDir).orElse(null);
        if (verify && intact != null && !Doctor.sameContent(intact.tree().files(), p.integrity())) {
            StoreTree.throwAway(store, treeDir);
            intact = null;
        }
        if (intact != null) { // its manifest read as the check saw it a moment ago, not looked at again
            manifests.put(p.integrity(), LockedContent.check(p, intact.tree(), intact.files()));
            return Optional.of(intact.tree());
        }
        Optional<StoreTree> made = StoreTree.make(store, p.integrity());
        made.ifPresent(t -> check(p, t));
        return made;
    }

    /**
     * Fetches p's locked content into the store from its marketplace, then takes the tree its packing kept (unless
     * --verify), else makes one from the archive, verifying it; its lock entry checked against it. A directory packed
     * into the store a moment ago was not unpacked again from its own archive (a --frozen sync into an empty store did).
     */
    private StoreTree fetch(LockedPlugin p, Supplier<ProjectIndex> index, boolean verify) {
        fetchIntoStore(p, index);
        StoreTree packed = packedNow(p, verify);
        if (packed != null) {
            return packed;
        }
        StoreTree made = StoreTree.make(store, p.integrity()).orElseThrow(() -> new UserError(UserError.Kind.INTEGRITY, "the store's copy of "
                + p.id() + " (" + store.blob(p.integrity()) + ") changed while it was being installed; nothing was changed", "run the command again"));
        check(p, made);
        return made;
    }

    /**
     * The tree this sync packed of p's content a moment ago, its lock entry checked against the manifests the packer
     * kept; null under --verify (a tree is then trusted only on its files' hash) or when this sync packed none.
     */
    private StoreTree packedNow(LockedPlugin p, boolean verify) {
        PackedNow packed = verify ? null : packedNow.get(p.integrity());
        if (packed == null) {
            return null;
        }
        check(p, packed.tree().files(), packed.manifests());
        return packed.tree();
    }

    /** Checks p's lock entry against its content in files (kept: the manifests as packed, or null), keeping the manifest read. */
    private void check(LockedPlugin p, Path files, Map<String, byte[]> kept) {
        manifests.put(p.integrity(), LockedContent.check(p, files, kept));
    }

    /** Checks p's lock entry against a tree just checked intact or made, whose index says which manifests it holds. */
    private void check(LockedPlugin p, StoreTree tree) {
        manifests.put(p.integrity(), LockedContent.check(p, tree));
    }

    private void fetchIntoStore(LockedPlugin p, java.util.function.Supplier<ProjectIndex> index) {
        ProjectIndex.Found found = index.get().found(p.name()).stream()
                .filter(f -> f.release().origin().equals(p.marketplace()) && f.release().version().equals(p.version()))
                .findFirst()
                .orElseThrow(() -> new UserError(UserError.Kind.NOT_FOUND,
                        p.id() + " (cxpm.lock) is not in marketplace `" + p.marketplace() + "` any more, and not in the store",
                        "run `cxpm update " + p.name() + "` to lock a version that is available"));
        Integrity actual = intoStore(found, false); // not in the store: a look could not spare the pack
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
        if (read.listsAtLockedSource(p)) {
            return Optional.empty(); // nothing to compare: the marketplace lists it where the lock says, whatever version is there
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

    /**
     * Brings a release's content into the store; returns its content integrity (links it left out: {@link #leftOut}).
     * locked: the lock already names the plugin (see {@link #stored}).
     */
    public Integrity intoStore(ProjectIndex.Found found, boolean locked) {
        return took(stored(found, locked));
    }

    /** A release's content brought into the store: its content integrity, and the links its packing left out. */
    public record Stored(Integrity integrity, List<Doctor.Finding> leftOut) {
    }

    /** Whether {@link #stored} may run on another thread: a directory is packed, a registry's blob is downloaded with progress. */
    public static boolean packs(ProjectIndex.Found found) {
        return found.content() instanceof ProjectIndex.Content.Directory;
    }

    /**
     * Brings a release's content into the store, touching nothing of this fill's but the store: several run at once (see
     * {@link #packs}); the caller hands each result to {@link #took} in lock order. A local directory is looked at first
     * ({@link LocalPacks}) only when the lock already names its plugin (an update, or a sync after cxpm.toml changed):
     * for a plugin new to the lock, as every plugin of a first sync, the look and its record cost a file per plugin for
     * an update that may never come: with the listing shared, a first sync of 1,000 through the daemon still took 40%
     * more CPU (1,239 to 1,741 ms), most of it the records' creation (openat), the rest the stats (BENCHMARKS.md,
     * wt-local3). So the first update after a first sync packs each local plugin once, and records it.
     */
    public Stored stored(ProjectIndex.Found found, boolean locked) {
        // instanceof, not a switch on the type: a fresh JVM spins a class for that switch (ColdPathTest)
        if (found.content() instanceof ProjectIndex.Content.Directory d) {
            // listed once, for the look and the pack; looked at before it is packed: a file changed after this look
            // differs from it next time
            dev.cxpm.core.pack.Packer.Listing listing = new dev.cxpm.core.pack.Packer().list(d.dir());
            Optional<LocalPacks.Look> look = locked ? localPacks.look(listing) : Optional.empty();
            Optional<Integrity> same = look.flatMap(localPacks::packedTo);
            if (same.isPresent()) {
                return new Stored(same.get(), List.of()); // its links left out are none: a look with one is empty
            }
            StoreTree.Packed both = StoreTree.packed(store, listing);
            dev.cxpm.core.pack.Packer.Stored packed = both.result();
            both.tree().ifPresent(t -> packedNow.put(packed.contentIntegrity(), new PackedNow(t, packed.kept())));
            // what pack leaves out of a directory (links leaving the plugin, loops, ...) is not installed: say so
            List<Doctor.Finding> left = packed.listing().excluded().stream().filter(e -> e.reason().contains("symlink"))
                    .map(e -> new Doctor.Finding("link-left-out", found.release().name() + "@" + found.release().origin(),
                            found.release().name() + " " + found.release().version() + ": " + e.path() + " is not installed (" + e.reason() + ")",
                            "nothing installed is a link: replace it with the file it names, or remove it"))
                    .toList();
            if (left.isEmpty()) {
                look.ifPresent(l -> localPacks.packed(l, packed.contentIntegrity()));
            }
            return new Stored(packed.contentIntegrity(), left);
        }
        ProjectIndex.Content.RegistryBlob b = (ProjectIndex.Content.RegistryBlob) found.content();
        return new Stored(store.addArchive(new dev.cxpm.core.install.RegistryBlobs(store, progress).keep(b.registry(), b.plugin(), b.release())),
                List.of());
    }

    /** The integrity of content brought into the store, its warnings recorded. */
    public Integrity took(Stored stored) {
        leftOut.addAll(stored.leftOut());
        return stored.integrity();
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

    private static String id(LockedPlugin p) {
        return ProjectSync.id(p);
    }
}
