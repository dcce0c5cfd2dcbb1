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
        Map<String, Requirement> reachedBy = shortestLinks();
        List<List<Requirement>> chains = new ArrayList<>();
        for (Requirement r : requirements.getOrDefault(plugin, List.of())) {
            Deque<Requirement> chain = new ArrayDeque<>();
            chain.add(r);
            if (r.by().isPresent()) {
                String up = r.by().get().name();
                if (!reachedBy.containsKey(up)) {
                    continue; // a requirer that is not reachable from the project (cannot happen after resolve)
                }
                for (Requirement link = reachedBy.get(up); ; link = reachedBy.get(link.by().get().name())) {
                    chain.addFirst(link);
                    if (link.by().isEmpty()) {
                        break;
                    }
                }
            }
            chains.add(List.copyOf(chain));
        }
        return chains;
    }

    /**
     * For each selected plugin, the last requirement of the shortest chain from the project to it (BFS);
     * a chain is read back through each requirer's own link, so a long chain is not copied at every step.
     */
    private Map<String, Requirement> shortestLinks() {
        Map<String, Requirement> links = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (var e : requirements.entrySet()) {
            for (Requirement r : e.getValue()) {
                if (r.by().isEmpty() && !links.containsKey(e.getKey())) {
                    links.put(e.getKey(), r);
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
                    queue.add(dep.getKey());
                }
            }
        }
        return links;
    }
}
