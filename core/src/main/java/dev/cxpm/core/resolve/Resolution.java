package dev.cxpm.core.resolve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The resolver's answer: one release per plugin, and every requirement that applies to each, so
 * {@link #why} can tell which declaration or dependency brought a plugin in.
 */
public record Resolution(SortedMap<String, PluginRelease> selected, Map<String, List<Requirement>> requirements) {

    public Resolution {
        selected = Collections.unmodifiableSortedMap(selected);
        requirements = Collections.unmodifiableMap(requirements);
    }

    /**
     * How long a path an earlier chain printed may be before a later chain through it starts where it leaves it
     * rather than repeating it: short shared paths read better whole, and a bound keeps why linear in the plugins.
     */
    static final int SHARED_PATH_REPEATED = 3;

    /**
     * One chain per requirement on the plugin, each from {@code cxpm.toml} down to the plugin:
     * [cxpm.toml needs a ^1, a@1.2.0 needs b ^2]. Empty when the plugin is not in the resolution. A chain
     * reaching a plugin an earlier chain went through, on a path from {@code cxpm.toml} longer than
     * {@value #SHARED_PATH_REPEATED} links, starts at that plugin (its first requirement's {@code by} is present):
     * 1,000 plugins each in a chain of up to 1,000 would otherwise be half a million links.
     */
    public List<List<Requirement>> why(String plugin) {
        Paths paths = shortestLinks();
        java.util.Set<String> shown = new java.util.HashSet<>();
        List<List<Requirement>> chains = new ArrayList<>();
        for (Requirement r : requirements.getOrDefault(plugin, List.of())) {
            Deque<Requirement> chain = new ArrayDeque<>();
            chain.add(r);
            if (r.by().isPresent()) {
                String up = r.by().get().name();
                if (!paths.links().containsKey(up)) {
                    continue; // a requirer that is not reachable from the project (cannot happen after resolve)
                }
                for (String at = up; ; ) {
                    if (shown.contains(at) && paths.depth().get(at) > SHARED_PATH_REPEATED) {
                        break;
                    }
                    Requirement link = paths.links().get(at);
                    chain.addFirst(link);
                    shown.add(at);
                    if (link.by().isEmpty()) {
                        break;
                    }
                    at = link.by().get().name();
                }
            }
            chains.add(List.copyOf(chain));
        }
        return chains;
    }

    /** The last link of each plugin's shortest chain from the project, and how many links that chain has. */
    private record Paths(Map<String, Requirement> links, Map<String, Integer> depth) {
    }

    /**
     * For each selected plugin, the last requirement of the shortest chain from the project to it (BFS);
     * a chain is read back through each requirer's own link, so a long chain is not copied at every step.
     */
    private Paths shortestLinks() {
        Map<String, Requirement> links = new HashMap<>();
        Map<String, Integer> depth = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (var e : requirements.entrySet()) {
            for (Requirement r : e.getValue()) {
                if (r.by().isEmpty() && !links.containsKey(e.getKey())) {
                    links.put(e.getKey(), r);
                    depth.put(e.getKey(), 1);
                    queue.add(e.getKey());
                }
            }
        }
        while (!queue.isEmpty()) {
            String name = queue.poll();
            PluginRelease release = selected.get(name);
            if (release == null) {
                continue;
            }
            for (var dep : release.dependencies().entrySet()) {
                if (!links.containsKey(dep.getKey())) {
                    links.put(dep.getKey(), Requirement.fromRelease(dep.getKey(), dep.getValue(), release));
                    depth.put(dep.getKey(), depth.get(name) + 1);
                    queue.add(dep.getKey());
                }
            }
        }
        return new Paths(links, depth);
    }
}
