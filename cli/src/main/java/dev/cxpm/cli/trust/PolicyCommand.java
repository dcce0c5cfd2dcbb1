package dev.cxpm.cli.trust;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.codexhome.CodexContext;
import dev.cxpm.cli.codexhome.PluginIdArgs;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.format.marketplace.MarketplaceEntry;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.install.Installer;
import dev.cxpm.core.install.PluginId;
import dev.cxpm.core.marketplace.Marketplaces;
import dev.cxpm.core.policy.CodexRequirements;
import dev.cxpm.core.policy.Enforcement;
import dev.cxpm.core.policy.MarketplaceOrigin;
import dev.cxpm.core.policy.Policy;
import dev.cxpm.core.policy.PolicyFile;
import dev.cxpm.core.policy.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cxpm policy show|explain|export}: the policy files in force (organisation, user, project, and Codex's
 * requirements.toml), which of their rules apply to a plugin and why, and the marketplace part as Codex's own
 * requirements.toml.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = {"Show the policy in force, explain what it says about a plugin, or export it for Codex.",
                "Levels: organisation (policy = \"PATH or URL\" in ~/.config/cxpm/config.toml), user (~/.config/cxpm/policy.toml), "
                        + "project (cxpm-policy.toml beside cxpm.toml); deny wins and a lower level can only tighten."},
        subcommands = {PolicyCommand.Show.class, PolicyCommand.Explain.class, PolicyCommand.Export.class},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm policy show",
                "      List the policy files in force.",
                "  cxpm policy explain github@team",
                "      Which rules apply to github@team, and whether it would be installed.",
                "  cxpm policy export --codex -o /etc/codex/requirements.toml",
                "      Hold plain codex to the same marketplace rules."})
public final class PolicyCommand implements Runnable {
    @ParentCommand
    Main root;

    @Override
    public void run() {
        root.env.out().println(new picocli.CommandLine(this).getUsageMessage());
    }

    Enforcement load() {
        return PolicyGate.here(root.env).enforcement();
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "List the policy files in force and the minimum release age.",
            footerHeading = Examples.HEADING,
            footer = {"  cxpm policy show --json", "      The same as JSON: files [{level, file}], codexRequirements [file], minReleaseAge (ISO-8601)."})
    static final class Show implements Runnable {
        @ParentCommand
        PolicyCommand parent;

        @Option(names = "--json", description = "Print a JSON object.")
        boolean json;

        @Override
        public void run() {
            Env env = parent.root.env;
            Enforcement e = parent.load();
            if (json) {
                ObjectNode o = JsonOutput.object();
                ArrayNode files = o.putArray("files");
                e.policy().files().forEach(f -> files.addObject().put("level", f.level().word()).put("file", f.label()));
                ArrayNode codex = o.putArray("codexRequirements");
                e.codex().forEach(c -> codex.add(c.file().toString()));
                o.put("minReleaseAge", e.policy().minReleaseAge().map(Object::toString).orElse(null));
                env.out().println(JsonOutput.pretty(o));
                return;
            }
            if (e.policy().files().isEmpty() && e.codex().isEmpty()) {
                env.out().println("No policy applies here: everything may be installed.");
                return;
            }
            for (PolicyFile f : e.policy().files()) {
                env.out().println(f.level().word() + ": " + f.label());
            }
            e.codex().forEach(c -> env.out().println("codex requirements: " + c.file()
                    + (c.restrict() ? " (marketplaces restricted to " + c.allowed().size() + " allowed source(s))" : "")));
            e.policy().minReleaseAge().ifPresent(a -> env.out().println("minimum release age: " + a));
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = {"Which rules from which files apply to a plugin, and whether it would be installed.",
                    "Rules on what a plugin runs (MCP servers, hooks) are checked on its files when they are at hand here "
                            + "(installed, or in a local marketplace); otherwise when install fetches it."},
            footerHeading = Examples.HEADING,
            footer = {"  cxpm policy explain github@team", "      Show the rules that allow or refuse github from the marketplace team.",
                    "  cxpm policy explain github@team --json", "      The same as JSON: allowed, rules [{rule, file, line, effect}], blocked."})
    static final class Explain implements Runnable {
        @ParentCommand
        PolicyCommand parent;

        @Mixin
        PluginIdArgs target;

        @Option(names = "--json", description = "Print a JSON object.")
        boolean json;

