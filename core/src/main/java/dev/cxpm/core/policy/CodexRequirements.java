package dev.cxpm.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.toml.TomlSource;
import dev.cxpm.core.toml.TomlStrings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Codex's enterprise allowlist of marketplace sources, the {@code [marketplaces]} table of
 * {@code /etc/codex/requirements.toml}, read and applied as the real Codex CLI (0.171.0) does, measured:
 * with {@code restrict_to_allowed_sources = true} a source must match one {@code [marketplaces.allowed_sources.NAME]}:
 * {@code source = "git"} with {@code url} equal to the source's URL ({@code owner/repo} expanded to GitHub's, case
 * and {@code .git} significant) and, when the rule has a {@code ref}, the same ref; {@code source = "host_pattern"}, a
 * regular expression found anywhere in a git URL's host; {@code source = "local"}, an absolute directory, equal after
 * normalising. Unknown keys in that table are errors, as in Codex. A marketplace added before the rule is hidden by
 * Codex (its plugins are "not found"); cxpm refuses to install from it, saying why.
 */
public record CodexRequirements(Path file, boolean restrict, int restrictLine, List<Allowed> allowed) {

    /** Where Codex reads it on Linux (its system layer). */
    public static final Path SYSTEM_FILE = Path.of("/etc/codex/requirements.toml");

    public sealed interface Allowed {
        String name();
    }

    public record GitUrl(String name, String url, Optional<String> ref) implements Allowed {
    }

    public record HostPattern(String name, Pattern pattern) implements Allowed {
    }

    public record LocalPath(String name, Path path) implements Allowed {
    }

    private static final Set<String> MARKETPLACE_KEYS = Set.of("restrict_to_allowed_sources", "allowed_sources");
    private static final Set<String> SOURCE_KEYS = Set.of("source", "url", "ref", "host_pattern", "path");

    /**
     * The files to apply: the one Codex reads, /etc/codex/requirements.toml, always, and {@code $CXPM_CODEX_REQUIREMENTS}
     * too when set (another layout, and tests): a variable can add a file but never take the system one away.
     */
    public static List<Path> filesFor(Map<String, String> vars) {
        String v = vars.get("CXPM_CODEX_REQUIREMENTS");
        return v != null && !v.isBlank() && !Path.of(v).equals(SYSTEM_FILE) ? List.of(SYSTEM_FILE, Path.of(v)) : List.of(SYSTEM_FILE);
    }

