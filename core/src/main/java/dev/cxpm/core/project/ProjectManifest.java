package dev.cxpm.core.project;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.format.CodexNames;
import dev.cxpm.core.resolve.MinReleaseAge;
import dev.cxpm.core.resolve.VersionRange;
import dev.cxpm.core.toml.TomlSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code cxpm.toml}, the project's committed list of marketplaces and plugins:
 * <pre>
 * min-release-age = "3d"                                 # optional: skip versions published less than 3 days ago
 *
 * [marketplaces]
 * team = "https://github.com/acme/codex-plugins.git"      # or { source = "...", ref = "v2" }
 *
 * [plugins]
 * github = "^1.2"
 * linter = { version = "~2.0", marketplace = "team", enabled = false }
 * </pre>
 * Read once into valid types; every problem in the file is reported together, each with its line.
 */
public final class ProjectManifest {

    public static final String FILE_NAME = "cxpm.toml";


    private static final Set<String> TOP_LEVEL = Set.of("min-release-age", "marketplaces", "plugins");
    private static final Set<String> PLUGIN_FIELDS = Set.of("version", "marketplace", "enabled");
    private static final Set<String> MARKETPLACE_FIELDS = Set.of("source", "ref");

    private final Path file;
    private final String text;
    private final SortedMap<String, MarketplaceDecl> marketplaces;
    private final SortedMap<String, PluginRequirement> plugins;
    private final Optional<MinReleaseAge> minReleaseAge;

    private ProjectManifest(Path file, String text, SortedMap<String, MarketplaceDecl> marketplaces,
            SortedMap<String, PluginRequirement> plugins, Optional<MinReleaseAge> minReleaseAge) {
        this.minReleaseAge = minReleaseAge;
        this.file = file;
        this.text = text;
        this.marketplaces = Collections.unmodifiableSortedMap(marketplaces);
        this.plugins = Collections.unmodifiableSortedMap(plugins);
    }

    /**
     * The project directory for a working directory: the nearest one, upwards, holding cxpm.toml
     * (as cargo and npm find theirs); NOT_FOUND when there is none.
     */
    public static Path findProjectDir(Path cwd) {
        Optional<Path> dir = projectDir(cwd);
        if (dir.isPresent()) {
            return dir.get();
        }
        throw new UserError(UserError.Kind.NOT_FOUND, "no " + FILE_NAME + " in " + cwd + " or any parent directory",
                "run cxpm in your project, or start one with `cxpm add PLUGIN`");
    }

