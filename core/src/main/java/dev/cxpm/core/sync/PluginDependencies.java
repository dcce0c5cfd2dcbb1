package dev.cxpm.core.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.resolve.VersionRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * cxpm's {@code dependencies} manifest field: {@code "dependencies": {"other-plugin": "^1.2"}} in
 * {@code .codex-plugin/plugin.json} (Codex ignores unknown fields). Strict, because a dependency the
 * resolver silently dropped would install an incomplete set: a bad entry names its file and line.
 */
public final class PluginDependencies {

    private PluginDependencies() {
    }

    public static SortedMap<String, VersionRange> of(Plugin plugin) {
        JsonNode root = plugin.manifestJson().root();
        JsonNode deps = root.isObject() ? root.path("dependencies") : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        SortedMap<String, VersionRange> out = new TreeMap<>();
        if (deps.isMissingNode() || deps.isNull()) {
            return out;
        }
        List<String> problems = new ArrayList<>();
        String file = plugin.manifestJson().path().toString();
        if (!deps.isObject()) {
            problems.add(file + ":" + plugin.manifestJson().lineOf("/dependencies") + ": `dependencies` must be an object of plugin name to version range");
        } else {
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) deps::fields) {
                String pointer = "/dependencies/" + e.getKey().replace("~", "~0").replace("/", "~1");
                Optional<VersionRange> r = e.getValue().isTextual() ? VersionRange.parse(e.getValue().asText()) : Optional.empty();
                Optional<String> badName = PluginName.problem(e.getKey());
                if (badName.isPresent()) {
                    problems.add(file + ":" + plugin.manifestJson().lineOf(pointer) + ": dependency: " + badName.get());
                } else if (r.isEmpty()) {
                    problems.add(file + ":" + plugin.manifestJson().lineOf(pointer) + ": dependency `" + e.getKey()
                            + "` needs a version range string such as \"^1.2\"" + (e.getValue().isTextual()
                            ? ": " + VersionRange.problem(e.getValue().asText()).orElse("") : ""));
                } else {
                    out.put(e.getKey(), r.get());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new UserError(UserError.Kind.INVALID_INPUT,
                    "plugin `" + plugin.effectiveName() + "` declares invalid dependencies:\n  " + String.join("\n  ", problems),
                    "ask the plugin's author to fix its plugin.json, or pin another version in cxpm.toml");
        }
        return out;
    }
}
