package dev.cxpm.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.toml.TomlSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One policy file (organisation, user or project), read once into rules that cannot be invalid. Every problem
 * in the file is reported together with its line and a hint; a key cxpm does not know is a problem too, because
 * a misspelt deny rule that was skipped would silently allow what it meant to deny.
 *
 * <pre>
 * min-release-age = "3d"
 * [marketplaces]            # allow-git, allow-hosts, allow-local, allow-registries, and deny-* of each
 * allow-hosts = ["*.example.test"]
 * [plugins]
 * deny = ["evil-*", "*@untrusted"]
 * min-versions = { github = "1.2.0" }
 * [mcp]
 * allow-commands = ["node", "python3"]
 * deny-unpinned = true      # npx / bunx / uvx / pipx run of a package without an exact version
 * allow-hosts = ["mcp.example.test"]
 * https-only = true
 * [hooks]
 * allow = false
 * </pre>
 */
public record PolicyFile(Level level, String label, Optional<Rule<Duration>> minReleaseAge, Map<SourceKind, AllowDeny> marketplaces,
        AllowDeny plugins, Map<String, Rule<PluginVersion>> minVersions, AllowDeny mcpCommands, Optional<Rule<Boolean>> denyUnpinned,
        AllowDeny mcpHosts, Optional<Rule<Boolean>> httpsOnly, Optional<Rule<Boolean>> hooks) {

    /** The three levels, strictest authority first: a lower level can only add restrictions. */
    public enum Level { ORGANISATION, USER, PROJECT;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What a marketplace rule matches: the git URL, the host of a git or registry URL, a local path, a registry URL. */
    public enum SourceKind {
        GIT("git", false), HOSTS("hosts", true), LOCAL("local", false), REGISTRIES("registries", false);

        final String word;
        final boolean ignoreCase;

        SourceKind(String word, boolean ignoreCase) {
            this.word = word;
            this.ignoreCase = ignoreCase;
        }

        public String allowKey() {
            return "marketplaces.allow-" + word;
        }

        public String denyKey() {
            return "marketplaces.deny-" + word;
        }
    }

    /**
     * An allow list and a deny list. allowDeclared: where the allow list was written, when it was; a declared allow
     * list, even an empty one, admits only what it names.
     */
    public record AllowDeny(Optional<Where> allowDeclared, List<Rule<Glob>> allow, List<Rule<Glob>> deny) {
        static final AllowDeny NONE = new AllowDeny(Optional.empty(), List.of(), List.of());

        public boolean restricts() {
            return allowDeclared.isPresent();
        }
    }

    private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhdw])");
    private static final Set<String> TOP = Set.of("min-release-age", "marketplaces", "plugins", "mcp", "hooks");
    private static final Set<String> PLUGINS = Set.of("allow", "deny", "min-versions");
    private static final Set<String> MCP = Set.of("allow-commands", "deny-unpinned", "allow-hosts", "deny-hosts", "https-only");
    private static final Set<String> HOOKS = Set.of("allow");
    private static final Pattern PLUGIN_PATTERN = Pattern.compile("[A-Za-z0-9_.*-]+(@[A-Za-z0-9_*-]+)?");

    /** Reads a policy file on disk; relative local paths in it are relative to its directory. */
    public static PolicyFile read(Level level, Path file) {
        TomlSource toml = TomlSource.read(file, "fix the policy file (cxpm refuses to install anything until it is readable)");
        return parse(level, file.toString(), Optional.of(file.toAbsolutePath().getParent()), toml);
    }

    /** Parses policy text that came from label (a URL): local paths in it must be absolute. */
    public static PolicyFile parse(Level level, String label, String text) {
        return parse(level, label, Optional.empty(), TomlSource.parse(Path.of("policy.toml"), text, "fix the policy at " + label));
    }

    private static PolicyFile parse(Level level, String label, Optional<Path> dir, TomlSource toml) {
        Reader r = new Reader(label, dir, toml);
        PolicyFile file = r.read(level);
        if (!r.problems.isEmpty()) {
            throw new UserError(UserError.Kind.INVALID_INPUT,
                    "the " + level.word() + " policy " + label + " cannot be used (nothing is installed until it is fixed):\n  "
                            + String.join("\n  ", r.problems),
                    "fix each line named; keys and value types are listed in README.md, section Policy");
        }
        return file;
    }

    /** {@code 3d}: a number and one unit of s, m, h, d or w. */
    public static Optional<Duration> parseAge(String text) {
        Matcher m = AGE.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        });
    }

    /** Reads one file's values, collecting every problem instead of stopping at the first. */
    private static final class Reader {
        final String label;
        final Optional<Path> dir;
        final TomlSource toml;
        final List<String> problems = new ArrayList<>();

        Reader(String label, Optional<Path> dir, TomlSource toml) {
            this.label = label;
            this.dir = dir;
            this.toml = toml;
        }

        Where where(String... keys) {
            return new Where(label, toml.lineOf(keys));
        }

        void problem(Where at, String message, String hint) {
            problems.add(at + ": " + message + " (" + hint + ")");
        }

        PolicyFile read(Level level) {
            JsonNode root = toml.root();
            unknownKeys(root, TOP, "", "min-release-age, [marketplaces], [plugins], [mcp], [hooks]");
            Optional<Rule<Duration>> age = Optional.empty();
            JsonNode a = root.path("min-release-age");
            if (!a.isMissingNode()) {
                Optional<Duration> d = a.isTextual() ? parseAge(a.asText()) : Optional.empty();
                if (d.isEmpty()) {
                    problem(where("min-release-age"), "min-release-age must be a number and a unit, such as \"3d\"", "units: s, m, h, d, w");
                } else {
                    age = Optional.of(new Rule<>("min-release-age", "\"" + a.asText() + "\"", d.get(), where("min-release-age")));
                }
            }
            Map<SourceKind, AllowDeny> marketplaces = new LinkedHashMap<>();
            JsonNode m = table(root, "marketplaces");
            Set<String> known = new java.util.HashSet<>();
            for (SourceKind k : SourceKind.values()) {
                known.add("allow-" + k.word);
                known.add("deny-" + k.word);
            }
            unknownKeys(m, known, "marketplaces.", "allow-git, allow-hosts, allow-local, allow-registries and deny- of each");
            for (SourceKind k : SourceKind.values()) {
                marketplaces.put(k, allowDeny(m, "marketplaces", "allow-" + k.word, "deny-" + k.word, k.ignoreCase, k == SourceKind.LOCAL));
            }
            JsonNode p = table(root, "plugins");
            unknownKeys(p, PLUGINS, "plugins.", "allow, deny, min-versions");
            AllowDeny plugins = allowDeny(p, "plugins", "allow", "deny", false, false);
            for (Rule<Glob> rule : concat(plugins.allow(), plugins.deny())) {
                if (!PLUGIN_PATTERN.matcher(rule.value().text()).matches()) {
                    problem(rule.where(), rule.key() + ": " + rule.text() + " is not a plugin pattern", "write NAME or NAME@MARKETPLACE, * for any characters");
                }
            }
            Map<String, Rule<PluginVersion>> minVersions = new LinkedHashMap<>();
            JsonNode mv = p.path("min-versions");
            if (!mv.isMissingNode() && !mv.isObject()) {
                problem(where("plugins", "min-versions"), "plugins.min-versions must be a table", "write min-versions = { github = \"1.2.0\" }");
            }
            mv.properties().forEach(e -> {
                Where at = where("plugins", "min-versions", e.getKey());
                PluginVersion v = e.getValue().isTextual() ? PluginVersion.of(e.getValue().asText()) : null;
                if (v == null || !v.isSemver()) {
                    problem(at, "plugins.min-versions." + e.getKey() + " must be a SemVer version", "such as \"1.2.0\"");
                } else {
                    minVersions.put(e.getKey(), new Rule<>("plugins.min-versions." + e.getKey(), "\"" + v + "\"", v, at));
                }
            });
            JsonNode mcp = table(root, "mcp");
            unknownKeys(mcp, MCP, "mcp.", "allow-commands, deny-unpinned, allow-hosts, deny-hosts, https-only");
            AllowDeny commands = allowDeny(mcp, "mcp", "allow-commands", null, false, false);
            AllowDeny hosts = allowDeny(mcp, "mcp", "allow-hosts", "deny-hosts", true, false);
            JsonNode hooks = table(root, "hooks");
            unknownKeys(hooks, HOOKS, "hooks.", "allow");
            return new PolicyFile(level, label, age, marketplaces, plugins, minVersions, commands, bool(mcp, "mcp", "deny-unpinned"),
                    hosts, bool(mcp, "mcp", "https-only"), bool(hooks, "hooks", "allow"));
        }

        private JsonNode table(JsonNode root, String key) {
            JsonNode t = root.path(key);
            if (!t.isMissingNode() && !t.isObject()) {
                problem(where(key), key + " must be a table", "write [" + key + "] on a line of its own, then its keys");
                return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            return t;
        }

        private void unknownKeys(JsonNode table, Set<String> known, String prefix, String list) {
            table.fieldNames().forEachRemaining(k -> {
                if (!known.contains(k)) {
                    String[] path = (prefix + k).split("\\.", 2);
                    Where at = path.length == 2 ? where(path[0], path[1]) : where(path[0]);
                    problem(at, "unknown key `" + clean(prefix + k) + "`", "the keys here are " + list
                            + "; a misspelt rule would allow what it meant to refuse");
                }
            });
        }

        private Optional<Rule<Boolean>> bool(JsonNode table, String section, String key) {
            JsonNode v = table.path(key);
            if (v.isMissingNode()) {
                return Optional.empty();
            }
            Where at = where(section, key);
            if (!v.isBoolean()) {
                problem(at, section + "." + key + " must be true or false", "write " + key + " = true");
                return Optional.empty();
            }
            return Optional.of(new Rule<>(section + "." + key, "= " + v.asBoolean(), v.asBoolean(), at));
        }

        private AllowDeny allowDeny(JsonNode table, String section, String allowKey, String denyKey, boolean ignoreCase, boolean paths) {
            Optional<Where> declared = table.has(allowKey) ? Optional.of(where(section, allowKey)) : Optional.empty();
            return new AllowDeny(declared, patterns(table, section, allowKey, ignoreCase, paths),
                    denyKey == null ? List.of() : patterns(table, section, denyKey, ignoreCase, paths));
        }

        private List<Rule<Glob>> patterns(JsonNode table, String section, String key, boolean ignoreCase, boolean paths) {
            JsonNode v = table.path(key);
            if (v.isMissingNode()) {
                return List.of();
            }
            Where at = where(section, key);
            if (!v.isArray()) {
                problem(at, section + "." + key + " must be a list of strings", "write " + key + " = [\"...\"]");
                return List.of();
            }
            List<Rule<Glob>> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isTextual() || e.asText().isBlank() || hasControl(e.asText())) {
                    problem(at, section + "." + key + " holds " + clean(e.toString()) + ", which is not a pattern", "each entry is a non-empty string");
                    continue;
                }
                String text = e.asText().strip();
                if (text.length() > 512 || stars(text) > 8) {
                    // a cloned project's policy file must not make matching cost more than a few steps per character
                    problem(at, section + "." + key + " holds a pattern over 512 characters or with more than 8 `*`", "shorten it");
                    continue;
                }
                if (paths) {
                    Optional<String> path = localPath(text, at, section + "." + key);
                    if (path.isEmpty()) {
                        continue;
                    }
                    text = path.get();
                }
                out.add(new Rule<>(section + "." + key, "\"" + clean(e.asText()) + "\"", Glob.of(text, ignoreCase), at));
            }
            return out;
        }

        /** A local marketplace path: absolute, or relative to the policy file's directory when it is a file. */
        private Optional<String> localPath(String text, Where at, String key) {
            if (text.startsWith("/")) {
                return Optional.of(text.endsWith("/") && text.length() > 1 ? text.substring(0, text.length() - 1) : text);
            }
            if (dir.isEmpty()) {
                problem(at, key + " \"" + clean(text) + "\" is relative, but this policy came from a URL", "write an absolute path");
                return Optional.empty();
            }
            return Optional.of(dir.get().resolve(text).normalize().toString());
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Whether a char of s is an ISO control character; a loop, not a stream (whose classes a cold sync loads for it). */
    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static int stars(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '*') {
                n++;
            }
        }
        return n;
    }

    /**
     * Control characters of what a file says are shown as {@code ?}, never sent to the terminal raw: what
     * {@code \p{Cntrl}} matches (U+0000-U+001F, U+007F), replaced by hand. Called for each MCP server of each plugin a
     * policy judges, where a regular expression per call cost a cold sync of 1,000 plugins ~17 ms.
     */
    static String clean(String s) {
        char[] c = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                if (c == null) {
                    c = s.toCharArray();
                }
                c[i] = '?';
            }
        }
        String t = c == null ? s : new String(c);
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
