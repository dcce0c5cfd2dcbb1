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
 * whole-file error, as {@code codex plugin marketplace add} does. Each entry is read by {@link MarketplaceEntries}.
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
    /**
     * Not the parsed file ({@link JsonFile}: its text and tree, several times the manifest's size), which a marketplace
     * of 100,000 entries would keep for every holder (a search, a sync's index) though no caller reads it after
     * {@link #read}: only what they ask for.
     */
    private final Path manifestFile;
    private final Optional<String> displayName;
    private final String name;
    private final List<MarketplaceEntry> plugins;
    private final List<Finding> fileErrors;
    private final List<Finding> skipped;

    private Marketplace(Path root, JsonFile json, String name, List<MarketplaceEntry> plugins,
            List<Finding> fileErrors, List<Finding> skipped) {
        this.root = root;
        this.manifestFile = json.path();
        this.displayName = text(json.root().path("interface").path("displayName"));
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
                MarketplaceEntries.read(json, i, errors, skipped, seen).ifPresent(entries::add);
            }
        }
        return new Marketplace(marketplaceRoot, json, name, List.copyOf(entries), List.copyOf(errors), List.copyOf(skipped));
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
        return manifestFile;
    }

    /** The marketplace name ({@code ""} when the manifest has none, which is a whole-file error). */
    public String name() {
        return name;
    }

    public Optional<String> displayName() {
        return displayName;
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