    /**
     * The nearest directory from cwd up that holds {@code cxpm.toml}, or empty: for commands that work outside a project
     * too (a cold {@code install} in CI), which paid an exception's stack trace for the common answer.
     */
    public static Optional<Path> projectDir(Path cwd) {
        for (Path d = cwd.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            // any file of the name, not only a regular one: a pipe there is this project's, refused when read, and no
            // parent's cxpm.toml is taken for it
            if (java.nio.file.Files.exists(d.resolve(FILE_NAME))) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Reads {@code cxpm.toml} in this directory; NOT_FOUND when there is none. */
    public static ProjectManifest read(Path projectDir) {
        Path file = projectDir.resolve(FILE_NAME);
        return from(TomlSource.read(file, "fix it, or delete it and run `cxpm add PLUGIN` in the project's root directory to write a new one"));
    }

    public static ProjectManifest parse(Path file, String text) {
        return from(TomlSource.parse(file, text, null));
    }

    /**
     * The most problems a refusal lists; what follows them is not checked. A cxpm.toml of 15 MiB of bad keys listed
     * 931,751 (21 s and 1.1 GB in a JVM of its own).
     */
    static final int MAX_PROBLEMS = 100;

    static ProjectManifest from(TomlSource toml) {
        List<String> problems = new ArrayList<>();
        SortedMap<String, MarketplaceDecl> marketplaces = new TreeMap<>();
        SortedMap<String, PluginRequirement> plugins = new TreeMap<>();
        JsonNode root = toml.root();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TOP_LEVEL.contains(key)) {
                problems.add(toml.where(key) + ": unknown key `" + key + "` (cxpm.toml has min-release-age, [marketplaces] and [plugins])");
            }
        }
        Optional<MinReleaseAge> minReleaseAge = minReleaseAge(toml, problems);
        JsonNode mks = root.path("marketplaces");
        if (!mks.isMissingNode() && !mks.isObject()) {
            problems.add(toml.where("marketplaces") + ": `marketplaces` must be a table");
        }
        for (var e : iterable(mks)) {
            if (problems.size() >= MAX_PROBLEMS) {
                break;
            }
            String name = e.getKey();
            JsonNode v = e.getValue();
            // where a problem is told: its line is found only then (ManifestLine)
            if (!CodexNames.isMarketplaceName(name)) {
                problems.add(toml.where("marketplaces", name) + ": " + MarketplaceName.problem(name).orElseThrow());
                continue;
            }
            if (v.isTextual()) {
                marketplaces.put(name, new MarketplaceDecl(name, v.asText(), Optional.empty(), new ManifestLine(toml, "marketplaces", name)));
                continue;
            }
            if (!v.isObject()) {
                problems.add(toml.where("marketplaces", name) + ": marketplace `" + name + "` must be a source string or a table with `source`");
                continue;
            }
            unknownFields(toml, v, MARKETPLACE_FIELDS, problems, "marketplaces", name);
            Optional<String> source = text(toml, v, "source", problems, "marketplaces", name);
            Optional<String> ref = text(toml, v, "ref", problems, "marketplaces", name);
            if (source.isEmpty()) {
                if (!v.has("source")) {
                    problems.add(toml.where("marketplaces", name) + ": marketplace `" + name + "` has no `source`");
                }
                continue;
            }
            marketplaces.put(name, new MarketplaceDecl(name, source.get(), ref, new ManifestLine(toml, "marketplaces", name)));
        }
        JsonNode pls = root.path("plugins");
        if (!pls.isMissingNode() && !pls.isObject()) {
            problems.add(toml.where("plugins") + ": `plugins` must be a table");
        }
        for (var e : iterable(pls)) {
            if (problems.size() >= MAX_PROBLEMS) {
                break;
            }
            String name = e.getKey();
            JsonNode v = e.getValue();
            ManifestLine line = new ManifestLine(toml, "plugins", name);
            if (!CodexNames.isPluginName(name)) {
                problems.add(toml.where("plugins", name) + ": " + PluginName.problem(name).orElseThrow());
                continue;
            }
            if (v.isTextual()) {
                // a plain if, not Optional.ifPresent: a lambda is linked at its first run, 4-5 ms of a cold JVM's main thread
                Optional<VersionRange> r = range(toml, name, v.asText(), problems);
                if (r.isPresent()) {
                    plugins.put(name, new PluginRequirement(name, r.get(), Optional.empty(), true, line));
                }
                continue;
            }
            if (!v.isObject()) {
                problems.add(toml.where("plugins", name) + ": plugin `" + name + "` must be a version range string or a table with `version`");
                continue;
            }
            unknownFields(toml, v, PLUGIN_FIELDS, problems, "plugins", name);
            Optional<String> version = text(toml, v, "version", problems, "plugins", name);
            Optional<String> marketplace = text(toml, v, "marketplace", problems, "plugins", name);
            boolean enabled = true;
            if (v.has("enabled")) {
                if (v.get("enabled").isBoolean()) {
                    enabled = v.get("enabled").asBoolean();
                } else {
                    problems.add(toml.where("plugins", name, "enabled") + ": `enabled` of plugin `" + name + "` must be true or false");
                }
            }
            if (marketplace.isPresent() && !CodexNames.isMarketplaceName(marketplace.get())) {
                problems.add(toml.where("plugins", name) + ": plugin `" + name + "`: " + MarketplaceName.problem(marketplace.get()).orElseThrow());
                continue;
            }
            Optional<VersionRange> range = version.isPresent() ? range(toml, name, version.get(), problems)
                    : v.has("version") ? Optional.empty() : Optional.of(VersionRange.ANY);
            if (range.isPresent()) {
                plugins.put(name, new PluginRequirement(name, range.get(), marketplace, enabled, line));
            }
        }
        if (!problems.isEmpty()) {
            boolean more = problems.size() >= MAX_PROBLEMS;
            List<String> listed = more ? problems.subList(0, MAX_PROBLEMS) : problems;
            throw new UserError(UserError.Kind.INVALID_INPUT,
                    toml.path() + " has " + (more ? "at least " + MAX_PROBLEMS + " problems (the first listed)"
                            : problems.size() + (problems.size() == 1 ? " problem" : " problems")) + ":\n  "
                            + String.join("\n  ", listed),
                    "fix the lines named above; ranges are npm-style: ^1.2, ~1.2.3, 1.x, >=1 <2, 1.2.3 or *"
                            + (minReleaseAge.isEmpty() && toml.root().has(MIN_RELEASE_AGE) ? "; min-release-age: " + MinReleaseAge.HINT : ""));
        }
        return new ProjectManifest(toml.path(), toml.text(), marketplaces, plugins, minReleaseAge);
    }

