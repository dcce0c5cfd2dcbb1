package dev.cxpm.core.init;

import static dev.cxpm.core.init.PluginInit.JSON;
import static dev.cxpm.core.init.PluginInit.MAX_BYTES;
import static dev.cxpm.core.init.PluginInit.MAX_FILES;
import static dev.cxpm.core.init.PluginInit.manifestBytes;
import static dev.cxpm.core.init.PluginInit.plural;
import static dev.cxpm.core.init.PluginInit.readBytes;
import static dev.cxpm.core.init.PluginInit.slashes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.parts.McpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code cxpm init --from}: reads a source project's {@code .mcp.json}, {@code .app.json} and {@code skills/} into the
 * files of the new plugin, and keeps the account of it (what was taken, left, scrubbed, and the prerequisites found).
 * The source is only read.
 */
final class Adoption {
    private static final Pattern SKILL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    final Path src;
    final Path root;
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final List<InitReport.Taken> taken = new ArrayList<>();
    final List<String> left = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final List<InitReport.ScrubbedSecret> scrubbed = new ArrayList<>();
    final Map<String, String> commands = new TreeMap<>();
    final Map<String, String> env = new TreeMap<>();
    final List<String> mcpServers = new ArrayList<>();
    final List<String> skillIds = new ArrayList<>();
    byte[] mcpBytes;
    byte[] appBytes;
    int skillCount;
    int appCount;
    int fileCount;
    long byteCount;

    Adoption(Path src, Path root) {
        this.src = src;
        this.root = root;
    }

    void scan() {
        Path mcp = src.resolve(".mcp.json");
        if (Files.isRegularFile(mcp, LinkOption.NOFOLLOW_LINKS)) {
            adoptMcp(mcp);
        }
        Path app = src.resolve(".app.json");
        if (Files.isRegularFile(app, LinkOption.NOFOLLOW_LINKS)) {
            adoptApps(app);
        }
        Path skills = src.resolve("skills");
        if (Files.isDirectory(skills, LinkOption.NOFOLLOW_LINKS)) {
            adoptSkills(skills);
        }
        for (Path entry : list(src)) {
            String n = entry.getFileName().toString();
            boolean adopted = n.equals(".mcp.json") && mcpBytes != null || n.equals(".app.json") && appBytes != null
                    || n.equals("skills") && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
            if (adopted || n.equals(".git") || root.startsWith(entry)) {
                continue; // root.startsWith: the new plugin is being made inside the source
            }
            left.add(display(entry));
        }
    }