    /** Empty when the file does not exist; a file that cannot be read or used is an error (Codex refuses every command then). */
    public static Optional<CodexRequirements> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        TomlSource toml = TomlSource.read(file, "fix Codex's requirements.toml (Codex itself refuses to start while it is broken)");
        JsonNode m = toml.root().path("marketplaces");
        List<String> problems = new ArrayList<>();
        List<Allowed> allowed = new ArrayList<>();
        boolean restrict = false;
        if (m.isObject()) {
            m.fieldNames().forEachRemaining(k -> {
                if (!MARKETPLACE_KEYS.contains(k)) {
                    problems.add(toml.where("marketplaces", k) + ": unknown field `" + PolicyFile.clean(k)
                            + "`, expected `restrict_to_allowed_sources` or `allowed_sources` (as Codex says)");
                }
            });
            JsonNode r = m.path("restrict_to_allowed_sources");
            if (!r.isMissingNode() && !r.isBoolean()) {
                problems.add(toml.where("marketplaces", "restrict_to_allowed_sources") + ": restrict_to_allowed_sources must be true or false");
            }
            restrict = r.asBoolean(false);
            JsonNode sources = m.path("allowed_sources");
            if (!sources.isMissingNode() && !sources.isObject()) {
                problems.add(toml.where("marketplaces", "allowed_sources") + ": allowed_sources must be a map of named sources"
                        + " ([marketplaces.allowed_sources.NAME]), as Codex requires");
            }
            sources.properties().forEach(e -> source(toml, e.getKey(), e.getValue(), problems).ifPresent(allowed::add));
        } else if (!m.isMissingNode()) {
            problems.add(toml.where("marketplaces") + ": marketplaces must be a table");
        }
        if (!problems.isEmpty()) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "Codex's requirements " + file + " cannot be used:\n  " + String.join("\n  ", problems),
                    "fix it (Codex refuses to start while it is broken too); nothing is installed until then");
        }
        return Optional.of(new CodexRequirements(file, restrict, toml.lineOf("marketplaces", "restrict_to_allowed_sources"), List.copyOf(allowed)));
    }

    private static Optional<Allowed> source(TomlSource toml, String name, JsonNode s, List<String> problems) {
        String at = toml.where("marketplaces", "allowed_sources", name);
        String label = at + ": allowed source `" + PolicyFile.clean(name) + "`: ";
        if (!s.isObject()) {
            problems.add(label + "must be a table");
            return Optional.empty();
        }
        s.fieldNames().forEachRemaining(k -> {
            if (!SOURCE_KEYS.contains(k)) {
                problems.add(label + "unknown field `" + PolicyFile.clean(k) + "`, expected one of `source`, `url`, `ref`, `host_pattern`, `path`");
            }
        });
        String kind = s.path("source").asText("");
        switch (kind) {
            case "git" -> {
                String url = s.path("url").asText("");
                if (url.isBlank()) {
                    problems.add(label + "missing url");
                    return Optional.empty();
                }
                Optional<String> ref = s.has("ref") ? Optional.of(s.path("ref").asText("")) : Optional.empty();
                if (ref.isPresent() && ref.get().isBlank()) {
                    problems.add(label + "ref must not be empty");
                    return Optional.empty();
                }
                return Optional.of(new GitUrl(name, expand(url), ref));
            }
            case "host_pattern" -> {
                String p = s.path("host_pattern").asText("");
                if (p.isEmpty()) {
                    problems.add(label + "missing host_pattern");
                    return Optional.empty();
                }
                try {
                    return Optional.of(new HostPattern(name, Pattern.compile(p)));
                } catch (PatternSyntaxException e) {
                    problems.add(label + "host_pattern is not a regular expression: " + PolicyFile.clean(e.getDescription()));
                    return Optional.empty();
                }
            }
            case "local" -> {
                String p = s.path("path").asText("");
                if (p.isEmpty()) {
                    problems.add(label + "missing path");
                    return Optional.empty();
                }
                if (!p.startsWith("/")) {
                    problems.add(label + "local path must be absolute");
                    return Optional.empty();
                }
                return Optional.of(new LocalPath(name, Path.of(p).normalize()));
            }
            default -> {
                problems.add(label + (kind.isEmpty() ? "missing source" : "source must be git, host_pattern or local"));
                return Optional.empty();
            }
        }
    }

    /** {@code owner/repo} as Codex expands it. */
    private static String expand(String url) {
        var m = dev.cxpm.core.marketplace.MarketplaceSource.SHORTHAND.matcher(url);
        if (!url.contains(":") && !url.startsWith(".") && !url.startsWith("/") && m.matches()) {
            return "https://github.com/" + m.group(1) + "/" + m.group(2) + ".git";
        }
        return url;
    }

    /** Why Codex would refuse this source, or empty when it accepts it. */
    public Optional<Violation> refusal(MarketplaceOrigin origin) {
        if (!restrict || allowed.stream().anyMatch(a -> admits(a, origin))) {
            return Optional.empty();
        }
        String shown = switch (origin) {
            case MarketplaceOrigin.Registry r -> r.codexView();
            default -> origin.text();
        };
        return Optional.of(new Violation("marketplace source `" + shown + "`", "marketplaces.restrict_to_allowed_sources",
                new Where(file.toString(), restrictLine), "not allowed by Codex's requirements (no marketplaces.allowed_sources entry matches)"));
    }

    private static boolean admits(Allowed a, MarketplaceOrigin origin) {
        String gitUrl = switch (origin) {
            case MarketplaceOrigin.Git g -> g.url();
            case MarketplaceOrigin.Registry r -> r.codexView(); // Codex is given the registry's git view
            case MarketplaceOrigin.Local l -> null;
        };
        Optional<String> ref = origin instanceof MarketplaceOrigin.Git g ? g.ref() : Optional.empty();
        return switch (a) {
            case GitUrl g -> gitUrl != null && gitUrl.equals(g.url()) && (g.ref().isEmpty() || g.ref().equals(ref));
            case HostPattern h -> gitUrl != null && new MarketplaceOrigin.Git(gitUrl, ref).host().map(x -> h.pattern().matcher(x).find()).orElse(false);
            case LocalPath l -> origin instanceof MarketplaceOrigin.Local local && local.root().normalize().equals(l.path());
        };
    }

    /**
     * The marketplace part of a cxpm policy as a requirements.toml Codex enforces: every exact source the policy allows
     * (git URLs, registries as their git view, local directories) and its host patterns as anchored regular expressions.
     * What Codex cannot express (deny rules, wildcards in URLs or paths) is listed in comments and still enforced by cxpm.
     */
    public static String export(Policy policy) {
        List<String> notes = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        int n = 0;
        boolean anyAllow = false;
        for (PolicyFile f : policy.files()) {
            for (PolicyFile.SourceKind k : PolicyFile.SourceKind.values()) {
                PolicyFile.AllowDeny rules = f.marketplaces().get(k);
                anyAllow |= rules.restricts();
                for (Rule<Glob> deny : rules.deny()) {
                    notes.add(deny.name() + " (" + deny.where() + "): Codex has no deny rule; sources it names are left out of the list below");
                }
                for (Rule<Glob> allow : rules.allow()) {
                    String v = allow.value().text();
                    Optional<MarketplaceOrigin> exact = switch (k) {
                        case GIT -> allow.value().exact() ? Optional.of(new MarketplaceOrigin.Git(v, Optional.empty())) : Optional.empty();
                        case LOCAL -> allow.value().exact() ? Optional.of(new MarketplaceOrigin.Local(Path.of(v))) : Optional.empty();
                        case REGISTRIES -> allow.value().exact() ? Optional.of(new MarketplaceOrigin.Registry(java.net.URI.create(v),
                                v.replaceAll("/+$", "") + "/codex/marketplace.git")) : Optional.empty();
                        case HOSTS -> Optional.empty();
                    };
                    if (k == PolicyFile.SourceKind.HOSTS) {
                        if (policy.files().stream().filter(o -> o != f).anyMatch(o -> o.marketplaces().values().stream().anyMatch(PolicyFile.AllowDeny::restricts))
                                || policy.files().stream().anyMatch(o -> o.marketplaces().values().stream().anyMatch(r -> !r.deny().isEmpty()))) {
                            notes.add(allow.name() + " (" + allow.where() + "): left out, other levels narrow it in ways a host pattern cannot say");
                            continue;
                        }
                        String regex = "^" + String.join(".*", java.util.Arrays.stream(v.toLowerCase(java.util.Locale.ROOT).split("\\*", -1))
                                .map(p -> p.replaceAll("([\\\\.+?^$()\\[\\]{}|])", "\\\\$1")).toList()) + "$";
                        tables.add(table(++n, "host_pattern", "host_pattern", regex, allow));
                        continue;
                    }
                    if (exact.isEmpty()) {
                        notes.add(allow.name() + " (" + allow.where() + "): a wildcard, which Codex cannot match; left out");
                        continue;
                    }
                    if (!policy.marketplace("", exact.get()).allowed()) {
                        notes.add(allow.name() + " (" + allow.where() + "): refused by another rule, left out");
                        continue;
                    }
                    tables.add(switch (exact.get()) {
                        case MarketplaceOrigin.Local l -> table(++n, "local", "path", l.root().toString(), allow);
                        case MarketplaceOrigin.Git g -> table(++n, "git", "url", g.url(), allow);
                        case MarketplaceOrigin.Registry r -> table(++n, "git", "url", r.codexView(), allow);
                    });
                }
            }
        }
        if (!anyAllow) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "the policy has no marketplaces.allow-* list, and Codex's requirements.toml"
                    + " can only list allowed sources", "add marketplaces.allow-git, allow-hosts, allow-local or allow-registries to a policy file");
        }
        StringBuilder out = new StringBuilder("# Written by cxpm policy export --codex from:\n");
        policy.files().forEach(f -> out.append("#   ").append(f.level().word()).append(": ").append(f.label().replaceAll("\\p{Cntrl}", "?")).append('\n'));
        notes.forEach(x -> out.append("# ").append(x.replaceAll("\\p{Cntrl}", "?")).append('\n'));
        out.append("\n[marketplaces]\nrestrict_to_allowed_sources = true\n");
        tables.forEach(out::append);
        return out.toString();
    }

    private static String table(int n, String source, String key, String value, Rule<Glob> from) {
        return "\n# from " + from.name().replaceAll("\\p{Cntrl}", "?") + " (" + from.where().toString().replaceAll("\\p{Cntrl}", "?") + ")\n"
                + "[marketplaces.allowed_sources.cxpm-" + n + "]\nsource = " + TomlStrings.quote(source) + "\n" + key + " = "
                + TomlStrings.quote(value) + "\n";
    }
}