    private static final String MIN_RELEASE_AGE = "min-release-age";

    /** {@code min-release-age = "3d"}, or a problem naming its line. */
    public static Optional<MinReleaseAge> minReleaseAge(TomlSource toml, List<String> problems) {
        JsonNode v = toml.root().path(MIN_RELEASE_AGE);
        if (v.isMissingNode()) {
            return Optional.empty();
        }
        String where = toml.where(MIN_RELEASE_AGE);
        Optional<MinReleaseAge> age = v.isTextual() ? MinReleaseAge.parse(v.asText(), where) : Optional.empty();
        if (age.isEmpty()) {
            problems.add(where + ": " + (v.isTextual() ? MinReleaseAge.problem(v.asText())
                    : "`min-release-age` must be a string such as \"3d\""));
        }
        return age;
    }

    private static Optional<VersionRange> range(TomlSource toml, String plugin, String text, List<String> problems) {
        Optional<VersionRange> r = VersionRange.parse(text);
        if (r.isEmpty()) {
            problems.add(toml.where("plugins", plugin) + ": " + VersionRange.quoted(text) + " is not a version range (plugin `" + plugin + "`): "
                    + VersionRange.problem(text).orElse("") + "; write one such as \"^1.2\"");
        }
        return r;
    }

    private static Optional<String> text(TomlSource toml, JsonNode table, String field, List<String> problems, String... at) {
        JsonNode v = table.get(field);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            String[] path = java.util.Arrays.copyOf(at, at.length + 1);
            path[at.length] = field;
            problems.add(toml.where(path) + ": `" + field + "` of `" + at[at.length - 1] + "` must be a string");
            return Optional.empty();
        }
        return Optional.of(v.asText());
    }

    private static void unknownFields(TomlSource toml, JsonNode table, Set<String> known, List<String> problems, String... at) {
        for (Iterator<String> it = table.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                String[] path = java.util.Arrays.copyOf(at, at.length + 1);
                path[at.length] = f;
                problems.add(toml.where(path) + ": unknown field `" + f + "` in `" + at[at.length - 1]
                        + "` (known: " + String.join(", ", sorted(known)) + ")");
            }
        }
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node.isObject() ? node::fields : List.of();
    }

    public Path file() {
        return file;
    }

    /** The file's text as read, for surgical edits by {@link ProjectManifestEditor}. */
    public String text() {
        return text;
    }

    public SortedMap<String, MarketplaceDecl> marketplaces() {
        return marketplaces;
    }

    public SortedMap<String, PluginRequirement> plugins() {
        return plugins;
    }

    /** {@code min-release-age}, when the project sets one. */
    public Optional<MinReleaseAge> minReleaseAge() {
        return minReleaseAge;
    }

    /** Plugin name to range, the resolver's input. */
    public Map<String, VersionRange> ranges() {
        Map<String, VersionRange> m = new TreeMap<>();
        plugins.forEach((k, v) -> m.put(k, v.range()));
        return m;
    }
}