    private void adoptMcp(Path file) {
        JsonNode doc = readJson(file);
        JsonNode servers = doc.get("mcpServers");
        if (!doc.isObject() || servers == null || !servers.isObject()) {
            throw new UserError(UserError.Kind.INVALID_INPUT,
                    file + ": expected an object with an \"mcpServers\" object ({\"mcpServers\": {\"name\": {\"command\": ...}}})",
                    "fix " + file + " or move it aside, then run init again");
        }
        boolean changed = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = servers.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String server = e.getKey();
            mcpServers.add(server);
            if (!e.getValue().isObject()) {
                notes.add(".mcp.json: server `" + server + "` is not an object; copied as it is");
                continue;
            }
            ObjectNode def = (ObjectNode) e.getValue();
            JsonNode command = def.get("command");
            if (command != null && command.isTextual()) {
                McpServer.pathCommand(command.asText())
                        .ifPresent(c -> commands.putIfAbsent(c, CommandHints.hintFor(c)));
            }
            JsonNode args = def.get("args");
            if (args != null && args.isArray()) {
                for (JsonNode arg : args) {
                    if (arg.isTextual()) {
                        McpServer.requiredEnv(arg.asText()).forEach(v -> env.putIfAbsent(v, usedBy(v, server)));
                        if (Secrets.tokenIn(arg.asText()).isPresent()) {
                            notes.add(".mcp.json: an argument of server `" + server
                                    + "` looks like a secret; it was copied, remove it before sharing the plugin");
                        }
                    }
                }
            }
            changed |= adoptHeaders(server, def);
            JsonNode envNode = def.get("env");
            if (envNode != null && envNode.isObject()) {
                ObjectNode vars = (ObjectNode) envNode;
                for (Iterator<Map.Entry<String, JsonNode>> vs = vars.fields(); vs.hasNext();) {
                    Map.Entry<String, JsonNode> v = vs.next();
                    if (!v.getValue().isTextual()) {
                        continue;
                    }
                    String value = v.getValue().asText();
                    if (Secrets.isLiteralSecret(v.getKey(), value)) {
                        v.setValue(JSON.getNodeFactory().textNode("${" + v.getKey() + "}"));
                        scrubbed.add(new InitReport.ScrubbedSecret(".mcp.json", server, v.getKey()));
                        env.put(v.getKey(), secretHint(v.getKey(), server));
                        changed = true;
                    } else {
                        McpServer.requiredEnv(value).forEach(r -> env.putIfAbsent(r, usedBy(r, server)));
                    }
                }
            }
        }
        mcpBytes = changed ? manifestBytes(doc) : readBytes(file);
        files.put(".mcp.json", mcpBytes);
        taken.add(new InitReport.Taken("mcp", ".mcp.json", ".mcp.json",
                Optional.of(plural(mcpServers.size(), "MCP server") + (mcpServers.isEmpty() ? "" : ": " + String.join(", ", mcpServers))
                        + (changed ? "; " + plural(scrubbed.size(), "literal secret") + " replaced by ${NAME}" : ""))));
    }

    /**
     * A remote server's {@code headers} may reference variables ({@code "Bearer ${API_TOKEN}"}): those are
     * prerequisites. A literal credential there is replaced by {@code ${<SERVER>_TOKEN}}, like an env secret.
     */
    private boolean adoptHeaders(String server, ObjectNode def) {
        JsonNode headersNode = def.get("headers");
        if (headersNode == null || !headersNode.isObject()) {
            return false;
        }
        boolean changed = false;
        ObjectNode headers = (ObjectNode) headersNode;
        for (Iterator<Map.Entry<String, JsonNode>> hs = headers.fields(); hs.hasNext();) {
            Map.Entry<String, JsonNode> h = hs.next();
            if (!h.getValue().isTextual()) {
                continue;
            }
            String value = h.getValue().asText();
            Optional<String> secret = Secrets.headerSecret(h.getKey(), value);
            if (secret.isPresent()) {
                String var = server.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]+", "_") + "_TOKEN";
                h.setValue(JSON.getNodeFactory().textNode(value.replace(secret.get(), "${" + var + "}")));
                scrubbed.add(new InitReport.ScrubbedSecret(".mcp.json", server, var));
                env.put(var, secretHint(var, server).replace("(set it", "(header " + h.getKey() + "; set it"));
                changed = true;
            } else {
                McpServer.requiredEnv(value).forEach(r -> env.putIfAbsent(r, usedBy(r, server)));
            }
        }
        return changed;
    }

    private void adoptApps(Path file) {
        JsonNode doc = readJson(file);
        JsonNode apps = doc.get("apps");
        List<String> keys = new ArrayList<>();
        if (doc.isObject() && apps != null && apps.isObject()) {
            apps.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                JsonNode id = apps.get(key).get("id");
                if (id == null || !id.isTextual()) {
                    notes.add(".app.json: app `" + key + "` has no \"id\"; Codex connects an app by its id (\"asdk_app_...\")");
                }
            }
        } else {
            notes.add(".app.json: no \"apps\" object; Codex expects {\"apps\": {\"name\": {\"id\": \"asdk_app_...\"}}}");
        }
        appCount = keys.size();
        appBytes = readBytes(file);
        files.put(".app.json", appBytes);
        taken.add(new InitReport.Taken("apps", ".app.json", ".app.json",
                Optional.of(plural(keys.size(), "app") + (keys.isEmpty() ? "" : ": " + String.join(", ", keys)))));
    }

    /** Skill directories first, so a flat {@code x.md} never shadows a real {@code x/SKILL.md}. */
    private void adoptSkills(Path skills) {
        List<Path> entries = list(skills);
        for (Path dir : entries) {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && Files.isRegularFile(dir.resolve("SKILL.md"), LinkOption.NOFOLLOW_LINKS)) {
                adoptSkillDirectory(dir);
            }
        }
        for (Path entry : entries) {
            String n = entry.getFileName().toString();
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isRegularFile(entry.resolve("SKILL.md"), LinkOption.NOFOLLOW_LINKS)) {
                    left.add(display(entry));
                }
            } else if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && n.toLowerCase(java.util.Locale.ROOT).endsWith(".md")) {
                adoptFlatSkill(entry);
            } else {
                left.add(display(entry));
                if (Files.isSymbolicLink(entry)) {
                    notes.add(display(entry) + " is a symbolic link; links are not followed");
                }
            }
        }
    }

    private void adoptSkillDirectory(Path dir) {
        String id = dir.getFileName().toString();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                if (Files.isSymbolicLink(p)) {
                    notes.add(display(p) + " is a symbolic link; not copied");
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    String rel = "skills/" + id + "/" + slashes(dir.relativize(p));
                    if (rel.contains("/.git/")) {
                        continue;
                    }
                    count(p);
                    byte[] bytes = readBytes(p);
                    if (p.getParent().equals(dir) && p.getFileName().toString().equals("SKILL.md")) {
                        SkillDraft.Drafted d = SkillDraft.draft(id, new String(bytes, StandardCharsets.UTF_8));
                        if (d.note().isPresent() && !d.note().get().contains("unchanged")) {
                            bytes = d.text().getBytes(StandardCharsets.UTF_8);
                        }
                        taken.add(new InitReport.Taken("skill", display(dir), "skills/" + id + "/", d.note()));
                    }
                    files.put(rel, bytes);
                }
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + dir + ": " + e.getMessage(), null, e);
        }
        skillIds.add(id);
        skillCount++;
    }

    private void adoptFlatSkill(Path file) {
        String stem = file.getFileName().toString().replaceFirst("(?i)\\.md$", "");
        String id = SKILL_ID.matcher(stem).matches() ? stem : PluginName.fromDirectoryName(stem).value();
        String to = "skills/" + id + "/SKILL.md";
        if (skillIds.contains(id)) {
            left.add(display(file));
            notes.add(display(file) + " not taken: skills/" + id + "/ is already a skill");
            return;
        }
        count(file);
        SkillDraft.Drafted d = SkillDraft.draft(id, new String(readBytes(file), StandardCharsets.UTF_8));
        files.put(to, d.text().getBytes(StandardCharsets.UTF_8));
        taken.add(new InitReport.Taken("skill", display(file), to, d.note()));
        skillIds.add(id);
        skillCount++;
    }

    String describe(PluginName name) {
        List<String> parts = new ArrayList<>();
        if (skillCount > 0) {
            parts.add(plural(skillCount, "skill"));
        }
        if (!mcpServers.isEmpty()) {
            parts.add(plural(mcpServers.size(), "MCP server") + " (" + String.join(", ", mcpServers) + ")");
        }
        if (appCount > 0) {
            parts.add(plural(appCount, "app"));
        }
        return name.displayName() + ": " + String.join(", ", parts) + ".";
    }

    private void count(Path file) {
        fileCount++;
        try {
            byteCount += Files.size(file);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
        if (fileCount > MAX_FILES || byteCount > MAX_BYTES) {
            throw new UserError(UserError.Kind.INVALID_INPUT,
                    src.resolve("skills") + " is too large to adopt (more than " + MAX_FILES + " files or "
                            + MAX_BYTES / (1024 * 1024) + " MB)",
                    "move what is not part of a skill out of skills/, then run init again");
        }
    }

    private String display(Path p) {
        String rel = slashes(src.relativize(p));
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? rel + "/" : rel;
    }

    private static String usedBy(String var, String server) {
        return knownHint(var).orElse("used by MCP server `" + server + "`");
    }

    private static String secretHint(String var, String server) {
        return knownHint(var).orElse("secret for MCP server `" + server + "`")
                + " (set it in your environment; its literal value was not copied)";
    }

    private static Optional<String> knownHint(String var) {
        if (var.startsWith("GITHUB") || var.startsWith("GH_")) {
            return Optional.of("a GitHub token: https://github.com/settings/tokens");
        }
        if (var.startsWith("SLACK")) {
            return Optional.of("a Slack token: https://api.slack.com/apps");
        }
        if (var.startsWith("OPENAI")) {
            return Optional.of("an OpenAI API key: https://platform.openai.com/api-keys");
        }
        return Optional.empty();
    }

    /** Reads a JSON file of the source with the format model; malformed JSON names the file, line and column. */
    private static JsonNode readJson(Path file) {
        return JsonFile.read(file).root();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot list " + dir + ": " + e.getMessage(), null, e);
        }
    }
}
