package dev.cxpm.core.sync;

import dev.cxpm.core.UserError;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.resolve.HeldBack;
import dev.cxpm.core.resolve.PluginIndex;
import dev.cxpm.core.resolve.PluginRelease;
import dev.cxpm.core.resolve.ReleaseAge;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.Resolution;
import dev.cxpm.core.resolve.Resolver;
import dev.cxpm.core.sync.store.Store;
import dev.cxpm.core.sync.store.StoreFill;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Sync's phase 1: a new lockfile, resolved when cxpm.lock is missing, disagrees with cxpm.toml or an update was
 * asked for. Locked versions are preferred unless updated; new content goes into the store to be hashed.
 */
final class LockResolution {

    private final Store store;
    private final StoreFill fill;

    LockResolution(Store store, StoreFill fill) {
        this.store = store;
        this.fill = fill;
    }

    /** Refuses, before anything is read, an update of a plugin the project does not have. */
    static void checkUpdated(ProjectManifest project, Optional<Lockfile> existing, ProjectSync.Options options) {
        for (String name : options.update()) {
            if (!existing.map(l -> l.plugins().containsKey(name)).orElse(false) && !project.plugins().containsKey(name)) {
                throw new UserError(UserError.Kind.NOT_FOUND, "`" + name + "` is not a plugin of this project",
                        "see cxpm.toml and `cxpm outdated`");
            }
        }
    }

    Lockfile resolve(ProjectManifest project, Optional<Lockfile> existing, ProjectIndex index, ProjectSync.Options options, ReleaseAge age) {
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
        // A release younger than the minimum age is left out, unless it is the locked one: what a team already
        // agreed on stays, even through an update (which would otherwise move back to an older version).
        Map<String, LockedPlugin> lockedNow = existing.map(Lockfile::plugins).orElse(new TreeMap<>());
        Map<String, List<HeldBack>> heldBack = new HashMap<>();
        // New content is packed into the store on a small pool (each job writes only its own temp files), then taken in
        // lock order, so the first plugin's failure is the one reported and the warnings come in order; a registry's blob
        // is downloaded here, in order, with its progress. A plugin with one candidate is packed as soon as the resolver
        // asks for it, while the resolver reads the other plugins' manifests: it is the one chosen, or the resolution
        // fails (a pack left in the store then is content-addressed, unused, and harmless). Closing the pool waits for every job.
        Map<PluginRelease, java.util.concurrent.Future<StoreFill.Stored>> packing = new HashMap<>();
        try (SmallPool pool = new SmallPool(Math.max(2, project.ranges().size()))) {
            PluginIndex withLocked = new PluginIndex() {
                @Override
                public List<PluginRelease> releases(String name) {
                    LockedPlugin old = lockedNow.get(name);
                    List<PluginRelease> list = new ArrayList<>();
                    List<ProjectIndex.Found> candidates = new ArrayList<>();
                    List<HeldBack> held = new ArrayList<>();
                    for (ProjectIndex.Found f : index.found(name)) {
                        if (f.yanked()) {
                            continue;
                        }
                        boolean isLocked = old != null && f.release().version().equals(old.version()) && f.release().origin().equals(old.marketplace());
                        Optional<java.time.Instant> until = isLocked ? Optional.empty() : age.heldUntil(f.publishedAt());
                        if (until.isPresent()) {
                            held.add(new HeldBack(f.release(), until.get(), age.setting().orElseThrow()));
                        } else {
                            list.add(f.release());
                            candidates.add(f);
                        }
                    }
                    heldBack.put(name, List.copyOf(held));
                    boolean updating = options.updateAll() || options.update().contains(name);
                    boolean lockedIsHere = old != null && !updating && (store.has(old.integrity()) || index.found(name).stream()
                            .anyMatch(f -> f.release().version().equals(old.version()) && f.release().origin().equals(old.marketplace())));
                    if (lockedIsHere && list.stream()
                            .noneMatch(r -> r.version().equals(old.version()) && r.origin().equals(old.marketplace()))) {
                        list.add(Lockfile.release(old));
                    }
                    if (list.size() == 1 && candidates.size() == 1 && StoreFill.packs(candidates.get(0))
                            && !keeps(old, candidates.get(0), options)) {
                        ProjectIndex.Found only = candidates.get(0);
                        packing.computeIfAbsent(only.release(), r -> pool.submit(() -> fill.stored(only, old != null)));
                    }
                    return list;
                }

                @Override
                public List<HeldBack> heldBack(String name) {
                    return heldBack.getOrDefault(name, List.of());
                }
            };
            Resolution resolution = Resolver.resolve(project.ranges(), prefer, withLocked);
            List<PluginRelease> selected = List.copyOf(resolution.selected().values());
            List<Optional<ProjectIndex.Found>> offered = new ArrayList<>();
            for (PluginRelease r : selected) {
                Optional<ProjectIndex.Found> f = index.found(r.name()).stream().filter(x -> x.release().equals(r)).findFirst();
                offered.add(f);
                if (f.isPresent() && StoreFill.packs(f.get()) && !keeps(lockedNow.get(r.name()), f.get(), options)) {
                    boolean locked = lockedNow.containsKey(r.name());
                    packing.computeIfAbsent(r, x -> pool.submit(() -> fill.stored(f.get(), locked)));
                }
            }
            List<LockedPlugin> locked = new ArrayList<>();
            for (int i = 0; i < selected.size(); i++) {
                PluginRelease r = selected.get(i);
                LockedPlugin old = lockedNow.get(r.name());
                if (offered.get(i).isEmpty()) {
                    locked.add(old); // only the locked release (from the store) had this version
                    continue;
                }
                ProjectIndex.Found f = offered.get(i).get();
                java.util.concurrent.Future<StoreFill.Stored> packed = packing.get(r);
                Integrity integrity = keeps(old, f, options) ? old.integrity()
                        : packed != null ? fill.took(SmallPool.result(packed)) : fill.intoStore(f, old != null);
                locked.add(new LockedPlugin(r.name(), r.version(), r.origin(), f.source(), integrity,
                        new java.util.TreeMap<>(r.dependencies()), Optional.empty(), index.registryKey(r.origin())));
            }
            return new Lockfile(locked);
        }
    }

    /** Whether the lock entry old stays as it is for this release: same version, marketplace and source, and no update asked. */
    private static boolean keeps(LockedPlugin old, ProjectIndex.Found f, ProjectSync.Options options) {
        PluginRelease r = f.release();
        return old != null && old.version().equals(r.version()) && old.marketplace().equals(r.origin())
                && old.source().equals(f.source()) && !options.updateAll() && !options.update().contains(r.name());
    }

    static List<ProjectSync.LockChange> lockChanges(Optional<Lockfile> before, Lockfile after) {
        Map<String, ProjectSync.LockChange> out = new TreeMap<>();
        Map<String, LockedPlugin> old = before.map(Lockfile::plugins).orElse(new TreeMap<>());
        for (LockedPlugin p : after.plugins().values()) {
            LockedPlugin o = old.get(p.name());
            if (o == null || !o.version().equals(p.version()) || !o.integrity().equals(p.integrity())) {
                out.put(p.name(), new ProjectSync.LockChange(p.name(), Optional.ofNullable(o).map(x -> x.version().text()),
                        Optional.of(p.version().text())));
            }
        }
        for (LockedPlugin o : old.values()) {
            if (!after.plugins().containsKey(o.name())) {
                out.put(o.name(), new ProjectSync.LockChange(o.name(), Optional.of(o.version().text()), Optional.empty()));
            }
        }
        return List.copyOf(out.values());
    }
}
