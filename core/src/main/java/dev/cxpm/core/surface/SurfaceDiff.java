package dev.cxpm.core.surface;

import dev.cxpm.core.version.BumpLevel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed in a plugin's surface between two versions, and the smallest SemVer bump that says so
 * honestly: something removed or renamed is major (a user's prompt or config may name it), something
 * added is minor, anything else (a changed MCP command, a changed app id, a changed slash command or the
 * commands a hook runs, other content) is patch, and
 * identical packed content needs no bump. A skill is "renamed" when a removed and an added skill have
 * the same SKILL.md bytes or the same non-empty description.
 */
public record SurfaceDiff(Surface before, Surface after, List<Change> changes, boolean contentChanged) {

    public enum Component { NAME, SKILL, MCP_SERVER, APP, CAPABILITY, COMMAND, HOOK }

    public enum Kind { ADDED, REMOVED, RENAMED, CHANGED }

    /** One change; {@code detail} says it in words (e.g. the old and new command). */
    public record Change(Component component, Kind kind, String name, String detail, BumpLevel level) {
    }

    public static SurfaceDiff between(Surface before, Surface after) {
        List<Change> changes = new ArrayList<>();
        if (!Objects.equals(before.name(), after.name())) {
            changes.add(new Change(Component.NAME, Kind.RENAMED, after.name(), "plugin renamed from " + before.name(),
                    BumpLevel.MAJOR));
        }
        skills(before.skills(), after.skills(), changes);
        mcp(before.mcpServers(), after.mcpServers(), changes);
        apps(before.apps(), after.apps(), changes);
        capabilities(before.capabilities(), after.capabilities(), changes);
        commands(before.commands(), after.commands(), changes);
        hooks(before.hooks(), after.hooks(), changes);
        changes.sort(Comparator.comparing(Change::component).thenComparing(Change::name));
        return new SurfaceDiff(before, after, List.copyOf(changes),
                !Objects.equals(before.contentDigest(), after.contentDigest()));
    }

    /** The smallest bump SemVer requires for these changes. */
    public BumpLevel required() {
        BumpLevel max = contentChanged ? BumpLevel.PATCH : BumpLevel.NONE;
        for (Change c : changes) {
            if (c.level().compareTo(max) > 0) {
                max = c.level();
            }
        }
        return max;
    }

    /** The change that makes the bump as large as it is, for a one-line reason; null when there is none. */
    public Change biggest() {
        return changes.stream().max(Comparator.comparing(Change::level)).orElse(null);
    }

    private static void skills(Map<String, Surface.SkillFace> before, Map<String, Surface.SkillFace> after,
                               List<Change> changes) {
        Map<String, Surface.SkillFace> removed = new TreeMap<>(before);
        after.keySet().forEach(removed::remove);
        Map<String, Surface.SkillFace> added = new TreeMap<>(after);
        before.keySet().forEach(added::remove);
        for (var r : new ArrayList<>(removed.values())) {
            Surface.SkillFace match = added.values().stream().filter(a -> sameSkill(r, a)).findFirst().orElse(null);
            if (match != null) {
                String why = Objects.equals(r.contentSha(), match.contentSha()) ? "same content" : "same description";
                changes.add(new Change(Component.SKILL, Kind.RENAMED, match.id(), "renamed from " + r.id() + " (" + why + ")",
                        BumpLevel.MAJOR));
                removed.remove(r.id());
                added.remove(match.id());
            }
        }
        removed.values().forEach(r -> changes.add(new Change(Component.SKILL, Kind.REMOVED, r.id(), "removed", BumpLevel.MAJOR)));
        added.values().forEach(a -> changes.add(new Change(Component.SKILL, Kind.ADDED, a.id(), "added", BumpLevel.MINOR)));
        for (var b : before.values()) {
            Surface.SkillFace a = after.get(b.id());
            if (a != null && !Objects.equals(a.contentSha(), b.contentSha())) {
                String detail = !Objects.equals(a.description(), b.description()) ? "description changed" : "SKILL.md changed";
                changes.add(new Change(Component.SKILL, Kind.CHANGED, a.id(), detail, BumpLevel.PATCH));
            }
        }
    }

    private static boolean sameSkill(Surface.SkillFace a, Surface.SkillFace b) {
        return (a.contentSha() != null && a.contentSha().equals(b.contentSha()))
                || (a.description() != null && !a.description().isBlank() && a.description().equals(b.description()));
    }

    private static void mcp(Map<String, Surface.McpFace> before, Map<String, Surface.McpFace> after, List<Change> changes) {
        for (var b : before.values()) {
            Surface.McpFace a = after.get(b.name());
            if (a == null) {
                changes.add(new Change(Component.MCP_SERVER, Kind.REMOVED, b.name(), "removed (was `" + b.invocation() + "`)",
                        BumpLevel.MAJOR));
            } else if (!a.invocation().equals(b.invocation())) {
                changes.add(new Change(Component.MCP_SERVER, Kind.CHANGED, a.name(),
                        "`" + b.invocation() + "` -> `" + a.invocation() + "`", BumpLevel.PATCH));
            }
        }
        after.values().stream().filter(a -> !before.containsKey(a.name())).forEach(a -> changes.add(
                new Change(Component.MCP_SERVER, Kind.ADDED, a.name(), "added (`" + a.invocation() + "`)", BumpLevel.MINOR)));
    }

    private static void apps(Map<String, Surface.AppFace> before, Map<String, Surface.AppFace> after, List<Change> changes) {
        for (var b : before.values()) {
            Surface.AppFace a = after.get(b.key());
            if (a == null) {
                changes.add(new Change(Component.APP, Kind.REMOVED, b.key(), "removed", BumpLevel.MAJOR));
            } else if (!Objects.equals(a.id(), b.id())) {
                changes.add(new Change(Component.APP, Kind.CHANGED, a.key(), "id " + b.id() + " -> " + a.id(), BumpLevel.PATCH));
            }
        }
        after.values().stream().filter(a -> !before.containsKey(a.key()))
                .forEach(a -> changes.add(new Change(Component.APP, Kind.ADDED, a.key(), "added", BumpLevel.MINOR)));
    }

    private static void commands(Map<String, Surface.CommandFace> before, Map<String, Surface.CommandFace> after,
                                 List<Change> changes) {
        for (var b : before.values()) {
            Surface.CommandFace a = after.get(b.name());
            if (a == null) {
                changes.add(new Change(Component.COMMAND, Kind.REMOVED, "/" + b.name(), "removed", BumpLevel.MAJOR));
            } else if (!Objects.equals(a.contentSha(), b.contentSha())) {
                changes.add(new Change(Component.COMMAND, Kind.CHANGED, "/" + a.name(), "command file changed", BumpLevel.PATCH));
            }
        }
        after.values().stream().filter(a -> !before.containsKey(a.name()))
                .forEach(a -> changes.add(new Change(Component.COMMAND, Kind.ADDED, "/" + a.name(), "added", BumpLevel.MINOR)));
    }

    private static void hooks(Map<String, Surface.HookFace> before, Map<String, Surface.HookFace> after, List<Change> changes) {
        for (var b : before.values()) {
            Surface.HookFace a = after.get(b.key());
            if (a == null) {
                changes.add(new Change(Component.HOOK, Kind.REMOVED, b.key(), "removed (ran " + runs(b) + ")", BumpLevel.MAJOR));
            } else if (!a.commands().equals(b.commands())) {
                changes.add(new Change(Component.HOOK, Kind.CHANGED, a.key(), runs(b) + " -> " + runs(a), BumpLevel.PATCH));
            }
        }
        after.values().stream().filter(a -> !before.containsKey(a.key())).forEach(a -> changes.add(
                new Change(Component.HOOK, Kind.ADDED, a.key(), "added (runs " + runs(a) + ")", BumpLevel.MINOR)));
    }

    private static String runs(Surface.HookFace h) {
        return h.commands().isEmpty() ? "nothing" : "`" + String.join("`, `", h.commands()) + "`";
    }

    private static void capabilities(List<String> before, List<String> after, List<Change> changes) {
        TreeSet<String> removed = new TreeSet<>(before);
        after.forEach(removed::remove);
        TreeSet<String> added = new TreeSet<>(after);
        before.forEach(added::remove);
        removed.forEach(c -> changes.add(new Change(Component.CAPABILITY, Kind.REMOVED, c, "removed", BumpLevel.MAJOR)));
        added.forEach(c -> changes.add(new Change(Component.CAPABILITY, Kind.ADDED, c, "added", BumpLevel.MINOR)));
    }
}
