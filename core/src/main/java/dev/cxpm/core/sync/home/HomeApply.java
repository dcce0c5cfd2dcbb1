package dev.cxpm.core.sync.home;

import dev.cxpm.core.Progress;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.HomeLock;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.codexhome.VersionDir;
import dev.cxpm.core.install.CommandSkills;
import dev.cxpm.core.install.PluginCache;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.project.MarketplaceDecl;
import dev.cxpm.core.project.PluginRequirement;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.sync.ProjectIndex;
import dev.cxpm.core.sync.ProjectMarketplaces;
import dev.cxpm.core.sync.ProjectSync.Action;
import dev.cxpm.core.sync.ProjectSync.Change;
import dev.cxpm.core.sync.ProjectSync;
import dev.cxpm.core.sync.SmallPool;
import dev.cxpm.core.sync.store.Store;
import dev.cxpm.core.sync.store.StoreTree;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Sync's phase 3: under the Codex home lock, links the store's checked trees into Codex's cache, sets their
 * {@code [plugins."id"]} tables and removes what this project installed and no longer needs.
 */
public final class HomeApply {

    private final Path projectDir;
    private final CodexHome home;
    private final Store store;
    private final Duration lockTimeout;
    private final PluginCache cache;
    private final ProjectMarketplaces sources;

    private final Progress progress;

    public HomeApply(Path projectDir, CodexHome home, Store store, Duration lockTimeout, ProjectMarketplaces sources, Progress progress) {
        this.progress = progress;
        this.projectDir = projectDir;
        this.home = home;
        this.cache = new PluginCache(home);
        this.store = store;
        this.lockTimeout = lockTimeout;
        this.sources = sources;
    }

    /** Applies the plan under the home lock; returns what changed in the home. */
    public List<Change> underHomeLock(ProjectManifest project, Lockfile lock, List<LockedPlugin> toInstall, Set<String> repairs,
            Map<String, StoreTree> trees, SyncState state, Supplier<ProjectIndex> lazyIndex) {
        // Phase 3: apply, under the home lock. New version directories are renamed in beside the old ones,
        // then config.toml is replaced once, and only then are old versions and removed plugins deleted: a
        // run killed anywhere leaves each plugin wholly old or wholly new, and the next sync finishes the job.
        List<Change> changes = new ArrayList<>();
        try (HomeLock ignored = HomeLock.acquire(home, lockTimeout)) {
            SyncStamp.forget(projectDir, home);
            // Under the lock, each directory of the cache is proven not a link once for this pass, not once per
            // path built in it (~16 lstat of the same few directories per plugin).
            new HomeApply(projectDir, home.provingEachDirOnce(), store, lockTimeout, sources, progress)
                    .locked(project, lock, toInstall, repairs, trees, state, changes, lazyIndex);
        }
        return changes;
    }

    private void locked(ProjectManifest project, Lockfile lock, List<LockedPlugin> toInstall, Set<String> repairs,
            Map<String, StoreTree> trees, SyncState state, List<Change> changes, Supplier<ProjectIndex> lazyIndex) {
        cache.recover();
        Path work = cache.newWork();
        try {
            apply(project, lock, toInstall, repairs, trees, state, changes, lazyIndex, work);
        } finally {
            cache.discard(work);
        }
    }

