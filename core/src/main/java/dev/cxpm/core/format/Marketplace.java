package dev.cxpm.core.format;

import static dev.cxpm.core.format.OptionalFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.FileText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.json.JsonFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A marketplace manifest read as the real Codex CLI reads it (SPEC.md §3). Codex rejects a whole file for
 * some problems (bad JSON, missing {@code name}, a missing entry {@code source}, an unknown install policy,
 * an invalid or reserved name…) and only skips the entry for others (a local path without {@code ./}, an
 * unknown source type, an invalid plugin name, a duplicate). {@link #read} keeps both kinds as
 * {@link Finding}s so validation can report all of them at once; {@link #load} throws on the first
 * whole-file error, as {@code codex plugin marketplace add} does.
 */
public final class Marketplace {
    /** First existing wins (SPEC.md §3); a root {@code marketplace.json} is not read. */
    public static final List<String> MANIFEST_PATHS = List.of(
            ".agents/plugins/marketplace.json",
            ".agents/plugins/api_marketplace.json",
            ".claude-plugin/marketplace.json",
            ".cursor-plugin/marketplace.json");
    static final Set<String> RESERVED_NAMES = Set.of("openai-curated");

    private final Path root;
    private final JsonFile json;
    private final String name;
    private final List<MarketplaceEntry> plugins;
    private final List<Finding> fileErrors;
    private final List<Finding> skipped;

    private Marketplace(Path root, JsonFile json, String name, List<MarketplaceEntry> plugins,
            List<Finding> fileErrors, List<Finding> skipped) {
        this.root = root;
        this.json = json;
        this.name = name;
        this.plugins = plugins;
        this.fileErrors = fileErrors;
        this.skipped = skipped;
    }

    public static Optional<Path> findManifest(Path marketplaceRoot) {
        for (String p : MANIFEST_PATHS) {
            Path f = marketplaceRoot.resolve(p);
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * Why a root has no manifest, for the error: naming a manifest path that is there but not a regular file (a named
     * pipe, a directory), which {@link #findManifest} passes over as Codex does, so that its user learns what to fix.
     */
    public static String noManifest(Path marketplaceRoot) {
        String none = "marketplace root does not contain a supported manifest";
        for (String p : MANIFEST_PATHS) {
            Path f = marketplaceRoot.resolve(p);
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class); // following links, as findManifest
                if (!a.isRegularFile()) {
                    return none + " (" + f + " is " + FileText.what(a) + ", not a regular file)";
                }
            } catch (IOException absent) {
                // not there (or a link to nothing): the next path
            }
        }
        return none;
    }

    /** The marketplace root a manifest file belongs to (two levels up: {@code <root>/.agents/plugins/x.json} is three). */
    public static Path rootOf(Path manifestFile) {
        Path abs = manifestFile.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir.getFileName() != null && dir.getFileName().toString().equals("plugins")
                && dir.getParent() != null && dir.getParent().getFileName() != null
                && dir.getParent().getFileName().toString().equals(".agents")) {
            return dir.getParent().getParent();
        }
        return dir.getParent();
    }

    /** Loads as {@code codex plugin marketplace add} does: INVALID_INPUT on any whole-file error. */
    public static Marketplace load(Path marketplaceRoot) {
        Path root = marketplaceRoot.toAbsolutePath().normalize();
        Path file = findManifest(root).orElseThrow(() -> new UserError(UserError.Kind.INVALID_INPUT,
                "invalid marketplace file `" + root + "`: " + noManifest(root),
                "create .agents/plugins/marketplace.json"));
        Marketplace m = read(root, JsonFile.read(file));
        if (!m.fileErrors.isEmpty()) {
            Finding f = m.fileErrors.getFirst();
            throw new UserError(UserError.Kind.INVALID_INPUT, "invalid marketplace file `" + file + "`: " + f.message()
                    + (f.line() > 0 ? " at line " + f.line() : ""), f.hint());
        }
        return m;
    }

    /** Reads a parsed manifest without throwing: whole-file errors and skipped entries are collected. */
    public static Marketplace read(Path marketplaceRoot, JsonFile json) {
        Path file = json.path();
        List<Finding> errors = new ArrayList<>();
        List<Finding> skipped = new ArrayList<>();
        List<MarketplaceEntry> entries = new ArrayList<>();
        JsonNode root = json.root();
        String name = "";
        if (!root.isObject()) {
            errors.add(new Finding("marketplace.not-object", file, 1,
                    "invalid type: " + typeName(root) + ", expected a JSON object", "the manifest must be a JSON object"));
            return new Marketplace(marketplaceRoot, json, name, List.of(), List.copyOf(errors), List.of());
        }
        JsonNode n = root.path("name");
        if (n.isMissingNode() || n.isNull()) {
            errors.add(new Finding("marketplace.name-missing", file, 1, "missing field `name`",
                    "add a \"name\" made of ASCII letters, digits, `_` and `-`"));
        } else if (!n.isTextual()) {
            errors.add(new Finding("marketplace.name-type", file, json.lineOf("/name"),
                    "invalid type: " + typeName(n) + ", expected a string for `name`", null));
        } else {
            name = n.asText();
            if (!CodexNames.isMarketplaceName(name)) {
                errors.add(new Finding("marketplace.name-invalid", file, json.lineOf("/name"),
                        "invalid marketplace name: only ASCII letters, digits, `_`, and `-` are allowed",
                        "rename it, e.g. \"" + CodexNames.asMarketplaceName(name) + "\""));
            } else if (RESERVED_NAMES.contains(name)) {
                errors.add(new Finding("marketplace.name-reserved", file, json.lineOf("/name"),
                        "marketplace `" + name + "` is reserved and cannot be added from this source", "choose another name"));
            }
        }
        JsonNode list = root.path("plugins");
        if (list.isMissingNode() || list.isNull()) {
            errors.add(new Finding("marketplace.plugins-missing", file, 1, "missing field `plugins`",
                    "add \"plugins\": [ ... ]"));
        } else if (!list.isArray()) {
            errors.add(new Finding("marketplace.plugins-type", file, json.lineOf("/plugins"),
                    "invalid type: " + typeName(list) + ", expected a sequence for `plugins`", null));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                readEntry(json, i, errors, skipped, seen).ifPresent(entries::add);
            }
        }
        return new Marketplace(marketplaceRoot, json, name, List.copyOf(entries), List.copyOf(errors), List.copyOf(skipped));
    }

    private static Optional<MarketplaceEntry> readEntry(JsonFile json, int i, List<Finding> errors, List<Finding> skipped,
            Set<String> seen) {
        Path file = json.path();
        String at = "/plugins/" + i;
        JsonNode e = json.root().path("plugins").path(i);
        int line = json.lineOf(at);
        if (!e.isObject()) {
            errors.add(new Finding("marketplace.entry-type", file, line,
                    "plugins[" + i + "]: invalid type: " + typeName(e) + ", expected a plugin entry object", null));
            return Optional.empty();
        }
        JsonNode nameNode = e.path("name");
        if (!nameNode.isTextual()) {
            errors.add(new Finding("marketplace.entry-name-missing", file, line,
                    "plugins[" + i + "]: " + (nameNode.isMissingNode() ? "missing field `name`" : "`name` must be a string"), null));
            return Optional.empty();
        }
        String name = nameNode.asText();
        JsonNode src = e.path("source");
        if (src.isMissingNode() || src.isNull()) {
            errors.add(new Finding("marketplace.source-missing", file, line,
                    "plugins[" + i + "] (`" + name + "`): missing field `source`",
                    "add \"source\": \"./plugins/" + name + "\""));
            return Optional.empty();
        }
        InstallPolicy install = InstallPolicy.AVAILABLE;
        AuthPolicy auth = AuthPolicy.ON_INSTALL;
        JsonNode policy = e.path("policy");
        JsonNode inst = policy.path("installation");
        boolean fileError = false;
        if (inst.isTextual()) {
            try {
                install = InstallPolicy.valueOf(inst.asText());
            } catch (IllegalArgumentException x) {
                errors.add(new Finding("marketplace.policy-invalid", file, json.lineOf(at + "/policy/installation"),
                        "unknown variant `" + inst.asText() + "`, expected one of `NOT_AVAILABLE`, `AVAILABLE`, `INSTALLED_BY_DEFAULT`",
                        null));
                fileError = true;
            }
        } else if (!inst.isMissingNode() && !inst.isNull()) {
            errors.add(new Finding("marketplace.policy-invalid", file, json.lineOf(at + "/policy/installation"),
                    "policy.installation must be a string", null));
            fileError = true;
        }
        JsonNode authNode = policy.path("authentication");
        if (authNode.isTextual()) {
            try {
                auth = AuthPolicy.valueOf(authNode.asText());
            } catch (IllegalArgumentException x) {
                errors.add(new Finding("marketplace.policy-invalid", file, json.lineOf(at + "/policy/authentication"),
                        "unknown variant `" + authNode.asText() + "`, expected `ON_INSTALL` or `ON_USE`", null));
                fileError = true;
            }
        }
        if (fileError) {
            return Optional.empty();
        }
        if (!CodexNames.isPluginName(name)) {
            skipped.add(new Finding("marketplace.entry-name-invalid", file, json.lineOf(at + "/name"),
                    "plugin `" + name + "` is skipped: " + CodexNames.pluginNameProblem(name).orElseThrow(),
                    "rename the plugin: ASCII letters, digits, `_` and `-`, in segments separated by single dots"));
            return Optional.empty();
        }
        Optional<PluginSource> source = readSource(json, at + "/source", name, skipped);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        if (!seen.add(name)) {
            skipped.add(new Finding("marketplace.entry-duplicate", file, line,
                    "plugin `" + name + "` is listed again; Codex uses the first entry and ignores this one",
                    "remove the duplicate entry"));
            return Optional.empty();
        }
        return Optional.of(new MarketplaceEntry(name, source.get(), install, auth, text(e.path("category")),
                text(e.path("description")), text(e.path("version")), e));
    }

    private static Optional<PluginSource> readSource(JsonFile json, String at, String name, List<Finding> skipped) {
        Path file = json.path();
        JsonNode src = json.root().at(at);
        int line = json.lineOf(at);
        if (src.isTextual()) {
            return localPath(src.asText(), name, file, line, skipped).map(PluginSource.Local::new);
        }
        if (!src.isObject()) {
            skipped.add(new Finding("marketplace.source-invalid", file, line,
                    "plugin `" + name + "` is skipped: source must be a string or an object", null));
            return Optional.empty();
        }
        String type = src.path("source").asText("");
        Optional<String> ref = text(src.path("ref"));
        switch (type) {
            case "local" -> {
                JsonNode p = src.path("path");
                if (!p.isTextual()) {
                    skipped.add(new Finding("marketplace.source-invalid", file, line,
                            "plugin `" + name + "` is skipped: local source without a \"path\"", null));
                    return Optional.empty();
                }
                return localPath(p.asText(), name, file, json.lineOf(at + "/path"), skipped).map(PluginSource.Local::new);
            }
            case "url" -> {
                Optional<String> url = text(src.path("url"));
                if (url.isEmpty()) {
                    skipped.add(new Finding("marketplace.source-invalid", file, line,
                            "plugin `" + name + "` is skipped: url source without a \"url\"", null));
                    return Optional.empty();
                }
                return Optional.of(new PluginSource.Git(url.get(), ref));
            }
            case "git-subdir" -> {
                Optional<String> url = text(src.path("url"));
                Optional<String> path = text(src.path("path"));
                if (url.isEmpty() || path.isEmpty()) {
                    skipped.add(new Finding("marketplace.source-invalid", file, line,
                            "plugin `" + name + "` is skipped: git-subdir source needs \"url\" and \"path\"", null));
                    return Optional.empty();
                }
                return Optional.of(new PluginSource.GitSubdir(url.get(), path.get(), ref));
            }
            case "npm" -> {
                Optional<String> pkg = text(src.path("package"));
                if (pkg.isEmpty()) {
                    skipped.add(new Finding("marketplace.source-invalid", file, line,
                            "plugin `" + name + "` is skipped: npm source without a \"package\"", null));
                    return Optional.empty();
                }
                return Optional.of(new PluginSource.Npm(pkg.get(), text(src.path("version")), text(src.path("registry"))));
            }
            default -> {
                skipped.add(new Finding("marketplace.source-unknown", file, json.lineOf(at + "/source") > 0 ? json.lineOf(at + "/source") : line,
                        "plugin `" + name + "` is skipped: unknown source type `" + type + "`",
                        "use one of: local, url, git-subdir, npm"));
                return Optional.empty();
            }
        }
    }

    private static Optional<String> localPath(String path, String name, Path file, int line, List<Finding> skipped) {
        if (path.startsWith("/") || driveLetter(path)) {
            skipped.add(new Finding("marketplace.source-path", file, line,
                    "plugin `" + name + "` is skipped: local plugin source path must stay within the marketplace root",
                    "use a relative path such as \"./plugins/" + name + "\""));
            return Optional.empty();
        }
        if (!path.startsWith("./")) {
            skipped.add(new Finding("marketplace.source-path", file, line,
                    "plugin `" + name + "` is skipped: local plugin source path must start with `./`",
                    "write \"./" + path + "\""));
            return Optional.empty();
        }
        if (PluginPaths.hasParentPart(path)) {
            skipped.add(new Finding("marketplace.source-path", file, line,
                    "plugin `" + name + "` is skipped: local plugin source path must stay within the marketplace root",
                    "move the plugin under the marketplace directory"));
            return Optional.empty();
        }
        return Optional.of(path);
    }

    /** C:\ or C:/ at the start (what matches("^[A-Za-z]:[\\/].*") said, without compiling it for each entry). */
    private static boolean driveLetter(String path) {
        if (path.length() < 3 || path.charAt(1) != ':' || path.charAt(2) != '/' && path.charAt(2) != '\\') {
            return false;
        }
        char c = path.charAt(0);
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    static String typeName(JsonNode n) {
        if (n.isObject()) {
            return "map";
        }
        if (n.isArray()) {
            return "sequence";
        }
        if (n.isTextual()) {
            return "string";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isIntegralNumber()) {
            return "integer";
        }
        if (n.isNumber()) {
            return "floating point";
        }
        if (n.isMissingNode()) {
            return "missing";
        }
        return "null";
    }

    public Path root() {
        return root;
    }

    public Path manifestFile() {
        return json.path();
    }

    public JsonFile json() {
        return json;
    }

    /** The marketplace name ({@code ""} when the manifest has none, which is a whole-file error). */
    public String name() {
        return name;
    }

    public Optional<String> displayName() {
        return text(json.root().path("interface").path("displayName"));
    }

    /** Valid entries only, first of duplicates wins (Codex behaviour). */
    public List<MarketplaceEntry> plugins() {
        return plugins;
    }

    /** The first entry with this name, as Codex takes it; looked up, not scanned, as sync asks once per plugin. */
    public Optional<MarketplaceEntry> plugin(String pluginName) {
        Map<String, MarketplaceEntry> index = byName;
        if (index == null) {
            index = new HashMap<>();
            for (MarketplaceEntry p : plugins) {
                index.putIfAbsent(p.name(), p);
            }
            byName = index;
        }
        return Optional.ofNullable(index.get(pluginName));
    }

    private volatile Map<String, MarketplaceEntry> byName;

    /** Why Codex would reject the whole file; empty when it accepts it. */
    public List<Finding> fileErrors() {
        return fileErrors;
    }

    /** Entries Codex skips, with file, line and code. */
    public List<Finding> skipped() {
        return skipped;
    }

    /** Human messages for entries Codex would skip. */
    public List<String> skippedEntries() {
        return skipped.stream().map(Finding::message).toList();
    }

    /** The plugin directory a local entry points to (not checked for existence). */
    public Path localPluginDir(PluginSource.Local source) {
        return root.resolve(source.path().substring(2)).normalize();
    }
}
