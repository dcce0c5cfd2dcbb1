package dev.cxpm.core.format;

import static dev.cxpm.core.format.OptionalFields.strings;
import static dev.cxpm.core.format.OptionalFields.stringMap;
import static dev.cxpm.core.format.OptionalFields.text;

import dev.cxpm.core.PlainText;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.parts.App;
import dev.cxpm.core.format.parts.Hook;
import dev.cxpm.core.format.parts.McpServer;
import dev.cxpm.core.format.parts.PluginInterface;
import dev.cxpm.core.format.parts.Prerequisites;
import dev.cxpm.core.format.parts.Skill;
import dev.cxpm.core.format.parts.SlashCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A plugin directory read leniently, the way the real Codex CLI installs it: the manifest is found per
 * {@link ManifestLocation}, unknown fields are ignored, optional fields of the wrong type are treated as
 * absent, components ({@code skills/}, {@code .mcp.json}, {@code .app.json}, Claude Code's hooks and
 * commands) are read without failing on malformed content. Whether Codex would <em>reject</em> the plugin is the validator's business; this class
 * only says what a plugin offers.
 *
 * <p>Reading is bounded: only the manifest, the named component files and one level of skill directories are
 * looked at (never a recursive walk), at most {@value MarkdownComponents#MAX_SKILL_DIRS} entries per skills directory,
 * files are size-capped and paths that leave the plugin root through {@code ..} or symlinks are not followed.
 *
 * <p>This class holds the manifest's own fields; the components are read by {@link MarkdownComponents} (skills,
 * slash commands) and {@link JsonComponents} (MCP servers, hooks, apps), each once per plugin.
 */
public final class Plugin {
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
    Optional<Path> held(String rel) {
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
    Optional<JsonFile.Outcome> readHeld(String rel) {
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

    JsonNode field(String name) {
        return manifestJson.root().path(name);
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
        return MarkdownComponents.skillRoots(this);
    }

    /** Every skill: a directory with a {@code SKILL.md}, either a skills root itself or one level below it. */
    public List<Skill> skills() {
        if (skills == null) {
            skills = MarkdownComponents.skills(this);
        }
        return skills;
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
            mcp = JsonComponents.mcpConfig(this);
        }
        return mcp;
    }

    /** The MCP servers by name (sorted); malformed configurations offer none, malformed servers are skipped. */
    public Map<String, McpServer> mcpServers() {
        if (mcpServers == null) {
            mcpServers = JsonComponents.mcpServers(this);
        }
        return mcpServers;
    }

    /**
     * The hooks, by {@link Hook#key()} (sorted): from {@code hooks/hooks.json} and from the manifest's {@code hooks}
     * (a {@code ./path} to such a file, an array of them, or the configuration inline). Malformed files and
     * entries offer none.
     */
    public List<Hook> hooks() {
        if (hooks == null) {
            hooks = JsonComponents.hooks(this);
        }
        return hooks;
    }

    /**
     * The slash commands, by name (sorted): Markdown files in {@code commands/} and one level of subdirectories,
     * and those the manifest's {@code commands} names (a {@code ./path} to a file or directory, an array of them,
     * or an object of name to {@code {"source": "./path"}}).
     */
    public Map<String, SlashCommand> commands() {
        if (commands == null) {
            commands = MarkdownComponents.commands(this);
        }
        return commands;
    }

    /** The apps file: the manifest's {@code apps} path, else {@code ./.app.json}, when it exists inside the root. */
    public Optional<Path> appsFile() {
        if (appsFile == null) { // looked for once: the run surface asks, then apps() asks again
            appsFile = JsonComponents.appsFile(this);
        }
        return appsFile;
    }

    /** App connectors by key (sorted), from {@code {"apps": {key: {"id": ...}}}}; malformed files offer none. */
    public Map<String, App> apps() {
        if (apps == null) {
            apps = JsonComponents.apps(this);
        }
        return apps;
    }

    @Override
    public String toString() {
        return "Plugin[" + effectiveName() + " at " + root + "]";
    }
}
