package dev.cxpm.registry.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.format.CodexNames;
import dev.cxpm.core.format.parts.FrontMatter;
import dev.cxpm.registry.Problem;
import dev.cxpm.registry.storage.Versions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the registry learns from an uploaded archive's manifest and components, after the
 * publish checks passed: the name and version it is filed under, the summary search and pages
 * show, the dependencies the index document lists. {@link #check} collects every problem at
 * once, so an author fixes a plugin in one round.
 */
public record PublishedPlugin(String name, String version, String description, String displayName, String category,
        List<String> keywords, List<String> capabilities, String brandColor, Map<String, String> dependencies,
        List<SkillInfo> skills, Map<String, String> mcpServers, List<String> apps, JsonNode manifest) {

    public record SkillInfo(String id, String name, String description) {
    }

    /**
     * Either the plugin or the registry's reasons to refuse it. {@code manifestRead}: the archive is safe and its
     * manifest a JSON object, so the foundation's {@code validate --strict} ({@link StrictRules}) can judge the rest;
     * the registry checks only what it needs beyond that (a lower-case name, a description, dependencies).
     */
    public record Checked(PublishedPlugin plugin, List<Problem> problems, boolean manifestRead) {
        public boolean ok() {
            return plugin != null && problems.isEmpty();
        }
    }

    /**
     * Registry names: a name cxpm writes ({@link CodexNames#isPortablePluginName}), in lower case so that names
     * differing only by case cannot coexist.
     */
    public static boolean isName(String name) {
        return CodexNames.isPortablePluginName(name) && name.equals(name.toLowerCase(java.util.Locale.ROOT));
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String kind(JsonNode n) {
        return n == null ? "empty" : n.isArray() ? "an array" : n.isTextual() ? "a string" : n.isNumber() ? "a number" : "`" + n + "`";
    }

    public static Checked check(PluginArchive archive) {
        List<Problem> problems = new ArrayList<>(archive.problems());
        String manifestPath = archive.manifestPath().orElse(null);
        if (manifestPath == null) {
            if (archive.problems().isEmpty()) {
                problems.add(new Problem("missing-manifest", null,
                        "no plugin manifest: expected .codex-plugin/plugin.json (or .claude-plugin/plugin.json) in the archive"));
            }
            return new Checked(null, problems, false);
        }
        JsonNode m = archive.json(manifestPath);
        if (m == null || !m.isObject()) {
            // where and what, as validate says it, rather than only that something is wrong
            var syntax = dev.cxpm.core.format.json.JsonFile.syntaxError(manifestPath, archive.text(manifestPath).orElse(""));
            problems.add(syntax.map(e -> new Problem("invalid-manifest", manifestPath + ":" + e.line() + ":" + e.column(), e.problem()))
                    .orElseGet(() -> new Problem("invalid-manifest", manifestPath + ":1:1",
                            "the manifest must be a JSON object ({\"name\": ..., \"version\": ...}), not " + kind(m))));
            return new Checked(null, problems, false);
        }
        String name = text(m, "name");
        if (name == null || name.isBlank()) {
            problems.add(new Problem("missing-name", manifestPath, "\"name\" is required to publish"));
        } else if (!isName(name)) {
            problems.add(new Problem("invalid-name", manifestPath, "\"name\" must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"));
        }
        String version = text(m, "version");
        version = version == null ? null : version.trim();
        // a missing or non-SemVer version is validate --strict's to report (version.missing, version.not-semver)
        boolean publishable = Versions.isValid(version) && archive.problems().isEmpty();
        String description = text(m, "description");
        if (description == null || description.isBlank()) {
            problems.add(new Problem("missing-description", manifestPath, "\"description\" is required to publish: search and the web page show it"));
        }
        JsonNode iface = m.path("interface");
        List<String> keywords = strings(m.path("keywords"));
        Map<String, String> deps = new TreeMap<>();
        JsonNode d = m.path("dependencies");
        if (d.isObject()) {
            d.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    deps.put(e.getKey(), e.getValue().asText());
                } else {
                    problems.add(new Problem("invalid-dependency", manifestPath, "dependency " + e.getKey() + " must name a version range as a string"));
                }
            });
        } else if (!d.isMissingNode() && !d.isNull()) {
            problems.add(new Problem("invalid-dependencies", manifestPath, "\"dependencies\" must be an object of plugin name to version range"));
        }
        List<SkillInfo> skills = skills(archive); // SKILL.md metadata: validate --strict's skill.* rules
        Map<String, String> servers = mcpServers(archive, m);
        List<String> apps = apps(archive, m);
        boolean read = archive.problems().isEmpty();
        if (!problems.isEmpty() || !publishable) {
            return new Checked(null, problems, read);
        }
        return new Checked(new PublishedPlugin(name, version, description.strip(), text(iface, "displayName"), text(iface, "category"),
                keywords, strings(iface.path("capabilities")), text(iface, "brandColor"), deps, skills, servers, apps, m), List.of(), read);
    }

    private static List<SkillInfo> skills(PluginArchive archive) {
        List<SkillInfo> out = new ArrayList<>();
        for (String p : archive.paths()) {
            String[] parts = p.split("/");
            if (parts.length == 3 && parts[0].equals("skills") && parts[2].equals("SKILL.md")) {
                JsonNode front = frontMatter(archive.text(p).orElse(""));
                String n = text(front, "name");
                String desc = text(front, "description");
                out.add(new SkillInfo(parts[1], n, desc));
            }
        }
        return out;
    }

    /** The YAML front matter, read by the foundation's parser (the one validate uses); empty when it has none. */
    private static JsonNode frontMatter(String text) {
        return FrontMatter.parse(text).yaml();
    }

    /** MCP servers by name with their command (or URL), from the manifest or {@code .mcp.json}. */
    private static Map<String, String> mcpServers(PluginArchive archive, JsonNode manifest) {
        JsonNode src = manifest.path("mcpServers");
        JsonNode doc;
        if (src.isObject()) {
            doc = src.has("mcpServers") ? src.path("mcpServers") : src;
        } else {
            String path = src.isTextual() ? src.asText().replaceFirst("^\\./", "") : ".mcp.json";
            JsonNode file = archive.json(path);
            doc = file == null ? JSON.createObjectNode() : file.path("mcpServers");
        }
        Map<String, String> out = new TreeMap<>();
        if (doc.isObject()) {
            doc.fields().forEachRemaining(e -> {
                JsonNode s = e.getValue();
                String how = s.path("command").isTextual() ? s.path("command").asText() : s.path("url").asText("");
                out.put(e.getKey(), how);
            });
        }
        return out;
    }

    private static List<String> apps(PluginArchive archive, JsonNode manifest) {
        JsonNode src = manifest.path("apps");
        String path = src.isTextual() ? src.asText().replaceFirst("^\\./", "") : ".app.json";
        JsonNode file = archive.json(path);
        List<String> out = new ArrayList<>();
        if (file != null && file.path("apps").isObject()) {
            file.path("apps").fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(v -> {
                if (v.isTextual()) {
                    out.add(v.asText());
                }
            });
        }
        return out;
    }

    /** The dependencies as a JSON object text, for the index document. */
    public String dependenciesJson() {
        ObjectNode o = JSON.createObjectNode();
        dependencies.forEach(o::put);
        return o.toString();
    }
}
