package dev.cxpm.core.sync;

import dev.cxpm.core.UserError;
import dev.cxpm.core.approve.ApprovalGate;
import dev.cxpm.core.approve.ApprovalRequest;
import dev.cxpm.core.approve.Consent;
import dev.cxpm.core.approve.RunHash;
import dev.cxpm.core.approve.RunSurface;
import dev.cxpm.core.approve.UserApprovals;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.sync.store.Store;
import dev.cxpm.core.sync.store.UnpackedPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Sync's approval rule, between phase 2 and phase 3 (before anything is written): every locked plugin's run surface,
 * read from the content about to be installed (unpacked and verified by phase 2) or installed, must hash to the {@code approved} its
 * cxpm.lock entry carries. Otherwise the user's own approval ({@code cxpm approve}) or the {@link Consent} approves it
 * and sync records it in cxpm.lock (only there: the project's approvals are the team's); {@code --frozen} takes only cxpm.lock's. What is left stops sync with each plugin's
 * diff. A plugin that runs nothing needs no approval.
 */
final class SyncApprovals {

    private final CodexHome home;
    private final Store store;

    SyncApprovals(CodexHome home, Store store) {
        this.home = home;
        this.store = store;
    }

    /**
     * lock with approvals carried over from existing and newly recorded ones; throws UNAPPROVED for the rest. unpacked:
     * the content of each plugin this sync installs (by id), unpacked and verified by phase 2.
     */
    Lockfile check(Optional<Lockfile> existing, Lockfile lock, UnpackedPlugins unpacked, boolean frozen, Consent consent) {
        return check(existing, lock, read(unpacked), frozen, consent);
    }

    /** As {@link #check(Optional, Lockfile, UnpackedPlugins, boolean, Consent)}, with what those plugins run read ahead. */
    Lockfile check(Optional<Lockfile> existing, Lockfile lock, ReadAhead read, boolean frozen, Consent consent) {
        Map<String, LockedPlugin> before = existing.map(Lockfile::plugins).orElse(new TreeMap<>());
        UserApprovals mine = null;
        List<ApprovalRequest> refused = new ArrayList<>();
        List<ApprovalRequest> granted = new ArrayList<>();
        List<LockedPlugin> out = new ArrayList<>();
        Map<String, Surface> installing = read.surfaces();
        for (LockedPlugin p : lock.plugins().values()) {
            Optional<RunHash> carried = p.approved().or(() -> Optional.ofNullable(before.get(p.name())).flatMap(LockedPlugin::approved));
            Surface ahead = installing.get(ProjectSync.id(p));
            RunSurface now = ahead != null ? ahead.runs() : installed(p);
            RunHash hash = ahead != null ? ahead.hash() : now.hash();
            if (now.isEmpty() || carried.filter(hash::equals).isPresent()) {
                out.add(p.withApproved(carried));
                continue;
            }
            String id = ProjectSync.id(p);
            if (mine == null) {
                mine = UserApprovals.read(home);
            }
            boolean byUser = !frozen && mine.approved(id).filter(a -> a.hash().equals(hash)).isPresent();
            ApprovalRequest request = new ApprovalRequest(id, now, baseline(before.get(p.name()), carried, mine.approved(id)),
                    carried);
            if (byUser || !frozen && consent.grant(request)) {
                out.add(p.withApproved(Optional.of(hash))); // recorded where the team reads it: cxpm.lock
                if (!byUser) {
                    granted.add(request);
                }
            } else {
                refused.add(request);
                out.add(p);
            }
        }
        if (!refused.isEmpty()) {
            if (!frozen) {
                // cxpm.lock is not written now: what was approved here is kept for this user, so it is not asked again
                for (ApprovalRequest r : granted) {
                    mine = mine.withApproved(r.pluginId(), r.now());
                }
                for (ApprovalRequest r : refused) {
                    mine = mine.withPending(r.pluginId(), r.now());
                }
                mine.write();
            }
            String names = refused.stream().map(ApprovalRequest::pluginId).collect(Collectors.joining(" "));
            throw ApprovalGate.unapproved(refused, frozen
                    ? "review it where you can, run `cxpm approve " + names + "` there and commit cxpm.lock"
                    : "review it, then run `cxpm approve " + names + "` and this command again (or run it again with --yes)");
        }
        return sameApprovals(out, lock) ? lock : new Lockfile(out);
    }