    private void apply(ProjectManifest project, Lockfile lock, List<LockedPlugin> toInstall, Set<String> repairs,
            Map<String, StoreTree> trees, SyncState state, List<Change> changes, Supplier<ProjectIndex> lazyIndex, Path work) {
        CodexConfig config = home.config();
        String before = config.text();
        config = sources.ensureMarketplaces(project, config, lazyIndex);
        Map<String, Boolean> enabled = config.plugins();
        // each plugin's id made once (it keys the state, the flags, the trees and the staging): ~12 concatenations a plugin were
        // ~5 ms of a cold sync of 1,000's main thread
        String[] ids = new String[toInstall.size()];
        Set<String> installedIds = new HashSet<>();
        for (int i = 0; i < ids.length; i++) {
            LockedPlugin p = toInstall.get(i);
            ids[i] = id(p);
            installedIds.add(ids[i]);
            // Named before anything moves, with no integrity yet (so "not installed"): a sync after a kill still
            // knows these are this project's to finish or remove.
            state.put(ids[i], new SyncState.Entry(p.version().text(), "", projectDir.toString()));
        }
        if (!toInstall.isEmpty()) {
            state.write();
        }
        Set<String> alone = new HashSet<>(); // plugins whose directory placing made: no other version in it to remove
        Edit[] edit = {null};
        SyncState.Contents[] finalState = {null};
        try (Progress.Step step = progress.begin("installing " + toInstall.size() + " plugins")) {
            CodexConfig withMarketplaces = config;
            // config.toml's edit and the sync state's last contents are worked out while the plugins are placed (they
            // depend on none of them: a plugin not placed throws, and neither is written), written after
            List<Placed> placed = placeAll(toInstall, ids, trees, work, step, () -> {
                edit[0] = edit(project, lock, withMarketplaces, enabled, installedIds, state);
                for (int i = 0; i < ids.length; i++) {
                    LockedPlugin p = toInstall.get(i);
                    state.put(ids[i], new SyncState.Entry(p.version().text(), p.integrity().toString(), projectDir.toString()));
                }
                finalState[0] = state.contents();
            });
            for (int i = 0; i < toInstall.size(); i++) {
                LockedPlugin p = toInstall.get(i);
                if (placed.get(i).made()) {
                    alone.add(ids[i]);
                }
                Optional<String> from = placed.get(i).shownBefore();
                // the version Codex showed placed again: its files were not the locked ones (edited, or another content)
                Action action = placed.get(i).replacedLink() ? Action.REPLACE_LINK
                        : repairs.contains(ids[i]) ? Action.REPAIR
                        : from.filter(p.version().text()::equals).isPresent() ? Action.REPLACE
                        : from.isPresent() ? Action.UPDATE : Action.INSTALL;
                changes.add(new Change(action, p.name(), p.marketplace(), from, Optional.of(p.version().text())));
            }
        }
        changes.addAll(edit[0].changes());
        config = edit[0].config();
        List<Path> removed = edit[0].removed();
        if (!config.text().equals(before)) {
            config.write();
        }
        // Codex now names the new versions (and no longer the removed plugins): the old files can go.
        for (int i = 0; i < ids.length; i++) {
            LockedPlugin p = toInstall.get(i);
            if (!alone.contains(ids[i])) {
                cache.removeOtherVersions(p.pluginDirIn(home), p.version().text(), work);
            }
        }
        removed.forEach(cache::remove);
        state.write(finalState[0]);
    }

    /** What config.toml becomes (every flag and removal in one edit each), the plugin directories to remove, and the changes they make. */
    private record Edit(CodexConfig config, List<Path> removed, List<Change> changes) {
    }

