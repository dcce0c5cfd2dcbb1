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
     * One chain per requirement on the plugin, each from {@code cxpm.toml} down to the plugin:
     * [cxpm.toml needs a ^1, a@1.2.0 needs b ^2]. Empty when the plugin is not in the resolution.
     */
    public List<List<Requirement>> why(String plugin) {
        Map<String, List<Requirement>> shortest = shortestChains();
        List<List<Requirement>> chains = new ArrayList<>();
        for (Requirement r : requirements.getOrDefault(plugin, List.of())) {
            List<Requirement> chain = new ArrayList<>();
            if (r.by().isPresent()) {
                List<Requirement> up = shortest.get(r.by().get().name());
                if (up == null) {
                    continue; // a requirer that is not reachable from the project (cannot happen after resolve)
                }
                chain.addAll(up);
            }
            chain.add(r);
            chains.add(chain);
        }
        return chains;
    }

    /** For each selected plugin, the shortest chain of requirements from the project to it (BFS). */
    private Map<String, List<Requirement>> shortestChains() {
        Map<String, List<Requirement>> chains = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (var e : requirements.entrySet()) {
            for (Requirement r : e.getValue()) {
                if (r.by().isEmpty() && !chains.containsKey(e.getKey())) {
                    chains.put(e.getKey(), List.of(r));
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
                if (!chains.containsKey(dep.getKey())) {
                    List<Requirement> chain = new ArrayList<>(chains.get(name));
                    chain.add(Requirement.fromRelease(dep.getKey(), dep.getValue(), release));
                    chains.put(dep.getKey(), chain);
                    queue.add(dep.getKey());
                }
            }
        }
        return chains;
    }
}
