package dev.cxpm.core.sync;

import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.resolve.PluginRelease;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.ReleaseAge;
import dev.cxpm.core.resolve.Requirement;
import dev.cxpm.core.resolve.Resolution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * For each plugin of the project: the locked version, the newest one every range allows
 * ("wanted", what {@code cxpm update} would move to) and the newest one at all ("latest"), both among the
 * versions old enough for the minimum release age; the younger ones are listed as held back, with the
 * moment each may be picked.
 */
public final class Outdated {

    public record Row(String plugin, Optional<String> marketplace, Optional<String> current, Optional<String> wanted,
            Optional<String> latest, boolean direct, List<HeldBack> heldBack) {
        public boolean outdated() {
            return !current.equals(wanted) || !current.equals(latest);
        }
    }

    private Outdated() {
    }

    /** A version held back by the minimum release age, and from when it may be picked. */
    public record HeldBack(String version, java.time.Instant until) {
    }

    public static List<Row> of(ProjectManifest project, Optional<Lockfile> lock, ProjectIndex index, ReleaseAge age) {
        Resolution locked = lock.map(l -> l.asResolution(project.ranges())).orElse(null);
        Set<String> names = new TreeSet<>(project.plugins().keySet());
        lock.ifPresent(l -> names.addAll(l.plugins().keySet()));
        List<Row> rows = new ArrayList<>();
        for (String name : names) {
            Optional<LockedPlugin> current = lock.map(l -> l.plugins().get(name));
            List<Requirement> reqs = locked != null ? locked.requirements().getOrDefault(name, List.of())
                    : project.plugins().containsKey(name)
                            ? List.of(Requirement.fromProject(name, project.plugins().get(name).range())) : List.of();
            List<PluginRelease> releases = new ArrayList<>();
            List<HeldBack> heldBack = new ArrayList<>();
            for (ProjectIndex.Found f : index.found(name)) {
                PluginRelease r = f.release();
                if (f.yanked() || current.isPresent() && !r.origin().equals(current.get().marketplace())) {
                    continue;
                }
                boolean isCurrent = current.isPresent() && current.get().version().equals(r.version());
                Optional<java.time.Instant> until = isCurrent ? Optional.empty() : age.heldUntil(f.publishedAt());
                if (until.isPresent()) {
                    heldBack.add(new HeldBack(r.version().text(), until.get()));
                } else {
                    releases.add(r);
                }
            }
            Optional<PluginVersion> latest = releases.stream().map(PluginRelease::version).max(Comparator.naturalOrder());
            // A marketplace offers one version at a time: the locked one still counts as available (it is in the store).
            Optional<PluginVersion> wanted = java.util.stream.Stream.concat(releases.stream().map(PluginRelease::version),
                            current.map(LockedPlugin::version).stream())
                    .filter(v -> reqs.stream().allMatch(r -> r.range().includes(v)))
                    .max(Comparator.naturalOrder());
            rows.add(new Row(name,
                    current.map(LockedPlugin::marketplace).or(() -> releases.stream().findFirst().map(PluginRelease::origin)),
                    current.map(p -> p.version().text()), wanted.map(PluginVersion::text), latest.map(PluginVersion::text),
                    project.plugins().containsKey(name), List.copyOf(heldBack)));
        }
        return rows;
    }
}
