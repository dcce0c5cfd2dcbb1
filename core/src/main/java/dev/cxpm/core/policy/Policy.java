package dev.cxpm.core.policy;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.parts.Hook;
import dev.cxpm.core.format.parts.McpServer;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.resolve.PluginVersion;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The policy in force: the organisation's, the user's and the project's files together. Deny wins: a deny rule at any
 * level refuses, and every level that declares an allow list must admit what is installed, so a lower level can only
 * tighten what a higher one allows. Booleans merge the strict way (hooks are allowed only if no level refuses them,
 * HTTPS-only and deny-unpinned hold if any level sets them), and the longest minimum release age wins.
 */
public final class Policy {

    /** No policy file anywhere: everything is allowed. */
    public static final Policy NONE = new Policy(List.of(), List.of());

    private final List<PolicyFile> files;
    private final List<String> notes;

    public Policy(List<PolicyFile> files, List<String> notes) {
        this.files = List.copyOf(files);
        this.notes = List.copyOf(notes);
    }

    public List<PolicyFile> files() {
        return files;
    }

    /** What the user should know about how the policy was read (an organisation policy taken from its cache). */
    public List<String> notes() {
        return notes;
    }

    /** The strictest (longest) minimum release age of all levels. */
    public Optional<Duration> minReleaseAge() {
        return files.stream().flatMap(f -> f.minReleaseAge().stream()).map(Rule::value).max(Comparator.naturalOrder());
    }

    /** Each level's minimum release age, naming its file and line, for the resolver's strictest-wins rule. */
    public List<dev.cxpm.core.resolve.MinReleaseAge> minReleaseAges() {
        return files.stream().flatMap(f -> f.minReleaseAge().stream())
                .map(r -> new dev.cxpm.core.resolve.MinReleaseAge(r.text().replace("\"", ""), r.value(), r.where().toString()))
                .toList();
    }

    /** A rule that had a say, and what it said. */
    public record Applied(String rule, Where where, String effect) {
    }

    /** Everything the rules said about one thing: the rules that applied, and what they refuse (empty: allowed). */
    public record Evaluation(List<Applied> applied, List<Violation> violations) {
        public boolean allowed() {
            return violations.isEmpty();
        }
    }

    /** A plugin about to be installed or enabled. content: its files, when they are at hand (staged or installed). */
    public record PluginSubject(String name, String marketplace, Optional<MarketplaceOrigin> origin, Optional<String> version,
            Optional<Plugin> content) {
        String id() {
            return marketplace.isEmpty() ? name : name + "@" + marketplace;
        }
    }

    public Evaluation marketplace(String name, MarketplaceOrigin origin) {
        Evaluation e = new Evaluation(new ArrayList<>(), new ArrayList<>());
        checkMarketplace(() -> "marketplace " + (name.isEmpty() ? origin.text() : "`" + name + "` (" + origin.text() + ")"), origin, e);
        return e;
    }

    public Evaluation plugin(PluginSubject p) {
        Evaluation e = new Evaluation(new ArrayList<>(), new ArrayList<>());
        if (files.isEmpty()) {
            return e; // no rule to apply: asked once per plugin of every sync, which built each one's subject for nothing
        }
        // what a refusal names (the subject, the reason) is built only when something refuses: built for every plugin and
        // rule, it was most of a cold sync under a policy's ~50 ms in Policy.plugin at 1,000 plugins (docs/BENCHMARKS.md, wt-cold5)
        String id = p.id();
        if (p.origin().isPresent()) {
            MarketplaceOrigin o = p.origin().get();
            checkMarketplace(() -> id + " (marketplace " + o.text() + ")", o, e);
        }
        for (PolicyFile f : files) {
            check(f.plugins(), "plugins.allow", () -> id, f, e, v -> matchesPlugin(v, p), () -> "the plugin is denied",
                    () -> "the plugin is not on the allow list");
            Rule<PluginVersion> min = f.minVersions().get(p.name());
            if (min != null) {
                Optional<PluginVersion> v = p.version().map(PluginVersion::of);
                boolean ok = v.isPresent() && v.get().isSemver() && v.get().compareTo(min.value()) >= 0;
                e.applied().add(new Applied(min.name(), min.where(), "requires at least " + min.value()));
                if (!ok && p.version().isPresent()) {
                    e.violations().add(new Violation(id + "@" + p.version().get(), min.name(), min.where(),
                            "the version is below the minimum " + min.value()));
                }
            }
        }
        p.content().ifPresent(c -> checkContent(id, c, e));
        return e;
    }

