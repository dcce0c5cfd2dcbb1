package dev.cxpm.core.lock;

import dev.cxpm.core.project.PluginRequirement;
import dev.cxpm.core.project.ProjectManifest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether cxpm.lock still answers cxpm.toml: every declared plugin locked within its range and from
 * its marketplace, every locked dependency satisfied, nothing locked that nothing needs. Used by
 * {@code sync --frozen} (any disagreement fails) and {@code doctor}.
 */
public final class LockCheck {

    private LockCheck() {
    }

    /** Human sentences, one per disagreement; empty when the lockfile fits the manifest. */
    public static List<String> disagreements(ProjectManifest project, Lockfile lock) {
        List<String> out = new ArrayList<>();
        // what cxpm.toml needs: each declared plugin that is locked, found here once, and what they depend on (walked below)
        Set<String> reached = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        for (PluginRequirement req : project.plugins().values()) {
            LockedPlugin p = lock.plugins().get(req.name());
            if (p == null) {
                out.add("`" + req.name() + "` is in cxpm.toml but not in cxpm.lock");
                continue;
            }
            if (reached.add(req.name())) {
                queue.addAll(p.dependencies().keySet());
            }
            if (!req.range().includes(p.version())) {
                out.add("cxpm.toml wants " + req.name() + " " + req.range() + " but cxpm.lock has " + p.version());
            }
            if (req.marketplace().isPresent() && !req.marketplace().get().equals(p.marketplace())) {
                out.add("cxpm.toml takes " + req.name() + " from marketplace `" + req.marketplace().get()
                        + "` but cxpm.lock has it from `" + p.marketplace() + "`");
            }
        }
        for (LockedPlugin p : lock.plugins().values()) {
            for (java.util.Map.Entry<String, dev.cxpm.core.resolve.VersionRange> e : p.dependencies().entrySet()) { // most have none
                LockedPlugin d = lock.plugins().get(e.getKey());
                if (d != null && !e.getValue().includes(d.version())) {
                    out.add(p.id() + " needs " + e.getKey() + " " + e.getValue() + " but cxpm.lock has " + d.version());
                }
            }
        }
        while (!queue.isEmpty()) {
            String name = queue.poll();
            LockedPlugin p = lock.plugins().get(name);
            if (p != null && reached.add(name)) {
                queue.addAll(p.dependencies().keySet());
            }
        }
        for (String name : lock.plugins().keySet()) {
            if (!reached.contains(name)) {
                out.add("`" + name + "` is in cxpm.lock but nothing in cxpm.toml needs it");
            }
        }
        return out;
    }
}
