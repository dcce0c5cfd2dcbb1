package dev.cxpm.core.resolve;

import dev.cxpm.core.UserError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Picks one version per plugin so that every range holds: the project's and every dependency's.
 * A depth-first search with backtracking: it settles the most constrained plugin first, tries the
 * locked version first and then the newest, and backs out of a choice whose dependencies clash
 * with what is already chosen. When nothing fits, the first clash met is explained as a chain
 * ("a@1.2.0 needs b ^2, c@3.0.0 needs b ^1").
 *
 * <p>The search keeps its own stack of choices rather than recursing, so a project of thousands of
 * plugins needs no deeper thread stack than one of ten. Each open plugin's candidates are kept and
 * narrowed as requirements arrive (and restored as they are taken back), with the open plugins ordered
 * by how many candidates they have left: a step costs what it changes, not the size of the project.
 * The step limit only guards against pathological indexes.
 */
public final class Resolver {

    static final int STEP_LIMIT = 200_000;

    private final PluginIndex index;
    private final Map<String, PluginVersion> locked;
    private final Map<String, List<PluginRelease>> releases = new HashMap<>();
    private final LinkedHashMap<String, PluginRelease> selected = new LinkedHashMap<>();
    private final Map<String, List<Requirement>> requirements = new TreeMap<>();
    /** For each required plugin not selected yet: its releases satisfying every requirement, best first. */
    private final Map<String, List<PluginRelease>> candidates = new HashMap<>();
    /** The candidate lists a requirement narrowed, newest last, to restore when it is taken back. */
    private final Map<String, Deque<List<PluginRelease>>> narrowed = new HashMap<>();
    /** The open plugins, fewest candidates first, then by name: the next one to settle is the first. */
    // written out, not Comparator.comparingInt: its lambda is serializable, which the class-data archive cannot hold,
    // so a cold first sync spun it at run time (ColdPathTest)
    private final TreeSet<String> open = new TreeSet<>((a, b) -> {
        int byCount = Integer.compare(candidates.get(a).size(), candidates.get(b).size());
        return byCount != 0 ? byCount : a.compareTo(b);
    });
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
        String name = r.plugin();
        requirements.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
        if (selected.containsKey(name)) {
            return; // checked against the chosen release by the caller; its candidates matter again only once it is unchosen
        }
        List<PluginRelease> before = candidates.get(name);
        if (before == null) {
            candidates.put(name, ranked(name, r));
            open.add(name);
            return;
        }
        // a plugin required again (a dependency the project names too): its candidates narrowed by a plain loop, not a
        // stream and lambdas, which the sync training never links and a cold JVM would spin at run time
        List<PluginRelease> after = new ArrayList<>(before.size());
        for (PluginRelease rel : before) {
            if (r.range().includes(rel.version())) {
                after.add(rel);
            }
        }
        open.remove(name);
        Deque<List<PluginRelease>> restore = narrowed.get(name);
        if (restore == null) {
            narrowed.put(name, restore = new ArrayDeque<>());
        }
        restore.push(before);
        candidates.put(name, after);
        open.add(name);
    }

    /** Takes back the newest requirement on its plugin; requirements come and go in stack order. */
    private void unrequire(Requirement r) {
        String name = r.plugin();
        List<Requirement> list = requirements.get(name);
        list.remove(list.size() - 1);
        if (list.isEmpty()) {
            requirements.remove(name);
        }
        if (selected.containsKey(name)) {
            return;
        }
        open.remove(name);
        if (list.isEmpty()) {
            candidates.remove(name);
        } else {
            candidates.put(name, narrowed.get(name).pop());
            open.add(name);
        }
    }

    private void choose(String name, PluginRelease release) {
        open.remove(name);
        selected.put(name, release);
    }

    private void unchoose(String name) {
        selected.remove(name);
        open.add(name);
    }

    /** One settled plugin on the search's stack: the candidates it had and which one is being tried. */
    private static final class Choice {
        final String plugin;
        final List<PluginRelease> candidates;
        int next;
        List<Requirement> added = List.of();

        Choice(String plugin, List<PluginRelease> candidates) {
            this.plugin = plugin;
            this.candidates = candidates;
        }
    }

    private boolean solve() {
        Deque<Choice> stack = new ArrayDeque<>();
        while (true) {
            if (open.isEmpty()) {
                return true;
            }
            String next = open.first();
            List<PluginRelease> nextCandidates = candidates.get(next);
            if (nextCandidates.isEmpty()) {
                noteConflict(next, requirements.get(next));
            } else {
                Choice c = new Choice(next, nextCandidates);
                stack.push(c);
                if (tryNext(c)) {
                    continue;
                }
                stack.pop();
            }
            // Back out: the choice below tries its next candidate, or is itself abandoned.
            while (true) {
                Choice c = stack.peek();
                if (c == null) {
                    return false;
                }
                undo(c);
                if (tryNext(c)) {
                    break;
                }
                stack.pop();
            }
        }
    }

    /** Chooses the choice's next candidate whose dependencies agree with what is chosen; false when none is left. */
    private boolean tryNext(Choice c) {
        while (c.next < c.candidates.size()) {
            PluginRelease candidate = c.candidates.get(c.next++);
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
            choose(c.plugin, candidate);
            added.forEach(this::require);
            c.added = added;
            return true;
        }
        return false;
    }

    /** Takes back the choice's current candidate and the requirements it brought. */
    private void undo(Choice c) {
        for (int i = c.added.size() - 1; i >= 0; i--) {
            unrequire(c.added.get(i));
        }
        c.added = List.of();
        unchoose(c.plugin);
    }

    /** Releases satisfying the plugin's first requirement: the locked one first, then newest first. */
    private List<PluginRelease> ranked(String name, Requirement first) {
        PluginVersion lockedVersion = locked.get(name);
        return all(name).stream()
                .filter(rel -> first.range().includes(rel.version()))
                .sorted((a, b) -> { // the locked version first, then newest first, then by origin
                    int byLock = Boolean.compare(!a.version().equals(lockedVersion), !b.version().equals(lockedVersion));
                    int byVersion = byLock != 0 ? byLock : b.version().compareTo(a.version());
                    return byVersion != 0 ? byVersion : a.origin().compareTo(b.origin());
                })
                .toList();
    }

    private List<PluginRelease> all(String name) {
        return releases.computeIfAbsent(name, n -> List.copyOf(index.releases(n)));
    }

    private void noteConflict(String plugin, List<Requirement> reqs) {
        if (firstConflict == null) {
            firstConflict = new Conflict(plugin, List.copyOf(reqs), all(plugin), chainsTo(reqs), index.heldBack(plugin));
        }
    }

    /** For each requirement, how its requirer was brought in, to explain the clash as a chain. */
    private List<String> chainsTo(List<Requirement> reqs) {
        List<String> chains = new ArrayList<>();
        for (Requirement r : reqs) {
            Deque<String> links = new ArrayDeque<>();
            links.add(r.toString());
            Optional<PluginRelease> by = r.by();
            Set<String> seen = new HashSet<>();
            while (by.isPresent() && seen.add(by.get().name())) {
                List<Requirement> up = requirements.getOrDefault(by.get().name(), List.of());
                if (up.isEmpty()) {
                    break;
                }
                Requirement first = up.get(0);
                links.addFirst(first.toString());
                by = first.by();
            }
            chains.add(String.join(" -> ", links));
        }
        return chains;
    }

    /** The clash the search met first, with what it needs to explain itself. */
    record Conflict(String plugin, List<Requirement> requirements, List<PluginRelease> available, List<String> chains,
            List<HeldBack> heldBack) {

        UserError toError() {
            List<HeldBack> tooYoung = heldBack.stream()
                    .filter(h -> requirements.stream().allMatch(r -> r.range().includes(h.release().version())))
                    .sorted(Comparator.comparing(HeldBack::eligibleAt)).toList();
            if (!tooYoung.isEmpty()) {
                return tooYoung(tooYoung);
            }
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

        /** Only versions held back by the minimum release age would do: name them and when they may be picked. */
        private UserError tooYoung(List<HeldBack> tooYoung) {
            MinReleaseAge rule = tooYoung.get(0).rule();
            String oldEnough = available.stream().map(PluginRelease::version).distinct().sorted()
                    .map(PluginVersion::toString).collect(Collectors.joining(", "));
            return new UserError(UserError.Kind.NOT_FOUND, "the versions of `" + plugin + "` that satisfy every requirement ("
                    + requirements.stream().map(Requirement::toString).collect(Collectors.joining(", ")) + ") are too young for "
                    + rule + ": " + tooYoung.stream().map(HeldBack::describe).collect(Collectors.joining(", "))
                    + (oldEnough.isEmpty() ? "" : "; old enough: " + oldEnough),
                    "wait until " + ReleaseAge.shown(tooYoung.get(0).eligibleAt()) + ", pick a range that includes an older version, or lower "
                            + "min-release-age at " + rule.setBy() + " if you trust this release");
        }
    }
}