    private static final List<PolicyFile.SourceKind> LOCAL = List.of(PolicyFile.SourceKind.LOCAL);
    /** values() once: each call copies the array, once per plugin and policy file. */
    private static final PolicyFile.SourceKind[] SOURCE_KINDS = PolicyFile.SourceKind.values();

    private void checkMarketplace(Supplier<String> subject, MarketplaceOrigin origin, Evaluation e) {
        for (PolicyFile f : files) {
            // a local marketplace (every plugin of a project's own) before the pattern switch, whose bootstrap (the class-file
            // API spinning a class) each cold sync under a policy paid, and whose ~25 classes every sync's start-up cache loads
            List<PolicyFile.SourceKind> kinds = origin instanceof MarketplaceOrigin.Local ? LOCAL : switch (origin) {
                case MarketplaceOrigin.Local l -> LOCAL;
                case MarketplaceOrigin.Git g -> List.of(PolicyFile.SourceKind.GIT, PolicyFile.SourceKind.HOSTS);
                case MarketplaceOrigin.Registry r -> List.of(PolicyFile.SourceKind.REGISTRIES, PolicyFile.SourceKind.HOSTS);
            };
            boolean restricts = false;
            boolean admitted = false;
            Where declared = null;
            for (PolicyFile.SourceKind k : kinds) {
                PolicyFile.AllowDeny rules = f.marketplaces().get(k);
                Optional<String> value = rules.deny().isEmpty() ? Optional.empty() : valueFor(k, origin); // (a path's text, a host: only for a rule)
                for (Rule<Glob> deny : rules.deny()) {
                    if (value.isPresent() && deny.value().matches(value.get())) {
                        e.applied().add(new Applied(deny.name(), deny.where(), "denies"));
                        e.violations().add(new Violation(subject.get(), deny.name(), deny.where(), "the marketplace source is denied"));
                    }
                }
            }
            for (PolicyFile.SourceKind k : SOURCE_KINDS) {
                PolicyFile.AllowDeny rules = f.marketplaces().get(k);
                if (rules.restricts()) {
                    restricts = true;
                    declared = declared == null ? rules.allowDeclared().get() : declared;
                }
                Optional<String> value = kinds.contains(k) && !rules.allow().isEmpty() ? valueFor(k, origin) : Optional.empty();
                for (Rule<Glob> allow : rules.allow()) {
                    if (value.isPresent() && allow.value().matches(value.get())) {
                        admitted = true;
                        e.applied().add(new Applied(allow.name(), allow.where(), "allows"));
                    }
                }
            }
            if (restricts && !admitted) {
                e.applied().add(new Applied("marketplaces.allow-*", declared, "does not list it"));
                e.violations().add(new Violation(subject.get(), "marketplaces.allow-* of the " + f.level().word() + " policy", declared,
                        "the marketplace source is not on the allow list"));
            }
        }
    }

    private static Optional<String> valueFor(PolicyFile.SourceKind k, MarketplaceOrigin origin) {
        return switch (k) {
            case LOCAL -> origin instanceof MarketplaceOrigin.Local l ? Optional.of(l.root().toString()) : Optional.empty();
            case GIT -> origin instanceof MarketplaceOrigin.Git g ? Optional.of(g.url()) : Optional.empty();
            case REGISTRIES -> origin instanceof MarketplaceOrigin.Registry r ? Optional.of(MarketplaceOrigin.registryUrl(r.url())) : Optional.empty();
            case HOSTS -> origin.host();
        };
    }

    private static boolean matchesPlugin(Glob pattern, PluginSubject p) {
        String text = pattern.text();
        int at = text.indexOf('@');
        if (at < 0) {
            return pattern.matches(p.name());
        }
        return Glob.of(text.substring(0, at), false).matches(p.name()) && Glob.of(text.substring(at + 1), false).matches(p.marketplace());
    }

    /** Deny rules that match refuse; a declared allow list that nothing matches refuses too. */
    private static void check(PolicyFile.AllowDeny rules, String allowKey, Supplier<String> subject, PolicyFile f, Evaluation e,
            java.util.function.Predicate<Glob> matches, Supplier<String> denied, Supplier<String> notAllowed) {
        for (Rule<Glob> deny : rules.deny()) {
            if (matches.test(deny.value())) {
                e.applied().add(new Applied(deny.name(), deny.where(), "denies"));
                e.violations().add(new Violation(subject.get(), deny.name(), deny.where(), denied.get()));
            }
        }
        if (!rules.restricts()) {
            return;
        }
        boolean admitted = false;
        for (Rule<Glob> allow : rules.allow()) {
            if (matches.test(allow.value())) {
                admitted = true;
                e.applied().add(new Applied(allow.name(), allow.where(), "allows"));
            }
        }
        if (!admitted) {
            Where at = rules.allowDeclared().get();
            e.applied().add(new Applied(allowKey, at, "does not list it"));
            e.violations().add(new Violation(subject.get(), allowKey + " of the " + f.level().word() + " policy", at, notAllowed.get()));
        }
    }

