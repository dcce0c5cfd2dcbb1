package dev.cxpm.core.resolve;

import dev.cxpm.core.UserError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Picks one version per plugin so that every range holds: the project's and every dependency's.
 * A depth-first search with backtracking: it settles the most constrained plugin first, tries the
 * locked version first and then the newest, and backs out of a choice whose dependencies clash
 * with what is already chosen. When nothing fits, the first clash met is explained as a chain
 * ("a@1.2.0 needs b ^2, c@3.0.0 needs b ^1").
 *
 * <p>Plugin ecosystems are small (tens of plugins, a few versions each); the step limit only
 * guards against pathological indexes.
 */
public final class Resolver {

    static final int STEP_LIMIT = 200_000;

    private final PluginIndex index;
    private final Map<String, PluginVersion> locked;
    private final Map<String, List<PluginRelease>> releases = new HashMap<>();
    private final LinkedHashMap<String, PluginRelease> selected = new LinkedHashMap<>();
    private final Map<String, List<Requirement>> requirements = new TreeMap<>();
    private Conflict firstConflict;
    private int steps;

    private Resolver(PluginIndex index, Map<String, PluginVersion> locked) {
        this.index = index;
        this.locked = locked;
    }

    /**
     * Resolves the project's requirements.
     *
     * @param project plugin name to range, as declared in cxpm.toml
     * @param locked  versions the lockfile has; preferred when they still satisfy every range
     * @throws UserError NOT_FOUND when a needed plugin is in no index, CONFLICT when ranges cannot all hold
     */
    public static Resolution resolve(Map<String, VersionRange> project, Map<String, PluginVersion> locked, PluginIndex index) {
        Resolver r = new Resolver(index, locked);
        project.forEach((name, range) -> r.require(Requirement.fromProject(name, range)));
        if (!r.solve()) {
            throw r.firstConflict.toError();
        }
        return new Resolution(new TreeMap<>(r.selected), copy(r.requirements));
    }

    private static Map<String, List<Requirement>> copy(Map<String, List<Requirement>> m) {
        Map<String, List<Requirement>> out = new TreeMap<>();
        m.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, List.copyOf(v));
            }
        });
        return out;
    }

    private void require(Requirement r) {
        requirements.computeIfAbsent(r.plugin(), k -> new ArrayList<>()).add(r);
    }

    private void unrequire(Requirement r) {
        List<Requirement> list = requirements.get(r.plugin());
        list.remove(list.size() - 1);
        if (list.isEmpty()) {
            requirements.remove(r.plugin());
        }
    }

    private boolean solve() {
        String next = null;
        List<PluginRelease> nextCandidates = null;
        for (String name : requirements.keySet()) {
            if (selected.containsKey(name)) {
                continue;
            }
            List<PluginRelease> c = candidates(name);
            if (next == null || c.size() < nextCandidates.size()) {
                next = name;
                nextCandidates = c;
            }
        }
        if (next == null) {
            return true;
        }
        if (nextCandidates.isEmpty()) {
            noteConflict(next, requirements.get(next));
            return false;
        }
        for (PluginRelease candidate : nextCandidates) {
            if (++steps > STEP_LIMIT) {
                throw new UserError(UserError.Kind.CONFLICT,
                        "gave up resolving after " + STEP_LIMIT + " steps: the plugin dependencies are too tangled",
                        "pin exact versions in cxpm.toml for the plugins with many versions");
            }
            List<Requirement> added = new ArrayList<>();
            boolean clash = false;
            for (var dep : candidate.dependencies().entrySet()) {
                Requirement r = Requirement.fromRelease(dep.getKey(), dep.getValue(), candidate);
                PluginRelease chosen = selected.get(dep.getKey());
                if (chosen != null && !r.range().includes(chosen.version())) {
                    List<Requirement> all = new ArrayList<>(requirements.get(dep.getKey()));
                    all.add(r);
                    noteConflict(dep.getKey(), all);
                    clash = true;
                    break;
                }
                added.add(r);
            }
            if (clash) {
                continue;
            }
            selected.put(next, candidate);
            added.forEach(this::require);
            if (solve()) {
                return true;
            }
            for (int i = added.size() - 1; i >= 0; i--) {
                unrequire(added.get(i));
            }
            selected.remove(next);
        }
        return false;
    }

    /** Releases satisfying every current requirement: the locked one first, then newest first. */
    private List<PluginRelease> candidates(String name) {
        List<Requirement> reqs = requirements.get(name);
        PluginVersion lockedVersion = locked.get(name);
        return all(name).stream()
                .filter(rel -> reqs.stream().allMatch(r -> r.range().includes(rel.version())))
                .sorted(Comparator.comparing((PluginRelease rel) -> !rel.version().equals(lockedVersion))
                        .thenComparing(PluginRelease::version, Comparator.reverseOrder())
                        .thenComparing(PluginRelease::origin))
                .toList();
    }

    private List<PluginRelease> all(String name) {
        return releases.computeIfAbsent(name, n -> List.copyOf(index.releases(n)));
    }

    private void noteConflict(String plugin, List<Requirement> reqs) {
        if (firstConflict == null) {
            firstConflict = new Conflict(plugin, List.copyOf(reqs), all(plugin), chainsTo(reqs));
        }
    }

    /** For each requirement, how its requirer was brought in, to explain the clash as a chain. */
    private List<String> chainsTo(List<Requirement> reqs) {
        List<String> chains = new ArrayList<>();
        for (Requirement r : reqs) {
            List<String> links = new ArrayList<>();
            links.add(r.toString());
            Optional<PluginRelease> by = r.by();
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (by.isPresent() && seen.add(by.get().name())) {
                List<Requirement> up = requirements.getOrDefault(by.get().name(), List.of());
                if (up.isEmpty()) {
                    break;
                }
                Requirement first = up.get(0);
                links.add(0, first.toString());
                by = first.by();
            }
            chains.add(String.join(" -> ", links));
        }
        return chains;
    }

    /** The clash the search met first, with what it needs to explain itself. */
    record Conflict(String plugin, List<Requirement> requirements, List<PluginRelease> available, List<String> chains) {

        UserError toError() {
            if (available.isEmpty()) {
                return new UserError(UserError.Kind.NOT_FOUND,
                        "plugin `" + plugin + "` is not in any marketplace the project uses ("
                                + requirements.stream().map(Requirement::toString).collect(Collectors.joining(", ")) + ")",
                        "check the name with `cxpm search " + plugin + "`, or add the marketplace that has it with `cxpm marketplace add`");
            }
            String versions = available.stream().map(PluginRelease::version).distinct().sorted()
                    .map(PluginVersion::toString).collect(Collectors.joining(", "));
            String message = "no version of `" + plugin + "` satisfies every requirement: "
                    + requirements.stream().map(Requirement::toString).collect(Collectors.joining(", "))
                    + " (available: " + versions + ")\n  "
                    + String.join("\n  ", chains);
            return new UserError(UserError.Kind.CONFLICT, message,
                    "widen a range in cxpm.toml, or pin a version of one of these plugins that agrees with the others");
        }
    }
}