    /**
     * Works out config.toml's flags and removals and the sync state's entries of this project's plugins: nothing is
     * written (state changes in memory only). Every flag and removal goes into config.toml in one edit each: cut up and
     * re-parsed once, not once per plugin.
     */
    private Edit edit(ProjectManifest project, Lockfile lock, CodexConfig config, Map<String, Boolean> enabled, Set<String> installedIds,
            SyncState state) {
        List<Change> changes = new ArrayList<>();
        LinkedHashMap<String, Boolean> flags = new LinkedHashMap<>();
        Set<String> lockedIds = new HashSet<>();
        for (LockedPlugin p : lock.plugins().values()) {
            String id = id(p);
            lockedIds.add(id);
            boolean want = Optional.ofNullable(project.plugins().get(p.name())).map(PluginRequirement::enabled).orElse(true);
            Boolean current = enabled.get(id);
            if (current == null || current != want) {
                flags.put(id, want);
                if (current != null && !installedIds.contains(id)) {
                    changes.add(new Change(want ? Action.ENABLE : Action.DISABLE, p.name(), p.marketplace(), Optional.empty(), Optional.empty()));
                }
            }
            SyncState.Entry s = state.plugins().get(id);
            if (!recorded(s, p)) { // not this project's yet, or a copy phase 2 adopted
                state.put(id, new SyncState.Entry(p.version().text(), p.integrity().toString(), projectDir.toString()));
            }
        }
        config = config.withPlugins(flags);
        List<Path> removed = new ArrayList<>();
        List<String> removedIds = new ArrayList<>();
        for (var e : new TreeMap<>(state.plugins()).entrySet()) {
            if (!e.getValue().project().equals(projectDir.toString()) || lockedIds.contains(e.getKey())) {
                continue;
            }
            int at = e.getKey().lastIndexOf('@');
            String name = e.getKey().substring(0, at);
            String mk = e.getKey().substring(at + 1);
            removed.add(home.pluginDir(MarketplaceName.of(mk), PluginName.of(name)));
            removedIds.add(e.getKey());
            state.remove(e.getKey());
            changes.add(new Change(Action.REMOVE, name, mk, Optional.of(e.getValue().version()), Optional.empty()));
        }
        return new Edit(config.withoutPlugins(removedIds), removed, changes);
    }

    /** True when the home already has every flag and marketplace the project wants, nothing to remove, and nothing a killed run left. */
    public boolean nothingToChange(ProjectManifest project, Lockfile lock, SyncState state, CodexConfig config) {
        // a run killed after placing everything, while it deleted what it moved aside: clean up under the lock
        if (cache.hasLeftovers()) {
            return false;
        }
        Map<String, Boolean> enabled = config.plugins();
        Set<String> lockedIds = new HashSet<>();
        for (LockedPlugin p : lock.plugins().values()) {
            String id = id(p);
            lockedIds.add(id);
            boolean want = Optional.ofNullable(project.plugins().get(p.name())).map(PluginRequirement::enabled).orElse(true);
            SyncState.Entry s = state.plugins().get(id);
            if (!Boolean.valueOf(want).equals(enabled.get(id)) || !recorded(s, p)) {
                return false;
            }
        }
        for (var e : state.plugins().entrySet()) {
            if (e.getValue().project().equals(projectDir.toString()) && !lockedIds.contains(e.getKey())) {
                return false;
            }
        }
        for (MarketplaceDecl decl : project.marketplaces().values()) {
            if (!ProjectMarketplaces.isGit(decl.source()) && !config.marketplaces().containsKey(decl.name())) {
                return false;
            }
        }
        return true;
    }

    /** Whether the sync state records p as this project's, with its locked version and content. */
    private boolean recorded(SyncState.Entry s, LockedPlugin p) {
        return s != null && s.project().equals(projectDir.toString()) && s.version().equals(p.version().text())
                && s.integrity().equals(p.integrity().toString());
    }

    /** What placing one plugin found and did: the version Codex showed before (empty: none), and whether it made the plugin's directory. */
    /** replacedLink: the version directory was a link (Codex shows no plugin through one), now a directory. */
    private record Placed(Optional<String> shownBefore, boolean made, boolean replacedLink) {
    }

