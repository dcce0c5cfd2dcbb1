package dev.cxpm.core.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.parts.FrontMatter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The errors Claude Code's {@code claude plugin validate} (2.1.x) reports for {@code .claude-plugin} manifests,
 * learned by running it on small variations (see docs/BENCHMARKS.md). Its warnings (missing description,
 * unknown fields, not kebab-case) do not change its verdict and are not repeated here.
 */
final class ClaudeRules {
    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:\\S+$");
    private static final int MAX_MARKDOWN_FILES = 2_000;
    private static final int MAX_MARKDOWN_DEPTH = 6;

    private final Problems p;
    private final Path root;

    ClaudeRules(Problems p, Path root) {
        this.p = p;
        this.root = root;
    }

    private static boolean present(JsonNode n) {
        return !n.isMissingNode();
    }

    private void error(String code, JsonFile json, String pointer, String message, String hint) {
        p.error(code, json.path(), json.lineNear(pointer), message, hint);
    }

    private JsonFile parse(Path file) {
        return switch (JsonFile.tryRead(file)) {
            case JsonFile.Parsed parsed -> parsed.file();
            case JsonFile.Failed failed -> {
                JsonFile.Failure f = failed.failure();
                p.unparsable(Severity.ERROR, "claude.invalid-json", f, "invalid JSON syntax");
                yield null;
            }
        };
    }

    /** A field that, when present, must satisfy ok (zod rejects null for optional fields too). */
    private boolean typed(JsonFile json, String pointer, Predicate<JsonNode> ok, String expected) {
        JsonNode n = json.root().at(pointer);
        if (present(n) && !ok.test(n)) {
            error("claude.field-type", json, pointer, "`" + pointer.substring(1).replace('/', '.') + "`: expected "
                    + expected + ", received " + Text.typeName(n), "fix the type or remove the field");
            return false;
        }
        return true;
    }

    void plugin(Path manifest) {
        JsonFile json = parse(manifest);
        if (json == null) {
            return;
        }
        JsonNode r = json.root();
        if (!r.isObject()) {
            p.error("claude.not-object", manifest, 1, "manifest must be an object", "write the manifest as { ... }");
            return;
        }
        checkName(json, "/name", "Plugin");
        for (String f : List.of("version", "description", "license", "repository")) {
            typed(json, "/" + f, JsonNode::isTextual, "string");
        }
        if (typed(json, "/homepage", JsonNode::isTextual, "string") && r.path("homepage").isTextual()
                && !URL.matcher(r.path("homepage").asText()).matches()) {
            error("claude.url-invalid", json, "/homepage", "`homepage`: Invalid URL", "use a full URL such as https://...");
        }
        if (typed(json, "/author", JsonNode::isObject, "object") && r.path("author").isObject()) {
            typed(json, "/author/name", JsonNode::isTextual, "string");
            if (!present(r.path("author").path("name"))) {
                error("claude.field-type", json, "/author", "`author.name`: expected string, received undefined",
                        "add \"name\" to author");
            }
        }
        typed(json, "/keywords", Text::isStringArray, "array of strings");
        typed(json, "/userConfig", JsonNode::isObject, "record");
        typed(json, "/hooks", n -> n.isTextual() || n.isObject() || n.isArray(), "path, object or array");
        typed(json, "/mcpServers", n -> n.isTextual() || n.isArray() || (n.isObject() && allObjects(n)),
                "path, array or object of server objects");
        for (String f : List.of("commands", "agents", "skills", "hooks", "outputStyles")) {
            componentPaths(json, f, !f.equals("outputStyles"));
        }
        JsonNode mcp = r.path("mcpServers");
        if (mcp.isTextual()) {
            pathRules(json, "/mcpServers", mcp.asText(), false);
        }
        defaultHooks();
        markdown(json);
    }

    private static boolean allObjects(JsonNode n) {
        for (JsonNode v : n) {
            if (!v.isObject()) {
                return false;
            }
        }
        return true;
    }

    private void checkName(JsonFile json, String pointer, String what) {
        JsonNode name = json.root().at(pointer);
        if (!name.isTextual()) {
            error("claude.name-missing", json, pointer, "`" + pointer.substring(1).replace('/', '.')
                    + "`: expected string, received " + (present(name) ? Text.typeName(name) : "undefined"),
                    "add \"name\": \"my-" + what.toLowerCase() + "\"");
        } else if (name.asText().isEmpty()) {
            error("claude.name-empty", json, pointer, what + " name cannot be empty", "set a kebab-case name");
        } else if (name.asText().chars().anyMatch(Character::isWhitespace)) {
            error("claude.name-spaces", json, pointer, what + " name cannot contain spaces. Use kebab-case (e.g., \"my-"
                    + what.toLowerCase() + "\")", "rename to \"" + name.asText().trim().replaceAll("\\s+", "-").toLowerCase() + "\"");
        }
    }

