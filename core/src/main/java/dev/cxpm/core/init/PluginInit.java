package dev.cxpm.core.init;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.FileText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.McpServer;
import dev.cxpm.core.format.JsonFile;
import dev.cxpm.core.format.ManifestLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code cxpm init}: writes a new plugin, either a scaffold (manifest, an example skill, a README)
 * or one adopted from a project's scattered {@code .mcp.json}, {@code .app.json} and {@code skills/}.
 *
 * <p>Source JSON is read with the format model ({@link JsonFile}). Everything is read and checked before the first write, files are written atomically and the
 * manifest last, so a failure leaves no half-made plugin that {@code init} would then refuse. The
 * source of an adoption is only read: a file that would land on an existing, different file is a
 * conflict, never an overwrite.
 */
public final class PluginInit {
    static final String MANIFEST = ".codex-plugin/plugin.json";
    private static final Pattern SKILL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** Limits on an adopted skills/ tree, so a pathological source fails clearly instead of filling memory. */
    static final int MAX_FILES = 10_000;
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    /** What the user chose: {@code --name} and {@code --description}, both optional. */
    public record Options(Optional<String> name, Optional<String> description) {
        public static Options none() {
            return new Options(Optional.empty(), Optional.empty());
        }
    }

    private PluginInit() {
    }

    /** Scaffolds a new plugin in {@code target} (created when missing); existing files other than a manifest are kept. */
    public static InitReport scaffold(Path target, Options options) {
        Path root = prepareTarget(target);
        PluginName name = nameFor(root, options);
        String description = options.description().orElse(name.displayName() + ": skills for Codex.");
        Plan plan = new Plan(root, true);
        if (!hasSkills(root.resolve("skills"))) {
            plan.add("skills/example/SKILL.md", exampleSkill());
        }
        plan.add("README.md", scaffoldReadme(name, description));
        ObjectNode manifest = manifest(name, description, true, false, false, List.of("Skills"));
        plan.writeAll(MANIFEST, manifestBytes(manifest));
        return new InitReport(root, name.value(), Optional.empty(), plan.created, plan.kept, List.of(), List.of(),
                Map.of(), Map.of(), List.of(), List.of());
    }