    /**
     * Places every plugin to install, on both cores: making directories and links is kernel work, nearly all of a sync into
     * an empty home, and two plugins are placed side by side. Each worker takes the next plugin in lock order and stages in a
     * directory of work of its own (directories made in one parent queue on that parent's lock), and reports each plugin as
     * it begins it. The results are taken in lock order once both workers are done: taken as each was placed, every result
     * woke sync's thread (a park and an unpark, ~5 futex calls a plugin, the waker's core taken from placing). The first
     * plugin's failure is the one thrown, and no worker starts another plugin after a failure. Each plugin is still
     * wholly placed by one rename, or not at all.
     */
    private List<Placed> placeAll(List<LockedPlugin> toInstall, String[] ids, Map<String, StoreTree> trees, Path work, Progress.Step step,
            Runnable meanwhile) {
        int count = toInstall.size();
        List<CompletableFuture<Placed>> placed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            placed.add(new CompletableFuture<>());
        }
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        try (SmallPool pool = new SmallPool(count)) {
            List<Future<Object>> workers = new ArrayList<>(SmallPool.THREADS);
            for (int w = 0; w < Math.min(SmallPool.THREADS, count); w++) {
                Path staging = work.resolve("w" + w);
                workers.add(pool.submit(() -> {
                    boolean made = false;
                    for (int i; !failed.get() && (i = next.getAndIncrement()) < count; ) {
                        LockedPlugin p = toInstall.get(i);
                        try {
                            step.item(i + 1, count, "installing", p.name(), p.marketplace(), p.version());
                            if (!made) {
                                makeDirectory(staging);
                                made = true;
                            }
                            placed.get(i).complete(place(p, ids[i], trees.get(ids[i]), staging, work));
                        } catch (Throwable e) {
                            failed.set(true); // every plugin taken before this one completes: the caller never waits on one not taken
                            placed.get(i).completeExceptionally(e);
                        }
                    }
                    return null;
                }));
            }
            // what meanwhile throws is thrown once every plugin is placed, as when it ran after them (a plugin's failure first)
            RuntimeException meanwhileFailed = null;
            try {
                meanwhile.run();
            } catch (RuntimeException e) {
                meanwhileFailed = e;
            }
            for (var w : workers) {
                SmallPool.result(w); // a worker catches what placing threw: this waits, it does not throw
            }
            // every plugin a worker took is done; the first failure in lock order comes before any plugin not taken
            List<Placed> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(SmallPool.result(placed.get(i)));
            }
            if (meanwhileFailed != null) {
                throw meanwhileFailed;
            }
            return out;
        } // closing waits for both workers: nothing is still writing into work when it is deleted
    }

    /**
     * Links the tree phase 2 checked into the worker's staging directory (copies where the store cannot be linked from),
     * adds the skills Codex makes of its commands (new files of the copy, as {@code codex plugin add} leaves them), then
     * renames it into Codex's cache: one rename, so Codex sees the whole plugin or none of it. A plugin with no
     * directory yet gets its directory staged around the version and renamed in whole (no directory made in the
     * marketplace's, and nothing there to look at); otherwise the version is renamed in beside the older ones.
     */
    private Placed place(LockedPlugin p, String id, StoreTree tree, Path staging, Path work) {
        Path pluginDir = p.pluginDirIn(home);
        Path staged = staging.resolve(id);
        if (!cache.mayHold(pluginDir) || !Files.exists(pluginDir, LinkOption.NOFOLLOW_LINKS)) {
            Path version = staged.resolve(VersionDir.of(p.version().text()).text());
            makeDirectory(staged);
            tree.placeInto(version);
            CommandSkills.write(version, tree.commandSkills());
            if (cache.putNew(staged, pluginDir)) {
                return new Placed(Optional.empty(), true, false);
            }
            Optional<String> shown = PluginCache.shownVersion(pluginDir); // made meanwhile: placed as an update
            boolean link = Files.isSymbolicLink(versionDir(p));
            return new Placed(shown, cache.put(version, versionDir(p), work), link);
        }
        Optional<String> shown = PluginCache.shownVersion(pluginDir);
        boolean link = Files.isSymbolicLink(versionDir(p));
        tree.placeInto(staged);
        CommandSkills.write(staged, tree.commandSkills());
        return new Placed(shown, cache.put(staged, versionDir(p), work), link);
    }

    private static void makeDirectory(Path dir) {
        try {
            Files.createDirectory(dir);
        } catch (java.io.IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot create " + dir + ": " + e.getMessage(),
                    "check free space and permissions of the Codex home", e);
        }
    }

    private Path versionDir(LockedPlugin p) {
        return p.versionDirIn(home);
    }

    private static String id(LockedPlugin p) {
        return ProjectSync.id(p);
    }
}
