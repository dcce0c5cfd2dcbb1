package dev.cxpm.core.sync;

import dev.cxpm.core.Progress;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.core.pack.Unpacker;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.install.PluginCache;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.pack.Integrity;
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
final class StoreFill {

    /**
     * What phase 3 has to place: plugins not installed (or edited by hand, under --verify), which were repairs, and each
     * one's content already unpacked and verified (by id) in a scratch directory beside the store, which
     * {@link #discard} deletes once the sync is over.
     */
    record Plan(List<LockedPlugin> toInstall, Set<String> repairs, Map<String, Path> unpacked, Optional<Path> scratch) {
        void discard() {
            scratch.ifPresent(Trees::delete);
        }
    }

    private final CodexHome home;
    private final Store store;
    /** Links left out of plugins brought into the store, reported as warnings. */
    final List<Doctor.Finding> leftOut = new ArrayList<>();
    /** The project's marketplaces could not be read this run: no source is compared (see {@link #offered}). */
    private boolean marketplacesUnreadable;

    private final Progress progress;

    StoreFill(CodexHome home, Store store, Progress progress) {
        this.home = home;
        this.store = store;
        this.progress = progress;
    }

    Store store() {
        return store;
    }

    Plan fill(Lockfile lock, SyncState state, ProjectSync.Options options, Supplier<ProjectIndex> lazyIndex) {
        Path[] scratch = {null};
        try {
            return fill(lock, state, options, lazyIndex, scratch);
        } catch (RuntimeException | Error e) {
            if (scratch[0] != null) {
                Trees.delete(scratch[0]);
            }
            throw e;
        }
    }

    private Plan fill(Lockfile lock, SyncState state, ProjectSync.Options options, Supplier<ProjectIndex> lazyIndex, Path[] scratch) {
        List<LockedPlugin> toInstall = new ArrayList<>();
        Map<String, Path> unpacked = new java.util.HashMap<>();
        Set<String> repairs = new HashSet<>();
        Map<String, Path> drifted = new TreeMap<>();
        int n = 0;
        int count = lock.plugins().size();
        try (Progress.Step step = progress.begin("checking " + count + " plugins")) {
            for (LockedPlugin p : lock.plugins().values()) {
                step.item(++n, count, "checking " + id(p) + " " + p.version());
                offered(p, lazyIndex).ifPresent(f -> {
                    LockedContent.checkSource(p, f.source());
                    p.registryKey().ifPresent(k -> LockedContent.checkRegistryKey(p, k, lazyIndex.get()));
                });
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
                    if (scratch[0] == null) {
                        scratch[0] = newScratch();
                    }
                    unpacked.put(id, scratch[0].resolve(Integer.toString(unpacked.size())));
                    toInstall.add(p);
                }
            }
            unpackAll(toInstall, unpacked, lazyIndex, step);
        }
        if (!drifted.isEmpty()) {
            throw drift(lock, drifted);
        }
        return new Plan(toInstall, repairs, unpacked, Optional.ofNullable(scratch[0]));
    }

    /**
     * Unpacks every plugin to install into its directory (by id in dirs), in lock order as far as anyone can tell: the
     * stored archives are unpacked and checked on a small pool (the work is mostly file system calls that wait, and each
     * job writes only its own directory), then, one by one in lock order, each result is taken (the first plugin's
     * failure is the one reported, as when they ran one after another) and what the store lacked is fetched.
     */
    private void unpackAll(List<LockedPlugin> plugins, Map<String, Path> dirs, Supplier<ProjectIndex> lazyIndex, Progress.Step step) {
        try (SmallPool pool = new SmallPool(plugins.size())) {
            List<java.util.concurrent.Future<Boolean>> fromStore = new ArrayList<>();
            for (LockedPlugin p : plugins) {
                fromStore.add(pool.submit(() -> fromStore(p, dirs.get(id(p)))));
            }
            for (int i = 0; i < plugins.size(); i++) {
                LockedPlugin p = plugins.get(i);
                step.item(i + 1, plugins.size(), "unpacking " + id(p) + " " + p.version());
                if (!SmallPool.result(fromStore.get(i))) {
                    step.item(i + 1, plugins.size(), "fetching " + id(p) + " " + p.version());
                    fetchAndUnpack(p, lazyIndex, dirs.get(id(p)));
                    LockedContent.check(p, dirs.get(id(p)));
                }
            }
        } // closing waits for every job: the caller may delete the scratch directory they write into
    }

    /**
     * Unpacks p's locked content from the store into dir and checks its lock entry against it; false (dir left
     * absent) when the store lacks it, or its stored archive is cut short or not the locked content (fetched again then).
     */
    private boolean fromStore(LockedPlugin p, Path dir) {
        if (!store.has(p.integrity())) {
            return false;
        }
        Integrity found = null;
        try {
            found = new Unpacker().unpackHashingInto(store.blob(p.integrity()), dir).contentIntegrity();
        } catch (UserError damaged) {
            if (damaged.kind() != UserError.Kind.INVALID_INPUT) {
                throw damaged; // the disk, not the archive
            }
        }
        if (p.integrity().equals(found)) {
            LockedContent.check(p, dir);
            return true;
        }
        Trees.delete(dir); // damaged in the store: fetched again, as if it were not there
        return false;
    }

    /** Fetches p's locked content into the store from its marketplace, then unpacks it into dir (absent), verifying it. */
    private void fetchAndUnpack(LockedPlugin p, Supplier<ProjectIndex> index, Path dir) {
        fetchIntoStore(p, index);
        Integrity actual = new Unpacker().unpackHashingInto(store.blob(p.integrity()), dir).contentIntegrity();
        if (!actual.equals(p.integrity())) {
            throw new UserError(UserError.Kind.INTEGRITY, "the store's copy of " + p.id() + " (" + store.blob(p.integrity())
                    + ") changed while it was being installed; nothing was changed", "run the command again");
        }
    }

    private Path newScratch() {
        try {
            java.nio.file.Files.createDirectories(store.dir());
            return TempPaths.directory(store.dir(), ".unpacked-");
        } catch (java.io.IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write to the store " + store.dir() + ": " + e.getMessage(),
                    "check free space and permissions, or point CXPM_STORE elsewhere", e);
        }
    }

    private void fetchIntoStore(LockedPlugin p, java.util.function.Supplier<ProjectIndex> index) {
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

    /** Brings a release's content into the store; returns its content integrity. */
    Integrity intoStore(ProjectIndex.Found found) {
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
                    store.addArchive(new dev.cxpm.core.install.RegistryBlobs(store, progress).keep(b.registry(), b.plugin(), b.release()));
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

    private Path versionDir(LockedPlugin p) {
        return p.versionDirIn(home);
    }

    private static String id(LockedPlugin p) {
        return ProjectSync.id(p);
    }
}