    /** commands, agents, skills, hooks, outputStyles: a ./path or an array of them (hooks/commands may also be objects). */
    private void componentPaths(JsonFile json, String field, boolean mustExist) {
        JsonNode n = json.root().path(field);
        if (!present(n)) {
            return;
        }
        if (n.isTextual()) {
            pathRules(json, "/" + field, n.asText(), mustExist);
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                if (n.get(i).isTextual()) {
                    pathRules(json, "/" + field + "/" + i, n.get(i).asText(), mustExist);
                } else if (!(n.get(i).isObject() && field.equals("hooks"))) {
                    error("claude.field-type", json, "/" + field + "/" + i, "`" + field + "`: Invalid input", null);
                }
            }
        } else if (!(n.isObject() && (field.equals("hooks") || field.equals("commands")))) {
            error("claude.field-type", json, "/" + field, "`" + field + "`: Invalid input", "use \"./path\" or an array of them");
        }
    }

    private void pathRules(JsonFile json, String pointer, String value, boolean mustExist) {
        String field = pointer.substring(1).replace('/', '.');
        if (value.contains("..")) {
            error("claude.path-traversal", json, pointer, "`" + field + "`: Path contains \"..\" which could be a path traversal attempt: "
                    + value, "keep component paths inside the plugin");
            return;
        }
        if (!value.startsWith("./")) {
            error("claude.path-invalid", json, pointer, "`" + field + "`: Invalid input: paths must start with \"./\"",
                    "write \"./" + value.replaceFirst("^/+", "") + "\"");
            return;
        }
        if (mustExist && !Files.exists(root.resolve(value.substring(2)).normalize())) {
            error("claude.path-missing", json, pointer, "`" + field + "`: Path not found: " + value
                    + ". The runtime loader will report this as a load failure.", "create it or fix the path");
        }
    }

    private void defaultHooks() {
        Path hooks = root.resolve("hooks/hooks.json");
        if (!Files.isRegularFile(hooks)) {
            return;
        }
        JsonFile json = parse(hooks);
        if (json != null) {
            if (!json.root().isObject()) {
                p.error("claude.hooks-invalid", hooks, 1, "hooks file must be a JSON object", null);
            } else {
                typed(json, "/hooks", JsonNode::isObject, "record");
            }
        }
    }

    /** Front matter of skills, commands and agents: Claude reports YAML it cannot parse as an error. */
    private void markdown(JsonFile json) {
        List<Path> files = new ArrayList<>();
        Plugin plugin = Plugin.of(root, new dev.cxpm.core.format.ManifestLocation(
                dev.cxpm.core.format.ManifestKind.CLAUDE, json.path()), json);
        plugin.skills().forEach(s -> files.add(s.file()));
        collect(root.resolve("commands"), 0, files);
        collect(root.resolve("agents"), MAX_MARKDOWN_DEPTH, files);
        for (String field : List.of("commands", "agents")) {
            for (String v : plugin.pathValues(field)) {
                dev.cxpm.core.format.PluginPaths.resolveInside(root, v).ifPresent(path -> {
                    if (Files.isDirectory(path)) {
                        collect(path, 0, files);
                    } else if (path.toString().endsWith(".md")) {
                        files.add(path);
                    }
                });
            }
        }
        Map<Path, Boolean> seen = new HashMap<>();
        for (Path f : files) {
            if (seen.put(f.normalize(), true) != null) {
                continue;
            }
            try {
                // bounded, and a regular file only (a pipe would block the open): a larger file, or none, is not looked at
                String text = dev.cxpm.core.FileText.read(f, 1024 * 1024);
                if (!text.startsWith("---")) {
                    continue;
                }
                FrontMatter fm = FrontMatter.parse(text);
                fm.error().filter(e -> !e.startsWith("front matter is not closed") && !e.startsWith("no YAML"))
                        .ifPresent(e -> p.error("claude.frontmatter", f, 1, "YAML frontmatter failed to parse: " + e,
                                "fix the YAML between the --- lines (quote values that contain `: `)"));
            } catch (IOException | RuntimeException e) {
                // not text: Claude skips it as well
            }
        }
    }

    private void collect(Path dir, int depth, List<Path> out) {
        if (depth > MAX_MARKDOWN_DEPTH || out.size() > MAX_MARKDOWN_FILES || !Files.isDirectory(dir)
                || !dev.cxpm.core.format.PluginPaths.isInside(root, dir)) {
            return;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path c : children) {
                if (out.size() > MAX_MARKDOWN_FILES) {
                    return;
                }
                if (Files.isDirectory(c, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    collect(c, depth + 1, out); // linked directories are not followed: no loops, no double counting
                } else if (c.getFileName().toString().endsWith(".md")) {
                    out.add(c);
                }
            }
        } catch (IOException e) {
            // unreadable directory: nothing to check
        }
    }

    void marketplace(Path manifest) {
        JsonFile json = parse(manifest);
        if (json == null) {
            return;
        }
        JsonNode r = json.root();
        if (!r.isObject()) {
            p.error("claude.not-object", manifest, 1, "marketplace must be an object", null);
            return;
        }
        checkName(json, "/name", "Marketplace");
        JsonNode owner = r.path("owner");
        if (!owner.isObject()) {
            error("claude.owner", json, "/owner", "`owner`: expected object, received "
                    + (present(owner) ? Text.typeName(owner) : "undefined"), "add \"owner\": {\"name\": \"...\"}");
        } else {
            typed(json, "/owner/name", JsonNode::isTextual, "string");
            if (!present(owner.path("name"))) {
                error("claude.owner", json, "/owner", "`owner.name`: expected string, received undefined", null);
            }
        }
        JsonNode plugins = r.path("plugins");
        if (!plugins.isArray()) {
            error("claude.plugins", json, "/plugins", "`plugins`: expected array, received "
                    + (present(plugins) ? Text.typeName(plugins) : "undefined"), "add \"plugins\": []");
            return;
        }
        Map<String, List<Integer>> byName = new HashMap<>();
        for (int i = 0; i < plugins.size(); i++) {
            String at = "/plugins/" + i;
            JsonNode e = plugins.get(i);
            if (!e.isObject()) {
                error("claude.entry", json, at, "`plugins." + i + "`: expected object, received " + Text.typeName(e), null);
                continue;
            }
            checkName(json, at + "/name", "Plugin");
            if (e.path("name").isTextual()) {
                byName.computeIfAbsent(e.path("name").asText(), k -> new ArrayList<>()).add(i);
            }
            source(json, at + "/source");
            for (String f : List.of("version", "description", "category", "license", "repository")) {
                typed(json, at + "/" + f, JsonNode::isTextual, "string");
            }
            typed(json, at + "/strict", JsonNode::isBoolean, "boolean");
            typed(json, at + "/keywords", Text::isStringArray, "array of strings");
            typed(json, at + "/tags", Text::isStringArray, "array of strings");
            typed(json, at + "/author", JsonNode::isObject, "object");
        }
        byName.forEach((name, idx) -> {
            if (idx.size() > 1) {
                for (int i : idx) {
                    error("claude.duplicate", json, "/plugins/" + i + "/name",
                            "Duplicate plugin name \"" + name + "\" found in marketplace", "keep one entry per plugin");
                }
            }
        });
    }

    private void source(JsonFile json, String pointer) {
        JsonNode s = json.root().at(pointer);
        String field = pointer.substring(1).replace('/', '.');
        if (s.isTextual()) {
            String v = s.asText();
            if (v.contains("..")) {
                error("claude.source", json, pointer, "`" + field + "`: Path contains \"..\": " + v
                        + ". Plugin source paths are resolved relative to the marketplace root", "use \"./...\" inside the marketplace");
            } else if (!v.startsWith("./")) {
                error("claude.source", json, pointer, "`" + field + "`: Invalid input: a local source must start with \"./\"",
                        "write \"./" + v.replaceFirst("^/+", "") + "\"");
            }
            return;
        }
        if (!s.isObject()) {
            error("claude.source", json, pointer, "`" + field + "`: Invalid input", "use \"./path\" or {\"source\": \"github\", ...}");
            return;
        }
        String type = s.path("source").asText("");
        boolean ok = switch (type) {
            case "github" -> s.path("repo").isTextual();
            case "url" -> s.path("url").isTextual();
            case "git-subdir" -> s.path("url").isTextual() && s.path("path").isTextual();
            case "npm", "pip" -> s.path("package").isTextual();
            default -> false;
        };
        if (!ok) {
            error("claude.source", json, pointer, "`" + field + "`: Invalid input (Claude Code reads sources \"./path\", "
                    + "github, url, git-subdir and npm; got " + (type.isEmpty() ? "no source type" : "`" + type + "`") + ")",
                    "local" .equals(type) ? "write the local source as a string \"./path\"" : null);
        }
    }
}