    /**
     * Adopts {@code source}'s {@code .mcp.json}, {@code .app.json} and {@code skills/} into a new plugin at
     * {@code target} (which may be the source itself, when nothing there would change).
     */
    public static InitReport adopt(Path source, Path target, Options options) {
        if (!Files.isDirectory(source)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "--from " + source + ": no such directory",
                    "give the directory that holds the project's .mcp.json, .app.json or skills/");
        }
        Path src = realPath(source);
        Path root = prepareTarget(target);
        Adoption a = new Adoption(src, root);
        a.scan();
        if (a.taken.isEmpty()) {
            throw new UserError(UserError.Kind.INVALID_INPUT,
                    "nothing to adopt in " + src + ": no .mcp.json, .app.json or skills/ (with SKILL.md or .md files) found",
                    "run 'cxpm init " + root + "' without --from to scaffold a new plugin");
        }
        PluginName name = nameFor(root, options);
        String description = options.description().orElseGet(() -> a.describe(name));
        List<String> capabilities = new ArrayList<>();
        if (a.skillCount > 0) {
            capabilities.add("Skills");
        }
        if (a.mcpServers.size() > 0) {
            capabilities.add("MCP");
        }
        if (a.appCount > 0) {
            capabilities.add("Apps");
        }
        ObjectNode manifest = manifest(name, description, a.skillCount > 0, a.mcpBytes != null,
                a.appBytes != null, capabilities);
        if (!a.commands.isEmpty() || !a.env.isEmpty()) {
            ObjectNode prerequisites = manifest.putObject("prerequisites");
            if (!a.commands.isEmpty()) {
                ObjectNode commands = prerequisites.putObject("commands");
                a.commands.forEach(commands::put);
            }
            if (!a.env.isEmpty()) {
                ObjectNode env = prerequisites.putObject("env");
                a.env.forEach(env::put);
            }
        }
        Plan plan = new Plan(root, false);
        a.files.forEach(plan::add);
        plan.addKeepingExisting("README.md", adoptedReadme(name, description, a));
        plan.writeAll(MANIFEST, manifestBytes(manifest));
        return new InitReport(root, name.value(), Optional.of(src), plan.created, plan.kept, a.taken, a.left,
                a.commands, a.env, a.scrubbed, a.notes);
    }

    // ---- target and name ----

    private static Path prepareTarget(Path target) {
        Path root = target.toAbsolutePath().normalize();
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new UserError(UserError.Kind.USAGE, root + " is a file, not a directory",
                    "give a directory for the plugin (it is created when missing)");
        }
        if (Files.isDirectory(root)) {
            root = realPath(root);
            Optional<Path> existing = ManifestLocation.find(root).map(ManifestLocation::file);
            if (existing.isEmpty() && Files.exists(root.resolve(MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
                existing = Optional.of(root.resolve(MANIFEST)); // not a regular file, but still in the way
            }
            if (existing.isPresent()) {
                String rel = slashes(root.relativize(existing.get()));
                throw new UserError(UserError.Kind.CONFLICT,
                        root + " is already a plugin: " + rel + " exists; init does not overwrite it",
                        "edit " + existing.get() + " by hand and check it with 'cxpm validate "
                                + root + "', or run init in a new directory");
            }
        }
        return root;
    }

    private static PluginName nameFor(Path root, Options options) {
        if (options.name().isPresent()) {
            return PluginName.parse(options.name().get());
        }
        Path dirName = root.getFileName();
        return PluginName.fromDirectoryName(dirName == null ? "" : dirName.toString());
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + p + ": " + e.getMessage(), null, e);
        }
    }

    private static boolean hasSkills(Path skillsDir) {
        if (!Files.isDirectory(skillsDir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(skillsDir)) {
            return entries.anyMatch(d -> Files.isRegularFile(d.resolve("SKILL.md")));
        } catch (IOException e) {
            return false;
        }
    }

    // ---- what gets written ----

    private static ObjectNode manifest(PluginName name, String description, boolean skills, boolean mcp, boolean apps,
            List<String> capabilities) {
        ObjectNode m = JSON.createObjectNode();
        m.put("name", name.value());
        m.put("version", "0.1.0");
        m.put("description", description);
        if (skills) {
            m.put("skills", "./skills/");
        }
        if (mcp) {
            m.put("mcpServers", "./.mcp.json");
        }
        if (apps) {
            m.put("apps", "./.app.json");
        }
        ObjectNode ui = m.putObject("interface");
        ui.put("displayName", name.displayName());
        ui.put("shortDescription", description);
        ui.put("category", "Productivity");
        ArrayNode caps = ui.putArray("capabilities");
        capabilities.forEach(caps::add);
        return m;
    }

    static byte[] manifestBytes(JsonNode node) {
        try {
            return (PRETTY.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] exampleSkill() {
        return """
                ---
                name: example
                description: An example skill. Say when Codex should use it, in one sentence.
                ---
                # Example

                Replace this with the instructions Codex should follow when this skill applies:
                the steps, the conventions to respect and what a good result looks like.
                """.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] scaffoldReadme(PluginName name, String description) {
        return ("# " + name.displayName() + "\n\n" + description + "\n\n"
                + "A Codex plugin: skills live in `skills/<name>/SKILL.md`; add MCP servers in `.mcp.json`\n"
                + "and apps in `.app.json`, then point to them from `.codex-plugin/plugin.json`.\n\n"
                + "## Develop\n\n```bash\ncxpm validate .     # what the real Codex CLI would reject, and cxpm's stricter checks\n"
                + "cxpm pack           # a reproducible .tgz with its sha512 integrity\n```\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] adoptedReadme(PluginName name, String description, Adoption a) {
        StringBuilder r = new StringBuilder("# ").append(name.displayName()).append("\n\n").append(description).append("\n");
        if (!a.skillIds.isEmpty()) {
            r.append("\n## Skills\n\n");
            a.skillIds.forEach(s -> r.append("- `").append(s).append("`\n"));
        }
        if (!a.mcpServers.isEmpty()) {
            r.append("\n## MCP servers\n\n");
            a.mcpServers.forEach(s -> r.append("- `").append(s).append("`\n"));
        }
        if (!a.commands.isEmpty() || !a.env.isEmpty()) {
            r.append("\n## Prerequisites\n\n");
            a.commands.forEach((c, hint) -> r.append("- command `").append(c).append("`: ").append(hint).append("\n"));
            a.env.forEach((v, hint) -> r.append("- environment variable `").append(v).append("`: ").append(hint).append("\n"));
        }
        r.append("\n## Develop\n\n```bash\ncxpm validate --strict .\ncxpm pack\n```\n");
        return r.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---- adoption ----

    /** Reads a source project into the files of the new plugin, and keeps the account of it. */
    private static final class Adoption {
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
    }

    // ---- small file helpers ----

    /**
     * The files to write, checked against what is already there: an identical file is left alone, an
     * existing different one is kept (scaffold) or a conflict (adoption, so nothing is ever overwritten).
     */
    private static final class Plan {
        final Path root;
        final boolean keepExisting;
        final Map<String, byte[]> toWrite = new LinkedHashMap<>();
        final List<String> created = new ArrayList<>();
        final List<String> kept = new ArrayList<>();
        final List<String> conflicts = new ArrayList<>();

        Plan(Path root, boolean keepExisting) {
            this.root = root;
            this.keepExisting = keepExisting;
        }

        void add(String rel, byte[] bytes) {
            place(rel, bytes, keepExisting);
        }

        void addKeepingExisting(String rel, byte[] bytes) {
            place(rel, bytes, true);
        }

        private void place(String rel, byte[] bytes, boolean keep) {
            Path file = root.resolve(rel);
            for (Path p = file.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
                if (Files.isSymbolicLink(p) || Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    conflicts.add(rel);
                    return;
                }
            }
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Arrays.equals(readBytes(file), bytes)) {
                    kept.add(rel);
                } else if (keep) {
                    kept.add(rel);
                } else {
                    conflicts.add(rel);
                }
                return;
            }
            toWrite.put(rel, bytes);
        }

        void writeAll(String manifestRel, byte[] manifest) {
            if (!conflicts.isEmpty()) {
                throw new UserError(UserError.Kind.CONFLICT,
                        "init would overwrite files that already exist in " + root + ": " + String.join(", ", conflicts),
                        "adopt into a new directory (cxpm init NEW_DIR --from SOURCE); init never overwrites files");
            }
            toWrite.put(manifestRel, manifest);
            toWrite.forEach((rel, bytes) -> {
                writeAtomically(root.resolve(rel), bytes);
                created.add(rel);
            });
        }
    }

    private static void writeAtomically(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            TempPaths.replace(file, "." + file.getFileName(), bytes);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + file + ": " + e.getMessage(), null, e);
        }
    }

    /** Reads a JSON file of the source with the format model; malformed JSON names the file, line and column. */
    private static JsonNode readJson(Path file) {
        return JsonFile.read(file).root();
    }

    private static byte[] readBytes(Path file) {
        try {
            return FileText.bytes(file, MAX_BYTES, LinkOption.NOFOLLOW_LINKS); // looked at through no link: a regular file
        } catch (FileText.TooLarge e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, file + " is larger than the " + MAX_BYTES / (1024 * 1024)
                    + " MB cxpm adopts", "move what is not part of a skill out of skills/, then run init again");
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot list " + dir + ": " + e.getMessage(), null, e);
        }
    }

    private static String slashes(Path rel) {
        return rel.toString().replace('\\', '/');
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