        @Override
        public void run() {
            Env env = parent.root.env;
            PluginId id = target.id();
            Enforcement e = parent.load();
            CodexContext ctx = CodexContext.of(env);
            Marketplaces marketplaces = ctx.marketplaces();
            Optional<Marketplaces.Configured> mk = marketplaces.find(id.marketplace());
            Optional<CodexConfig.MarketplaceEntry> entry = mk.map(Marketplaces.Configured::entry);
            Optional<Installer.InstalledPlugin> installed = ctx.installer().list().stream().filter(p -> p.id().equals(id)).findFirst();
            Optional<Plugin> content = installed.map(p -> Plugin.load(p.path())).or(() -> localContent(mk, id.plugin()));
            Optional<String> version = installed.map(Installer.InstalledPlugin::version).or(() -> content.flatMap(Plugin::version));
            Optional<MarketplaceOrigin> origin = entry.map(x -> MarketplaceOrigin.of(x, mk.get().registry()));
            Policy.Evaluation ev = e.policy().plugin(new Policy.PluginSubject(id.plugin(), id.marketplace(), origin, version, content));
            List<Violation> blocked = new ArrayList<>(ev.violations());
            origin.ifPresent(o -> blocked.addAll(e.codexRefusals(o)));
            if (json) {
                ObjectNode o = JsonOutput.object();
                o.put("pluginId", id.toString());
                o.put("allowed", blocked.isEmpty());
                o.put("version", version.orElse(null));
                o.put("contentChecked", content.isPresent());
                ArrayNode rules = o.putArray("rules");
                ev.applied().forEach(a -> rules.addObject().put("rule", a.rule()).put("file", a.where().file()).put("line", a.where().line())
                        .put("effect", a.effect()));
                ArrayNode b = o.putArray("blocked");
                blocked.forEach(v -> b.addObject().put("subject", v.subject()).put("rule", v.rule()).put("file", v.where().file())
                        .put("line", v.where().line()).put("reason", v.reason()));
                env.out().println(JsonOutput.pretty(o));
                return;
            }
            env.out().println(id + (version.map(v -> " " + v).orElse("")) + ": " + (blocked.isEmpty() ? "allowed" : "blocked"));
            if (e.policy().files().isEmpty() && e.codex().isEmpty()) {
                env.out().println("No policy applies here.");
            }
            if (!ev.applied().isEmpty()) {
                env.out().println("Rules that apply:");
                ev.applied().forEach(a -> env.out().println("  " + a.rule() + " (" + a.where() + "): " + a.effect()));
            }
            if (!blocked.isEmpty()) {
                env.out().println("Blocked by:");
                blocked.forEach(v -> env.out().println("  - " + v.line()));
            }
            if (content.isEmpty()) {
                env.out().println("(its MCP servers and hooks are checked when install fetches it)");
            }
        }

        /** The plugin's files when they are in a local marketplace here (no fetch for explain). */
        private static Optional<Plugin> localContent(Optional<Marketplaces.Configured> mk, String plugin) {
            try {
                return mk.flatMap(Marketplaces.Configured::manifest).flatMap(m -> m.plugin(plugin).flatMap((MarketplaceEntry en) ->
                        en.source() instanceof PluginSource.Local l && Files.isDirectory(m.localPluginDir(l))
                                ? Optional.of(Plugin.load(m.localPluginDir(l))) : Optional.empty()));
            } catch (UserError e) {
                return Optional.empty();
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write the marketplace part of the policy as Codex's requirements.toml, so plain codex is held to it.",
                    "Codex can only list allowed sources: deny rules and wildcards in URLs or paths stay cxpm's (listed as comments)."},
            footerHeading = Examples.HEADING,
            footer = {"  cxpm policy export --codex", "      Print it.",
                    "  sudo cxpm policy export --codex -o /etc/codex/requirements.toml", "      Install it where Codex reads it."})
    static final class Export implements Runnable {
        @ParentCommand
        PolicyCommand parent;

        @Option(names = "--codex", required = true, description = "As Codex's requirements.toml (the only format so far).")
        boolean codex;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (replaced atomically) instead of printing.")
        String output;

        @Override
        public void run() {
            Env env = parent.root.env;
            String text = CodexRequirements.export(parent.load().policy());
            if (output == null) {
                env.out().print(text);
                env.out().flush();
                return;
            }
            Path file = env.resolve(output);
            try {
                Path tmp = TempPaths.file(file.toAbsolutePath().getParent(), ".requirements", ".tmp");
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UserError(UserError.Kind.IO, "cannot write " + file + ": " + UserError.reason(e), null, e);
            }
            env.err().println("wrote " + file);
        }
    }
}