    /**
     * Whether a lockfile of out would read as lock does, without rendering either (two renderings of every entry on each
     * sync): out holds lock's entries in its order, each as it was or with another approval, the one field that can
     * differ, so comparing the approvals' text compares the files' text.
     */
    private static boolean sameApprovals(List<LockedPlugin> out, Lockfile lock) {
        int i = 0;
        for (LockedPlugin p : lock.plugins().values()) {
            if (!out.get(i++).approved().map(RunHash::text).equals(p.approved().map(RunHash::text))) {
                return false;
            }
        }
        return true;
    }

    /**
     * What the plugins a sync installs run (by id), read from their unpacked content ahead of the checks ({@link #read}):
     * each one's run surface, or what reading it threw, thrown when {@link #check} takes it (so a failure surfaces where
     * it did when the check read the plugin itself).
     */
    static final class ReadAhead {
        private final List<String> ids;
        private final List<java.util.concurrent.Future<Surface>> read;

        private ReadAhead(List<String> ids, List<java.util.concurrent.Future<Surface>> read) {
            this.ids = ids;
            this.read = read;
        }

        private Map<String, Surface> surfaces() {
            Map<String, Surface> out = new java.util.HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                out.put(ids.get(i), SmallPool.result(read.get(i)));
            }
            return out;
        }
    }

    /**
     * Reads what each plugin about to be installed runs, a few plugins at once: reading it loads each plugin's manifest,
     * MCP servers, hooks and apps (kept in its {@link Plugin}), which the prerequisite check and the policy then find read
     * instead of reading every plugin's files one after another on one thread. Returns once every plugin is read.
     */
    static ReadAhead read(UnpackedPlugins unpacked) {
        List<String> ids = List.copyOf(unpacked.dirs().keySet());
        List<java.util.concurrent.Future<Surface>> read = new ArrayList<>(ids.size());
        try (SmallPool pool = new SmallPool(ids.size())) {
            ids.forEach(id -> read.add(pool.submit(() -> Surface.of(surface(unpacked.plugin(id))))));
            read.forEach(SyncApprovals::finished); // each plugin is handed on whole, never read by two threads at once
        }
        return new ReadAhead(ids, read);
    }

    /** What a plugin runs and its hash (hashed where it was read, not one plugin after another on the checking thread). */
    private record Surface(RunSurface runs, RunHash hash) {
        static Surface of(RunSurface runs) {
            return new Surface(runs, runs.hash());
        }
    }

    /** Waits until a job has run; what it threw stays in it, for whoever takes its result. */
    private static void finished(java.util.concurrent.Future<?> job) {
        try {
            job.get();
        } catch (java.util.concurrent.ExecutionException e) {
            // kept in the job: thrown where its result is taken
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(UserError.Kind.IO, "interrupted; nothing was changed", null, e);
        }
    }

    /** Installed and, as sync's state says, the locked content: read where Codex reads it (else from the store). */
    private RunSurface installed(LockedPlugin p) {
        Path dir = p.versionDirIn(home);
        if (Files.isDirectory(dir)) {
            return surface(dir);
        }
        return LockedRunSurface.of(p, home, store).orElse(RunSurface.none());
    }

    /** What the plugin in dir runs; nothing when it has no readable manifest (Codex would not load it). */
    private static RunSurface surface(Path dir) {
        return surface(UnpackedPlugins.load(dir));
    }

    private static RunSurface surface(Optional<Plugin> plugin) {
        try {
            return plugin.map(RunSurface::of).orElse(RunSurface.none());
        } catch (UserError e) {
            return RunSurface.none();
        }
    }

    /**
     * What the approved hash stood for, to show a diff: the previously locked content when it hashes to it, else the
     * user's own approval when it does; empty when neither (the error then shows all that runs).
     */
    private Optional<RunSurface> baseline(LockedPlugin old, Optional<RunHash> approved, Optional<UserApprovals.Approval> mine) {
        if (approved.isEmpty()) {
            return mine.map(UserApprovals.Approval::runs);
        }
        if (old != null) {
            try {
                Optional<RunSurface> s = LockedRunSurface.of(old, home, store).filter(r -> r.hash().equals(approved.get()));
                if (s.isPresent()) {
                    return s;
                }
            } catch (UserError e) {
                // no diff then: the error shows all that runs
            }
        }
        return mine.filter(a -> a.hash().equals(approved.get())).map(UserApprovals.Approval::runs);
    }
}
