package dev.cxpm.core.validate;

import static dev.cxpm.core.validate.PluginValidator.present;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.parts.McpServer;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.PluginPaths;
import dev.cxpm.core.format.parts.Prerequisites;
import dev.cxpm.core.format.parts.Skill;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * cxpm's own rules, stricter than Codex, on a plugin Codex would install: paths that lead nowhere or out of the
 * plugin, SKILL.md metadata and hidden Unicode, literal secrets and undeclared prerequisites of MCP servers, apps
 * Codex cannot connect, what a pack would leave out. Warnings, errors under {@code --strict}; a literal secret is
 * an error always.
 */
final class CxpmRules {
    private static final List<String> INTERFACE_ASSETS = List.of("composerIcon", "logo", "logoDark");
    /** Variables the host provides to MCP servers; a plugin need not declare them. */
    private static final Set<String> HOST_VARS = Set.of("CLAUDE_PLUGIN_ROOT", "CLAUDE_PLUGIN_DATA", "CLAUDE_PROJECT_DIR",
            "PLUGIN_ROOT", "CODEX_HOME", "HOME", "PATH", "PWD", "USER", "TMPDIR");

    private CxpmRules() {
    }


    static void check(Plugin plugin, Problems p) {
        Path root = plugin.root();
        JsonFile json = plugin.manifestJson();
        Path file = json.path();
        for (String field : List.of("skills", "mcpServers", "apps", "hooks")) {
            JsonNode node = json.root().path(field);
            if (node.isTextual()) {
                checkPath(root, json, "/" + field, node.asText(), p);
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    if (node.get(i).isTextual()) {
                        checkPath(root, json, "/" + field + "/" + i, node.get(i).asText(), p);
                    }
                }
            }
        }
        JsonNode iface = json.root().path("interface");
        for (String f : INTERFACE_ASSETS) {
            if (iface.path(f).isTextual()) {
                checkPath(root, json, "/interface/" + f, iface.path(f).asText(), p);
            }
        }
        JsonNode shots = iface.path("screenshots");
        for (int i = 0; shots.isArray() && i < shots.size(); i++) {
            if (shots.get(i).isTextual()) {
                checkPath(root, json, "/interface/screenshots/" + i, shots.get(i).asText(), p);
            }
        }
        skills(plugin, p);
        mcp(plugin, p);
        apps(plugin, p);
        PackWarnings.check(root, p);
        JsonNode pre = json.root().path("prerequisites");
        if (present(pre) && (!pre.isObject() || (present(pre.path("commands")) && !pre.path("commands").isObject())
                || (present(pre.path("env")) && !pre.path("env").isObject()))) {
            p.strict("prerequisites.invalid", file, json.lineOf("/prerequisites"),
                    "`prerequisites` must be {\"commands\": {NAME: hint}, \"env\": {NAME: hint}}", null);
        }
    }

    private static void checkPath(Path root, JsonFile json, String pointer, String value, Problems p) {
        Path file = json.path();
        int line = json.lineOf(pointer);
        String field = pointer.substring(1).replace('/', '.');
        Optional<String> rule = PluginPaths.ruleViolation(value);
        if (rule.isPresent()) {
            p.strict("path.invalid", file, line, "Codex ignores `" + field + "` (\"" + value + "\"): " + rule.get(),
                    "write it as \"./" + value.replaceFirst("^(\\./|/)+", "").replace("../", "") + "\" inside the plugin");
            return;
        }
        Path target = root.resolve(value.substring(2)).normalize();
        if (!Files.exists(target)) {
            p.strict("path.missing", file, line, "`" + field + "` names \"" + value + "\", which does not exist",
                    "create it or fix the path");
        } else if (!PluginPaths.isInside(root, target)) {
            p.strict("path.outside", file, line, "`" + field + "` (\"" + value + "\") leads outside the plugin (symlink)",
                    "copy the file into the plugin instead of linking to it");
        }
    }

    /**
     * A skill Codex does not load (its SKILL.md read as Codex reads it) is one Codex installs and then cannot use
     * ({@link Problem#unusableByCodex}): {@code plugin add} accepts the plugin, so a warning unless --strict.
     */
    private static void skills(Plugin plugin, Problems p) {
        for (Skill s : plugin.skills()) {
            if (s.unreadable().isPresent()) {
                p.strict("skill.unreadable", s.file(), 1, "SKILL.md cannot be read: " + s.unreadable().get(),
                        "keep SKILL.md under 1 MiB of UTF-8 text: move long reference material into other files of the skill"
                                + " and name them in SKILL.md");
            } else if (s.frontMatterError().isPresent()) {
                p.strict("skill.frontmatter", s.file(), s.frontMatterLine(), "SKILL.md front matter: " + s.frontMatterError().get(),
                        s.frontMatterFix().isEmpty() ? "start the file with ---, name: ..., description: ..., ---" : s.frontMatterFix());
            } else {
                if (s.name().isEmpty()) {
                    p.strict("skill.name-missing", s.file(), 1, "SKILL.md has no `name` in its front matter",
                            "add name: " + s.id());
                }
                if (s.description().isEmpty()) {
                    p.strict("skill.description-missing", s.file(), 1,
                            "SKILL.md has no `description`: Codex cannot tell when to use the skill",
                            "add description: <when to use this skill> (Codex does not load a skill without one)");
                }
            }
            try {
                // bounded, and a regular file only (a pipe would block the open): a larger file is not looked at
                String text = dev.cxpm.core.FileText.read(s.file(), 1024 * 1024);
                Text.firstHiddenChar(text).ifPresent(h -> p.strict("skill.hidden-unicode", s.file(), h.line(),
                        "hidden or bidirectional Unicode character " + h.describe()
                                + " (text the user cannot see can steer the model)",
                        "remove the invisible character"));
            } catch (IOException | RuntimeException e) {
                // unreadable (binary or gone): front matter check above already reports it
            }
        }
    }

    private static void mcp(Plugin plugin, Problems p) {
        Plugin.McpConfig config = plugin.mcpConfig();
        config.failure().ifPresent(f -> p.unparsable(p.strictSeverity(), "mcp.invalid-json", f,
                "Codex installs the plugin but starts none of its MCP servers, as this MCP configuration cannot be read"));
        if (config.json().isEmpty()) {
            return;
        }
        JsonFile json = config.json().get();
        JsonNode servers = json.root().at(config.pointer());
        Prerequisites pre = plugin.prerequisites();
        Path prereqFile = plugin.manifestJson().path();
        Set<String> reported = new java.util.HashSet<>();
        for (Map.Entry<String, McpServer> e : plugin.mcpServers().entrySet()) {
            String at = config.pointer() + "/" + JsonFile.pointerKey(e.getKey());
            McpServer server = e.getValue();
            JsonNode env = servers.path(e.getKey()).path("env");
            for (Map.Entry<String, JsonNode> v : env.properties()) {
                if (v.getValue().isTextual()) {
                    Text.literalSecret(v.getKey(), v.getValue().asText()).ifPresent(why -> p.error("mcp.secret-literal",
                            json.path(), json.lineOf(at + "/env/" + JsonFile.pointerKey(v.getKey())),
                            "MCP server `" + e.getKey() + "` env: " + why + "; it would be shared with everyone who installs the plugin",
                            "write \"" + v.getKey() + "\": \"${" + v.getKey() + "}\" and declare it in prerequisites.env"));
                }
            }
            for (int i = 0; i < server.args().size(); i++) {
                int idx = i;
                Text.literalSecret(null, server.args().get(i)).ifPresent(why -> p.error("mcp.secret-literal",
                        json.path(), json.lineOf(at + "/args/" + idx), "MCP server `" + e.getKey() + "` args: " + why,
                        "pass it through an environment variable declared in prerequisites.env"));
            }
            server.pathCommand().ifPresent(c -> {
                if (!pre.commands().containsKey(c) && reported.add("command " + c)) {
                    p.strict("prereq.command-undeclared", prereqFile, plugin.manifestJson().lineNear("/prerequisites/commands"),
                            "MCP server `" + e.getKey() + "` runs `" + c + "`, which is not declared in prerequisites.commands"
                                    + " (users would not know to install it)",
                            "add \"prerequisites\": {\"commands\": {\"" + c + "\": \"how to install " + c + "\"}}");
                }
            });
            for (String value : server.env().values()) {
                for (String var : McpServer.requiredEnv(value)) {
                    if (!HOST_VARS.contains(var) && !pre.env().containsKey(var) && reported.add("env " + var)) {
                        p.strict("prereq.env-undeclared", prereqFile, plugin.manifestJson().lineNear("/prerequisites/env"),
                                "MCP server `" + e.getKey() + "` needs environment variable " + var
                                        + ", which is not declared in prerequisites.env",
                                "add \"prerequisites\": {\"env\": {\"" + var + "\": \"where to get it\"}}");
                    }
                }
            }
        }
    }

    /** Codex connects an app by its id ({@code asdk_app_...}); an apps file it cannot read connects none. */
    private static void apps(Plugin plugin, Problems p) {
        Optional<Path> file = plugin.appsFile();
        if (file.isEmpty()) {
            return;
        }
        String shape = "{\"apps\": {\"name\": {\"id\": \"asdk_app_...\"}}}";
        JsonFile json;
        switch (JsonFile.tryRead(file.get())) {
            case JsonFile.Failed f -> {
                p.unparsable(p.strictSeverity(), "app.invalid-json", f.failure(),
                        "Codex installs the plugin but connects none of its apps, as this apps file cannot be read");
                return;
            }
            case JsonFile.Parsed parsed -> json = parsed.file();
        }
        JsonNode apps = json.root().path("apps");
        if (!apps.isObject()) {
            p.strict("app.no-apps", json.path(), json.lineNear("/apps"),
                    "no \"apps\" object, so Codex finds no app to connect", "write it as " + shape);
            return;
        }
        for (Map.Entry<String, JsonNode> e : apps.properties()) {
            JsonNode id = e.getValue().path("id");
            if (!id.isTextual() || id.asText().isBlank()) {
                String at = "/apps/" + JsonFile.pointerKey(e.getKey());
                p.strict("app.missing-id", json.path(), json.lineOf(at),
                        "app `" + e.getKey() + "` has no \"id\"; Codex connects an app by its id, so it cannot connect this one",
                        "add \"id\": \"asdk_app_...\" (the connector's id) to `" + e.getKey() + "`");
            }
        }
    }
}
