package dev.cxpm.cli.codexhome;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Failure;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.output.Table;
import dev.cxpm.cli.output.Terminal;
import dev.cxpm.core.marketplace.MarketplaceSource;
import dev.cxpm.core.marketplace.Marketplaces;
import dev.cxpm.core.marketplace.RegistryPin;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cxpm marketplace add|list|update|remove}: the same marketplaces {@code codex plugin marketplace} sees. */
@Command(name = "marketplace", mixinStandardHelpOptions = true,
        description = "Add, list, update and remove plugin marketplaces (shared with the Codex CLI).",
        subcommands = {MarketplaceCommand.Add.class, MarketplaceCommand.ListCmd.class,
                MarketplaceCommand.Update.class, MarketplaceCommand.Remove.class},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm marketplace add acme/codex-plugins",
                "      Add the marketplace of a GitHub repository, as Codex would.",
                "  cxpm marketplace list",
                "      Show each marketplace, its plugin count and how old its copy is."})
public final class MarketplaceCommand implements Runnable {
    @ParentCommand
    Main root;

    @Override
    public void run() {
        root.env.out().println(new picocli.CommandLine(this).getUsageMessage());
    }

    CodexContext context() {
        return CodexContext.of(root.env);
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a marketplace: a local directory, owner/repo (GitHub), a git URL or a cxpm registry URL.",
                    "A registry (http(s)://host[:port]) is recorded for Codex as its git view; cxpm resolves against its API."},
            footerHeading = Examples.HEADING,
            footer = {"  cxpm marketplace add acme/codex-plugins --ref v2",
                    "      Add the marketplace of a GitHub repository, at its tag v2.",
                    "  cxpm marketplace add https://plugins.example.test",
                    "      Add a cxpm registry: its plugins then install by name; its signing key is pinned.",
                    "  cxpm marketplace add http://old-registry.example.test --insecure-unsigned",
                    "      Add a registry that predates signing, accepting unsigned answers from it."})
    static final class Add implements Runnable {
        @ParentCommand
        MarketplaceCommand parent;

        @Parameters(paramLabel = "SOURCE", description = "Local directory, owner/repo[@ref], https://, ssh:// or git@host: git URL, or a cxpm registry's http(s) URL.")
        String source;

        @Option(names = "--ref", paramLabel = "REF", description = "Git branch, tag or commit to check out.")
        String ref;

        @Option(names = "--sparse", paramLabel = "PATH", description = "Check out only this path of a git marketplace (repeatable; "
                + "top-level files always come along), from a partial clone, as Codex's --sparse does.")
        List<String> sparse = new ArrayList<>();

        @Option(names = "--name", paramLabel = "NAME", description = "Fail unless the marketplace's manifest is called NAME.")
        String name;

        @Option(names = "--insecure-unsigned", description = "For a cxpm registry that publishes no signing key (one older than "
                + "signing): add it anyway, recorded as unsigned, so its index documents are not verified. Without it such a registry is refused.")
        boolean insecureUnsigned;

        @Option(names = "--json", description = "Print a JSON object.")
        boolean json;

        @Override
        public void run() {
            CodexContext ctx = parent.context();
            MarketplaceSource src = MarketplaceSource.parse(source, ctx.env().cwd(), Optional.ofNullable(ref), sparse);
            Marketplaces.Added added = ctx.marketplaces().add(src, Optional.ofNullable(name), insecureUnsigned);
            Optional<RegistryPin> pin = added.registry().map(u -> ctx.marketplaces().registries().pin(added.name()));
            Env env = ctx.env();
            if (json) {
                ObjectNode o = JsonOutput.object();
                o.put("marketplaceName", added.name());
                o.put("installedRoot", added.root().toString());
                o.put("alreadyAdded", added.alreadyAdded());
                added.registry().ifPresent(u -> o.put("registry", u.toString()));
                pin.ifPresent(p -> {
                    p.keyId().ifPresent(k -> o.put("registryKey", k));
                    o.put("unsigned", p.unsigned());
                });
                env.out().println(JsonOutput.pretty(o));
            } else {
                String from = added.registry().map(u -> "the cxpm registry " + u + " (Codex uses its git view " + added.entry().source() + ")")
                        .orElse(added.entry().source());
                env.out().println(added.alreadyAdded()
                        ? "Marketplace `" + added.name() + "` is already added from " + from + "."
                        : "Added marketplace `" + added.name() + "` from " + from + ".");
                env.out().println("Installed marketplace root: " + added.root());
                pin.ifPresent(p -> env.out().println(p.keyId().map(k -> "Registry signing key: " + k
                        + " (pinned: every index document from it must be signed by this key or one it rotates to)")
                        .orElse("Registry answers are NOT verified: it was added with --insecure-unsigned")));
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List configured marketplaces.",
            footerHeading = Examples.HEADING,
            footer = {"  cxpm marketplace list",
                    "      Show each marketplace, its plugin count and how old its copy is.",
                    "  cxpm marketplace list --json",
                    "      The same as JSON, for scripts."})
    static final class ListCmd implements Runnable {
        @ParentCommand
        MarketplaceCommand parent;

        @Option(names = "--json", description = "Print a JSON object.")
        boolean json;

        @Override
        public void run() {
            CodexContext ctx = parent.context();
            Env env = ctx.env();
            Instant now = env.clock().instant();
            // each marketplace's manifest is let go once its row is made: the list holds one at a time
            if (json) {
                ObjectNode o = JsonOutput.object();
                ArrayNode arr = o.putArray("marketplaces");
                ctx.marketplaces().forEach(c -> {
                    ObjectNode m = arr.addObject();
                    m.put("name", c.name());
                    m.put("root", c.root().toString());
                    ObjectNode s = m.putObject("marketplaceSource");
                    s.put("sourceType", c.entry().sourceType());
                    s.put("source", c.entry().source());
                    c.entry().ref().ifPresent(r -> s.put("ref", r));
                    if (!c.entry().sparsePaths().isEmpty()) {
                        c.entry().sparsePaths().forEach(s.putArray("sparsePaths")::add);
                    }
                    c.registry().ifPresent(u -> m.put("registry", u.toString()));
                    m.put("plugins", c.manifest().map(x -> x.pluginCount()).orElse(0));
                    c.fetchedAt().ifPresent(t -> m.put("fetchedAt", t.toString()));
                    c.problem().ifPresent(p -> m.put("problem", p));
                });
                env.out().println(JsonOutput.pretty(o));
                return;
            }
            Table t = new Table("MARKETPLACE", "SOURCE", "PLUGINS", "UPDATED", "ROOT");
            int[] rows = {0};
            ctx.marketplaces().forEach(c -> {
                rows[0]++;
                t.row(c.name(), c.sourceType(), c.manifest().map(x -> String.valueOf(x.pluginCount())).orElse("-"),
                        c.fetchedAt().map(f -> age(Duration.between(f, now))).orElse("-"),
                        c.root() + c.problem().map(p -> "  (unreadable: " + p + ")").orElse(""));
            });
            if (rows[0] == 0) {
                env.out().println("No plugin marketplaces in scope.");
                return;
            }
            t.print(env.out());
        }
    }

    @Command(name = "update", aliases = "upgrade", mixinStandardHelpOptions = true,
            description = "Fetch the latest commit of git marketplaces (all, or NAME).",
            footerHeading = Examples.HEADING,
            footer = {"  cxpm marketplace update",
                    "      Fetch every git marketplace whose remote moved.",
                    "  cxpm marketplace update team",
                    "      Fetch only the marketplace named team."})
    static final class Update implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        MarketplaceCommand parent;

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only this marketplace.")
        String name;

        @Option(names = "--json", description = "Print a JSON object.")
        boolean json;

        @Override
        public Integer call() {
            CodexContext ctx = parent.context();
            Marketplaces.Upgraded up = ctx.marketplaces().upgrade(Optional.ofNullable(name));
            Env env = ctx.env();
            dev.cxpm.core.UserError failed = up.errors().isEmpty() ? null : new dev.cxpm.core.UserError(dev.cxpm.core.UserError.Kind.NETWORK,
                    up.errors().size() + " marketplace(s) could not be updated", "the others were updated; retry when the remote is reachable");
            if (json) {
                ObjectNode o = JsonOutput.object();
                ArrayNode sel = o.putArray("selectedMarketplaces");
                up.selected().forEach(sel::add);
                ArrayNode roots = o.putArray("upgradedRoots");
                up.upgradedRoots().forEach(r -> roots.add(r.toString()));
                ArrayNode errs = o.putArray("errors");
                up.errors().forEach(errs::add);
                o.put("changed", !up.upgradedRoots().isEmpty()); // a script need not compare roots to know nothing moved
                if (failed != null) {
                    Failure.of(failed).addTo(o); // one JSON object on stdout: the report and why it failed
                }
                env.out().println(JsonOutput.pretty(o));
                return failed == null ? ExitCodes.OK : ExitCodes.of(failed.kind());
            } else if (up.selected().isEmpty()) {
                env.out().println("No Git marketplace to update: local marketplaces are read in place.");
            } else if (up.upgradedRoots().isEmpty() && up.errors().isEmpty()) {
                env.out().println(up.selected().size() == 1
                        ? "Git marketplace `" + up.selected().get(0) + "` is already up to date."
                        : "All " + up.selected().size() + " Git marketplaces are already up to date.");
            } else {
                env.out().println("Upgraded " + up.upgradedRoots().size() + " marketplace(s).");
                up.upgradedRoots().forEach(r -> env.out().println("Installed marketplace root: " + r));
                up.errors().forEach(Terminal.of(env)::error);
            }
            if (failed != null) {
                throw failed;
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a marketplace (installed plugins stay installed, as with Codex).",
            footerHeading = Examples.HEADING,
            footer = {"  cxpm marketplace remove team",
                    "      Remove the marketplace team; its installed plugins stay."})
    static final class Remove implements Runnable {
        @ParentCommand
        MarketplaceCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "Print a JSON object.")
        boolean json;

        @Override
        public void run() {
            CodexContext ctx = parent.context();
            Marketplaces.Removed r = ctx.marketplaces().remove(name);
            Env env = ctx.env();
            if (json) {
                ObjectNode o = JsonOutput.object();
                o.put("marketplaceName", r.name());
                if (r.cloneDir().isPresent()) {
                    o.put("installedRoot", r.cloneDir().get().toString());
                } else {
                    o.putNull("installedRoot");
                }
                env.out().println(JsonOutput.pretty(o));
            } else {
                env.out().println("Removed marketplace `" + r.name() + "`.");
            }
        }
    }

    /** "3 min ago", "2 h ago", "5 days ago": how old a cached index is. */
    public static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return "just now";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86_400) {
            return s / 3600 + " h ago";
        }
        return s / 86_400 + " days ago";
    }
}