    /** The rules on what a plugin runs: its MCP servers' commands and URLs, and its hooks, read from its files. */
    private void checkContent(String id, Plugin plugin, Evaluation e) {
        if (files.isEmpty()) {
            return; // no policy: nothing to judge, so the plugin's MCP and hooks files are not read for it
        }
        Map<String, McpServer> servers = plugin.mcpServers();
        List<Hook> hooks = plugin.hooks();
        for (PolicyFile f : files) {
            for (McpServer s : servers.values()) {
                // names from the plugin's files: no escapes to the terminal
                Supplier<String> subject = () -> id + " MCP server `" + PolicyFile.clean(s.name()) + "`";
                if (s.command().isPresent()) {
                    String command = s.command().get().strip();
                    String base = command.substring(command.lastIndexOf('/') + 1);
                    check(f.mcpCommands(), "mcp.allow-commands", subject, f, e,
                            g -> g.text().contains("/") ? g.matches(command) : g.matches(base),
                            () -> "the command is denied", () -> "the command `" + PolicyFile.clean(command) + "` is not an allowed executable");
                    if (f.denyUnpinned().map(Rule::value).orElse(false)) {
                        Rule<Boolean> rule = f.denyUnpinned().get();
                        Optional<String> unpinned = UnpinnedPackage.of(base, s.args());
                        if (unpinned.isPresent()) {
                            e.applied().add(new Applied(rule.name(), rule.where(), "denies"));
                            e.violations().add(new Violation(subject.get(), rule.name(), rule.where(), "it runs `" + base + "` on the unpinned package `"
                                    + PolicyFile.clean(unpinned.get()) + "`, fetched anew at each start (pin an exact version)"));
                        }
                    }
                }
                if (s.url().isPresent()) {
                    checkUrl(subject, s.url().get(), f, e);
                }
            }
            Optional<Rule<Boolean>> hooksRule = f.hooks();
            if (hooksRule.isPresent() && !hooksRule.get().value() && !hooks.isEmpty()) {
                e.applied().add(new Applied(hooksRule.get().name(), hooksRule.get().where(), "denies"));
                e.violations().add(new Violation(id, hooksRule.get().name(), hooksRule.get().where(),
                        "it has hooks (" + PolicyFile.clean(hooks.getFirst().event()) + (hooks.size() > 1 ? " and " + (hooks.size() - 1) + " more" : "") + "), which run commands"));
            }
        }
    }

    private static void checkUrl(Supplier<String> subject, String url, PolicyFile f, Evaluation e) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException bad) {
            uri = null;
        }
        String host = uri == null || uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (f.httpsOnly().map(Rule::value).orElse(false) && !scheme.equals("https")) {
            Rule<Boolean> rule = f.httpsOnly().get();
            e.applied().add(new Applied(rule.name(), rule.where(), "denies"));
            e.violations().add(new Violation(subject.get(), rule.name(), rule.where(), "its URL `" + PolicyFile.clean(url) + "` is not HTTPS"));
        }
        check(f.mcpHosts(), "mcp.allow-hosts", subject, f, e, g -> g.matches(host),
                () -> "its host `" + PolicyFile.clean(host) + "` is denied", () -> "its host `" + PolicyFile.clean(host) + "` is not an allowed MCP host");
    }

    /**
     * Refuses with every violation named (exit 8, README's exit codes); the {@code --json} error carries each rule, file
     * and line under {@code blocked}.
     */
    public static void enforce(List<Violation> violations) {
        if (violations.isEmpty()) {
            return;
        }
        List<Violation> distinct = violations.stream().distinct().toList();
        StringBuilder m = new StringBuilder("blocked by policy:");
        distinct.forEach(v -> m.append("\n  - ").append(v.line()));
        throw new UserError(UserError.Kind.POLICY, m.toString(),
                "cxpm policy explain PLUGIN@MARKETPLACE shows every rule that applies; a lower level (user, project) can only tighten a higher one",
                null).withBlocked(distinct.stream().map(v -> new UserError.Blocked(v.subject(), v.rule(), v.where().file(), v.where().line(), v.reason()))
                .toList());
    }
}
