package dev.cxpm.core.approve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What runs differently between an approved {@link RunSurface} and a new one, part by part: an MCP server's command,
 * args, env name, url or cwd, a hook's command, an app's id or url added, removed or changed.
 */
public record RunSurfaceDiff(List<Change> changes) {

    public enum Kind { ADDED, REMOVED, CHANGED }

    /** before is null for an added part, after for a removed one. */
    public record Change(Kind kind, String subject, String field, String before, String after) {
        /** As printed: {@code + mcp server "gh": env "TOKEN"}, {@code ~ mcp server "gh": command "npx" -> "bash"}. */
        public String line() {
            return switch (kind) {
                case ADDED -> "+ " + subject + ": " + field + " " + after;
                case REMOVED -> "- " + subject + ": " + field + " " + before;
                case CHANGED -> "~ " + subject + ": " + field + " " + before + " -> " + after;
            };
        }
    }

    public RunSurfaceDiff {
        changes = List.copyOf(changes);
    }

    public static RunSurfaceDiff between(RunSurface before, RunSurface after) {
        Map<String, RunSurface.Entry> old = byKey(before);
        Map<String, RunSurface.Entry> now = byKey(after);
        List<Change> out = new ArrayList<>();
        old.forEach((k, e) -> {
            RunSurface.Entry n = now.get(k);
            if (n == null) {
                out.add(new Change(Kind.REMOVED, e.subject(), e.field(), e.value(), null));
            } else if (!n.value().equals(e.value())) {
                out.add(new Change(Kind.CHANGED, e.subject(), e.field(), e.value(), n.value()));
            }
        });
        now.forEach((k, e) -> {
            if (!old.containsKey(k)) {
                out.add(new Change(Kind.ADDED, e.subject(), e.field(), null, e.value()));
            }
        });
        return new RunSurfaceDiff(out);
    }

    private static Map<String, RunSurface.Entry> byKey(RunSurface s) {
        Map<String, RunSurface.Entry> m = new LinkedHashMap<>();
        s.entries().forEach(e -> m.put(e.key(), e));
        return m;
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public List<String> lines() {
        return changes.stream().map(Change::line).toList();
    }

    /** For {@code --json}: [{kind, subject, field, before, after}]. */
    public ArrayNode toJson(ObjectMapper om) {
        ArrayNode a = om.createArrayNode();
        changes.forEach(c -> a.addObject().put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT))
                .put("subject", c.subject()).put("field", c.field()).put("before", c.before()).put("after", c.after()));
        return a;
    }
}
