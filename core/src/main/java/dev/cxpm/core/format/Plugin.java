package dev.cxpm.core.format;

import dev.cxpm.core.PlainText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.parts.App;
import dev.cxpm.core.format.parts.Hook;
import dev.cxpm.core.format.parts.McpServer;
import dev.cxpm.core.format.parts.PluginInterface;
import dev.cxpm.core.format.parts.Prerequisites;
import dev.cxpm.core.format.parts.Skill;
import dev.cxpm.core.format.parts.SlashCommand;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plugin directory read leniently, the way the real Codex CLI installs it: the manifest is found per
 * {@link ManifestLocation}, unknown fields are ignored, optional fields of the wrong type are treated as
 * absent, components ({@code skills/}, {@code .mcp.json}, {@code .app.json}, Claude Code's hooks and
 * commands) are read without failing on malformed content. Whether Codex would <em>reject</em> the plugin is the validator's business; this class
 * only says what a plugin offers.
 *
 * <p>Reading is bounded: only the manifest, the named component files and one level of skill directories are
 * looked at (never a recursive walk), at most {@value #MAX_SKILL_DIRS} entries per skills directory,
 * files are size-capped and paths that leave the plugin root through {@code ..} or symlinks are not followed.
 */
public final class Plugin {
    static final int MAX_SKILL_DIRS = 10_000;
    static final int MAX_SKILL_BYTES = 1024 * 1024;

    private final Path root;
    private final ManifestLocation manifest;
    private final JsonFile manifestJson;
    private List<Skill> skills;
    private McpConfig mcp;
    /** {@link #mcpServers}, made once: the prerequisite check and the run surface each ask for them. */
    private Map<String, McpServer> mcpServers;
    private Map<String, App> apps;
    private Optional<Path> appsFile;
    private List<Hook> hooks;
    private Map<String, SlashCommand> commands;

    /** Everything root holds, as relative paths, when read from a checked listing of it ({@link #listed}); null: unknown. */
    private final Set<String> listing;

    private Plugin(Path root, ManifestLocation manifest, JsonFile manifestJson, Set<String> listing) {
        this.root = root;
        this.manifest = manifest;
        this.manifestJson = manifestJson;
        this.listing = listing;
    }

    /**
     * This plugin, read from a root whose every file and directory is listed in paths (relative, {@code /} between
     * names): a checked listing, such as a store tree's index just checked against its files, where what it does not
     * list is not installed. A file it does not list is not there, and not looked for on disk; a file it lists is looked
     * at as in any plugin (inside the root, through no link).
     */
    public Plugin listed(Set<String> paths) {
        return new Plugin(root, manifest, manifestJson, Set.copyOf(paths));
    }

    /**
     * The file at rel (a fixed name such as {@code .mcp.json}: relative, normalized) under root, when it is there, inside
     * root ({@link PluginPaths#isInside}): one the listing lacks is not looked for, and no path is made for it (most plugins
     * lack most of these files); one it holds is not asked about twice ({@link PluginPaths#isInsideWhenListed}).
     */
    private Optional<Path> held(String rel) {
        if (listing != null && !listing.contains(rel)) {
            return Optional.empty();
        }
        Path p = root.resolve(rel);
        return (listing == null ? PluginPaths.isInside(root, p) : PluginPaths.isInsideWhenListed(root, p)) ? Optional.of(p) : Optional.empty();
    }

    /**
     * The JSON file at rel (a fixed name, as for {@link #held}) read, when it is there. A name right under root of a
     * checked listing is read through no link: looked at without following a link (a link is no regular file) and opened
     * with O_NOFOLLOW, where held proved it no link with a look of its own, and the read looked at it again and opened it
     * following links (three calls; now two, and a link swapped in after the look is not followed).
     */
    private Optional<JsonFile.Outcome> readHeld(String rel) {
        if (listing != null && rel.indexOf('/') < 0) {
            return listing.contains(rel) ? JsonFile.tryReadIfFile(root.resolve(rel), java.nio.file.LinkOption.NOFOLLOW_LINKS) : Optional.empty();
        }
        return held(rel).flatMap(JsonFile::tryReadIfFile);
    }

    /**
     * False when {@code root.resolve(rel)} is known not to be there: not in the listing this plugin was read with
     * ({@link #listed}). rel is relative and normalized (not empty, no {@code .} or {@code ..} name, {@code /} between
     * names): asked as a string, no path is made, normalized and relativized for each word of each command a run surface
     * looks at (most of them no file: npx, a package name).
     */
    public boolean mayHold(String rel) {
        return listing == null || listing.contains(rel);
    }

    /** Loads the plugin at pluginRoot; INVALID_INPUT when it has no manifest or the manifest is not JSON. */
    public static Plugin load(Path pluginRoot) {
        Path root = pluginRoot.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new UserError(UserError.Kind.NOT_FOUND, root + ": no such plugin directory");
        }
        ManifestLocation location = ManifestLocation.find(root).orElseThrow(() -> new UserError(
                UserError.Kind.INVALID_INPUT, root + ": missing plugin.json",
                "create .codex-plugin/plugin.json (cxpm init does it)"));
        return new Plugin(root, location, JsonFile.read(location.file()), null);
    }

    /** A plugin whose manifest was already found and parsed (by the validator). */
    public static Plugin of(Path pluginRoot, ManifestLocation location, JsonFile manifestJson) {
        return new Plugin(pluginRoot.toAbsolutePath().normalize(), location, manifestJson, null);
    }

    public Path root() {
        return root;
    }

    public ManifestLocation manifest() {
        return manifest;
    }

    public JsonFile manifestJson() {
        return manifestJson;
    }

    private JsonNode field(String name) {
        return manifestJson.root().path(name);
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
    }

    private static List<String> strings(JsonNode node) {
        if (!node.isArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> {
            if (n.isTextual()) {
                out.add(n.asText());
            }
        });
        return List.copyOf(out);
    }

    /** The manifest's non-blank {@code name}. */
    public Optional<String> name() {
        return text(field("name"));
    }

    /** The name Codex installs the plugin under: the manifest name, else the directory name. */
    public String effectiveName() {
        return name().orElseGet(() -> root.getFileName() == null ? "" : root.getFileName().toString());
    }

    /** The trimmed manifest version; empty when absent or blank. A JSON array manifest is read positionally. */
    public Optional<String> version() {
        JsonNode root = manifestJson.root();
        JsonNode v = root.isArray() ? root.path(0) : root.path("version");
        return v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText().trim()) : Optional.empty();
    }

    public Optional<String> description() {
        return text(field("description"));
    }

    public List<String> keywords() {
        return strings(field("keywords"));
    }

    public PluginInterface pluginInterface() {
        JsonNode i = field("interface");
        if (!i.isObject()) {
            return PluginInterface.empty();
        }
        return new PluginInterface(text(i.path("displayName")), text(i.path("shortDescription")),
                text(i.path("longDescription")), text(i.path("developerName")), text(i.path("category")),
                strings(i.path("capabilities")), text(i.path("brandColor")), defaultPrompts(i.path("defaultPrompt")));
    }

    /** Codex keeps at most 3 prompts, each non-empty and at most 128 characters, whitespace collapsed. */
    static List<String> defaultPrompts(JsonNode node) {
        List<String> raw = node.isTextual() ? List.of(node.asText()) : strings(node);
        List<String> out = new ArrayList<>();
        for (String p : raw) {
            String collapsed = PlainText.collapseSpaces(p.trim());
            if (!collapsed.isEmpty() && collapsed.length() <= 128 && out.size() < 3) {
                out.add(collapsed);
            }
        }
        return List.copyOf(out);
    }

    /** cxpm's {@code prerequisites} field; empty maps when absent or ill-typed. */
    public Prerequisites prerequisites() {
        JsonNode p = field("prerequisites");
        return new Prerequisites(stringMap(p.path("commands")), stringMap(p.path("env")));
    }

    private static Map<String, String> stringMap(JsonNode node) {
        if (!node.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : ""));
        return Collections.unmodifiableMap(out);
    }

    /** The manifest's path values for a field that is a string or an array of strings (others ignored). */
    public List<String> pathValues(String fieldName) {
        JsonNode node = field(fieldName);
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        return strings(node);
    }

    /** Directories that hold skills: {@code skills/} and the manifest's {@code skills} paths, inside the root. */
    public List<Path> skillRoots() {
        Set<Path> roots = new LinkedHashSet<>();
        Path def = root.resolve("skills");
        if (Files.isDirectory(def) && PluginPaths.isInside(root, def)) {
            roots.add(def);
        }
        for (String p : pathValues("skills")) {
            PluginPaths.resolveInside(root, p).filter(Files::isDirectory).ifPresent(roots::add);
        }
        return List.copyOf(roots);
    }

    /** Every skill: a directory with a {@code SKILL.md}, either a skills root itself or one level below it. */
    public List<Skill> skills() {
        if (skills == null) {
            Map<Path, Skill> found = new LinkedHashMap<>();
            for (Path dir : skillRoots()) {
                Path direct = dir.resolve("SKILL.md");
                if (Files.isRegularFile(direct)) {
                    found.putIfAbsent(direct.normalize(), readSkill(dir));
                    continue;
                }
                try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                    int seen = 0;
                    List<Path> sorted = new ArrayList<>();
                    for (Path child : children) {
                        if (++seen > MAX_SKILL_DIRS) {
                            break;
                        }
                        sorted.add(child);
                    }
                    Collections.sort(sorted);
                    for (Path child : sorted) {
                        Path md = child.resolve("SKILL.md");
                        if (Files.isRegularFile(md) && PluginPaths.isInside(root, md)) {
                            found.putIfAbsent(md.normalize(), readSkill(child));
                        }
                    }
                } catch (IOException e) {
                    // an unreadable skills directory offers no skills; the validator reports unreadable paths
                }
            }
            skills = List.copyOf(found.values());
        }
        return skills;
    }

    private Skill readSkill(Path dir) {
        Path file = dir.resolve("SKILL.md");
        String id = dir.getFileName().toString();
        String text;
        try {
            text = JsonFile.readText(file, MAX_SKILL_BYTES);
        } catch (UserError e) {
            return new Skill(id, file, Optional.empty(), Optional.empty(), Optional.of(e.getMessage()));
        }
        FrontMatter fm = FrontMatter.parse(text);
        if (fm.error().isPresent()) {
            return new Skill(id, file, Optional.empty(), Optional.empty(), fm.error());
        }
        return new Skill(id, file, text(fm.yaml().path("name")), text(fm.yaml().path("description")), Optional.empty());
    }

    /** A SKILL.md's YAML front matter: the parsed mapping, or why it could not be read. */
    public record FrontMatter(JsonNode yaml, Optional<String> error, int endLine) {
        public static FrontMatter parse(String text) {
            String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
            String[] lines = PlainText.lines(t);
            if (lines.length == 0 || !lines[0].trim().equals("---")) {
                return failed("no YAML front matter (the file must start with a `---` line)");
            }
            int end = -1;
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].trim().equals("---")) {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                return failed("front matter is not closed by a `---` line");
            }
            String yaml = String.join("\n", java.util.Arrays.asList(lines).subList(1, end));
            try {
                JsonNode node = FrontMatterYaml.read(yaml);
                if (node == null || node.isMissingNode() || node.isNull()) {
                    return new FrontMatter(JsonNodeFactory.instance.objectNode(), Optional.empty(), end + 1);
                }
                if (!node.isObject()) {
                    return failed("front matter is not a YAML mapping");
                }
                return new FrontMatter(node, Optional.empty(), end + 1);
            } catch (IOException | RuntimeException | StackOverflowError e) {
                String msg = String.valueOf(e.getMessage());
                int nl = msg.indexOf('\n');
                return failed("front matter is not valid YAML: " + (nl > 0 ? msg.substring(0, nl) : msg));
            }
        }

        private static FrontMatter failed(String why) {
            return new FrontMatter(JsonNodeFactory.instance.objectNode(), Optional.of(why), 0);
        }
    }

    /** Where the MCP servers were read from: a JSON file and the pointer of the server map in it. */
    public record McpConfig(Optional<JsonFile> json, String pointer, Optional<JsonFile.Failure> failure) {
    }

    /**
     * The MCP configuration Codex uses: the manifest's {@code mcpServers} (an inline object, or a {@code ./path}
     * to a JSON file), else {@code ./.mcp.json}. A file may hold {@code {"mcpServers": {...}}} or the map itself.
     */
    public McpConfig mcpConfig() {
        if (mcp == null) {
            JsonNode declared = field("mcpServers");
            if (declared.isObject()) {
                mcp = new McpConfig(Optional.of(manifestJson), "/mcpServers", Optional.empty());
            } else {
                Optional<JsonFile.Outcome> read = declared.isTextual()
                        ? PluginPaths.resolveInside(root, declared.asText()).flatMap(JsonFile::tryReadIfFile)
                        : readHeld(".mcp.json");
                mcp = read.map(Plugin::mcpFrom)
                        .orElse(new McpConfig(Optional.empty(), "", Optional.empty()));
            }
        }
        return mcp;
    }

    private static McpConfig mcpFrom(JsonFile.Outcome read) {
        // instanceof, not a switch on the type: a fresh JVM spins a class for that switch (ColdPathTest)
        if (read instanceof JsonFile.Parsed p) {
            return new McpConfig(Optional.of(p.file()), p.file().root().path("mcpServers").isObject() ? "/mcpServers" : "", Optional.empty());
        }
        return new McpConfig(Optional.empty(), "", Optional.of(((JsonFile.Failed) read).failure()));
    }

    /** The MCP servers by name (sorted); malformed configurations offer none, malformed servers are skipped. */
    public Map<String, McpServer> mcpServers() {
        if (mcpServers == null) {
            mcpServers = readMcpServers();
        }
        return mcpServers;
    }

    private Map<String, McpServer> readMcpServers() {
        McpConfig config = mcpConfig();
        if (config.json().isEmpty()) {
            return Map.of();
        }
        JsonNode map = config.json().get().root().at(config.pointer());
        if (!map.isObject()) {
            return Map.of();
        }
        Map<String, McpServer> out = new TreeMap<>();
        map.properties().forEach(e -> {
            JsonNode s = e.getValue();
            if (s.isObject()) {
                Map<String, String> env = new TreeMap<>();
                s.path("env").properties().forEach(v -> env.put(v.getKey(), v.getValue().isValueNode() ? v.getValue().asText() : v.getValue().toString()));
                out.put(e.getKey(), new McpServer(e.getKey(), text(s.path("command")), strings(s.path("args")),
                        Collections.unmodifiableMap(env), text(s.path("url"))));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * The hooks, by {@link Hook#key()} (sorted): from {@code hooks/hooks.json} and from the manifest's {@code hooks}
     * (a {@code ./path} to such a file, an array of them, or the configuration inline). Malformed files and
     * entries offer none.
     */
    public List<Hook> hooks() {
        if (hooks == null) {
            Map<String, Hook> out = new TreeMap<>();
            List<JsonNode> configs = new ArrayList<>();
            Set<Path> files = new LinkedHashSet<>();
            held("hooks/hooks.json").ifPresent(def -> files.add(def.normalize()));
            JsonNode declared = field("hooks");
            List<JsonNode> values = declared.isArray() ? toList(declared) : List.of(declared);
            for (JsonNode v : values) {
                if (v.isTextual()) {
                    PluginPaths.resolveInside(root, v.asText()).ifPresent(f -> files.add(f.normalize()));
                } else if (v.isObject()) {
                    configs.add(v);
                }
            }
            for (Path f : files) {
                if (JsonFile.tryReadIfFile(f).orElse(null) instanceof JsonFile.Parsed p) {
                    configs.add(p.file().root());
                }
            }
            for (JsonNode config : configs) {
                // a hooks file is {"hooks": {EVENT: [...]}}; inline in a manifest the {EVENT: [...]} map may stand alone
                JsonNode events = config.path("hooks").isObject() ? config.path("hooks") : config;
                events.properties().forEach(e -> {
                    for (JsonNode entry : e.getValue()) {
                        if (!entry.isObject()) {
                            continue;
                        }
                        String matcher = entry.path("matcher").isTextual() ? entry.path("matcher").asText() : "";
                        List<String> commands = new ArrayList<>();
                        entry.path("hooks").forEach(h -> {
                            if (h.path("command").isTextual()) {
                                commands.add(h.path("command").asText());
                            }
                        });
                        Hook h = new Hook(e.getKey(), matcher, List.of());
                        Hook prev = out.getOrDefault(h.key(), h);
                        List<String> all = new ArrayList<>(prev.commands());
                        commands.stream().filter(c -> !all.contains(c)).forEach(all::add);
                        out.put(h.key(), new Hook(e.getKey(), matcher, List.copyOf(all)));
                    }
                });
            }
            hooks = List.copyOf(out.values());
        }
        return hooks;
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    /**
     * The slash commands, by name (sorted): Markdown files in {@code commands/} and one level of subdirectories,
     * and those the manifest's {@code commands} names (a {@code ./path} to a file or directory, an array of them,
     * or an object of name to {@code {"source": "./path"}}).
     */
    public Map<String, SlashCommand> commands() {
        if (commands == null) {
            Map<String, SlashCommand> out = new TreeMap<>();
            Path def = root.resolve("commands");
            if (Files.isDirectory(def) && PluginPaths.isInside(root, def)) {
                commandsIn(def, "", 1, out);
            }
            JsonNode declared = field("commands");
            if (declared.isObject()) {
                declared.properties().forEach(e -> {
                    JsonNode source = e.getValue().isTextual() ? e.getValue() : e.getValue().path("source");
                    if (source.isTextual()) {
                        PluginPaths.resolveInside(root, source.asText()).filter(Files::isRegularFile)
                                .ifPresent(f -> out.putIfAbsent(e.getKey(), readCommand(e.getKey(), f)));
                    }
                });
            }
            for (String p : pathValues("commands")) {
                PluginPaths.resolveInside(root, p).ifPresent(f -> {
                    if (Files.isDirectory(f)) {
                        commandsIn(f, "", 1, out);
                    } else if (Files.isRegularFile(f) && f.getFileName().toString().endsWith(".md")) {
                        String name = f.getFileName().toString().replaceFirst("\\.md$", "");
                        out.putIfAbsent(name, readCommand(name, f));
                    }
                });
            }
            commands = Collections.unmodifiableMap(out);
        }
        return commands;
    }

    private void commandsIn(Path dir, String prefix, int depth, Map<String, SlashCommand> out) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            int seen = 0;
            for (Path c : children) {
                if (++seen > MAX_SKILL_DIRS) {
                    break;
                }
                String n = c.getFileName().toString();
                if (!PluginPaths.isInside(root, c)) {
                    continue;
                }
                if (Files.isDirectory(c, java.nio.file.LinkOption.NOFOLLOW_LINKS) && depth > 0) {
                    commandsIn(c, prefix + n + ":", depth - 1, out);
                } else if (n.endsWith(".md") && Files.isRegularFile(c)) {
                    String name = prefix + n.substring(0, n.length() - 3);
                    out.putIfAbsent(name, readCommand(name, c));
                }
            }
        } catch (IOException e) {
            // an unreadable commands directory offers no commands
        }
    }

    private static SlashCommand readCommand(String name, Path file) {
        try {
            String text = JsonFile.readText(file, MAX_SKILL_BYTES);
            FrontMatter fm = FrontMatter.parse(text);
            return new SlashCommand(name, file, fm.error().isPresent() ? Optional.empty() : text(fm.yaml().path("description")));
        } catch (UserError e) {
            return new SlashCommand(name, file, Optional.empty());
        }
    }

    /** The apps file: the manifest's {@code apps} path, else {@code ./.app.json}, when it exists inside the root. */
    public Optional<Path> appsFile() {
        if (appsFile == null) { // looked for once: the run surface asks, then apps() asks again
            JsonNode declared = field("apps");
            Optional<Path> file = declared.isTextual()
                    ? PluginPaths.resolveInside(root, declared.asText())
                    : held(".app.json");
            appsFile = file.filter(Files::isRegularFile);
        }
        return appsFile;
    }

    /** App connectors by key (sorted), from {@code {"apps": {key: {"id": ...}}}}; malformed files offer none. */
    public Map<String, App> apps() {
        if (apps == null) {
            Map<String, App> out = new TreeMap<>();
            appsFile().ifPresent(f -> {
                if (JsonFile.tryRead(f) instanceof JsonFile.Parsed p) {
                    p.file().root().path("apps").properties().forEach(e ->
                            out.put(e.getKey(), new App(e.getKey(), text(e.getValue().path("id")))));
                }
            });
            apps = Collections.unmodifiableMap(out);
        }
        return apps;
    }

    @Override
    public String toString() {
        return "Plugin[" + effectiveName() + " at " + root + "]";
    }
}
