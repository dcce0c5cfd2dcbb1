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
        PluginIndex withLocked = new PluginIndex() {
            @Override
            public List<PluginRelease> releases(String name) {
                LockedPlugin old = lockedNow.get(name);
                List<PluginRelease> list = new ArrayList<>();
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
        List<Boolean> keep = new ArrayList<>();
        for (PluginRelease r : selected) {
            LockedPlugin old = lockedNow.get(r.name());
            Optional<ProjectIndex.Found> f = index.found(r.name()).stream().filter(x -> x.release().equals(r)).findFirst();
            offered.add(f);
            keep.add(f.isPresent() && old != null && old.version().equals(r.version()) && old.marketplace().equals(r.origin())
                    && old.source().equals(f.get().source()) && !options.updateAll() && !options.update().contains(r.name()));
        }
        List<LockedPlugin> locked = new ArrayList<>();
        // New content is packed into the store on a small pool (each job writes only its own temp files), then taken in
        // lock order, so the first plugin's failure is the one reported and the warnings come in order; a registry's blob
        // is downloaded here, in order, with its progress. Closing the pool waits for every job.
        List<Boolean> packs = new ArrayList<>();
        for (int i = 0; i < selected.size(); i++) {
            packs.add(offered.get(i).isPresent() && !keep.get(i) && StoreFill.packs(offered.get(i).get()));
        }
        try (SmallPool pool = new SmallPool((int) packs.stream().filter(p -> p).count())) {
            List<java.util.concurrent.Future<StoreFill.Stored>> packing = new ArrayList<>();
            for (int i = 0; i < selected.size(); i++) {
                Optional<ProjectIndex.Found> f = offered.get(i);
                packing.add(packs.get(i) ? pool.submit(() -> fill.stored(f.get())) : null);
            }
            for (int i = 0; i < selected.size(); i++) {
                PluginRelease r = selected.get(i);
                LockedPlugin old = lockedNow.get(r.name());
                if (offered.get(i).isEmpty()) {
                    locked.add(old); // only the locked release (from the store) had this version
                    continue;
                }
                ProjectIndex.Found f = offered.get(i).get();
                Integrity integrity = keep.get(i) ? old.integrity()
                        : packing.get(i) != null ? fill.took(SmallPool.result(packing.get(i))) : fill.intoStore(f);
                locked.add(new LockedPlugin(r.name(), r.version(), r.origin(), f.source(), integrity,
                        new java.util.TreeMap<>(r.dependencies()), Optional.empty(), index.registryKey(r.origin())));
            }
        }
        return new Lockfile(locked);
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
