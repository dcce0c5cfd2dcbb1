package dev.cxpm.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.CommandGroup;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.RegistryLogin;
import dev.cxpm.cli.RegistryOption;
import dev.cxpm.cli.output.Table;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxpm advisory}: security advisories on ranges of a plugin's versions, which {@code cxpm audit} reports. */
@Command(name = "advisory", mixinStandardHelpOptions = true,
        description = {"Attach, list or withdraw advisories on ranges of a plugin's versions on a registry.",
                "Installs of an affected version are reported by 'cxpm audit'."},
        subcommands = {AdvisoryCommand.Add.class, AdvisoryCommand.ListAdvisories.class, AdvisoryCommand.Withdraw.class},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm advisory add demo --range \"<1.2.3\" --severity high --summary \"Logs keys.\"",
                "      Warn everyone on a version below 1.2.3.",
                "  cxpm advisory list demo",
                "      Show the advisories on demo."})
public final class AdvisoryCommand extends CommandGroup {

    /** The severities a registry accepts, lowest first. */
    enum Severity { low, moderate, high, critical }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Attach an advisory to the versions of PLUGIN in a range (owners and admins).",
                    "The registry assigns an id such as CXPM-2026-0001 unless --id gives one."},
            footerHeading = Examples.HEADING,
            footer = {"  cxpm advisory add demo --range \"<1.2.3\" --severity high --summary \"Logs keys.\"",
                    "      Warn everyone on a version below 1.2.3.",
                    "  cxpm advisory add demo --range 1.x --severity low --summary Slow --id CVE-1",
                    "      Reuse an id published elsewhere."})
    static final class Add implements Runnable {
        @CommandLine.ParentCommand
        AdvisoryCommand parent;
        @Parameters(paramLabel = "PLUGIN")
        String plugin;
        @Option(names = "--range", required = true, paramLabel = "RANGE", description = "The affected versions, e.g. \"<1.2.3\" or \"1.x\".")
        String range;
        @Option(names = "--severity", required = true, paramLabel = "SEVERITY", description = "One of: ${COMPLETION-CANDIDATES}.")
        Severity severity;
        @Option(names = "--summary", required = true, paramLabel = "TEXT", description = "What is wrong and what to do, on one line (at most 500 characters).")
        String summary;
        @Option(names = "--url", paramLabel = "URL", description = "An https:// page with the details.")
        String url;
        @Option(names = "--id", paramLabel = "ID", description = "An id published elsewhere (CVE-..., GHSA-...); default: one the registry assigns.")
        String id;
        @Option(names = "--json", description = "Print JSON: the advisory as stored {id, range, severity, summary, url, ...} and registry.")
        boolean json;
        @CommandLine.Mixin
        RegistryOption registry;

        @Override
        public void run() {
            Env env = parent.env();
            RegistryLogin login = registry.login(env);
            JsonNode a = login.client().admin().addAdvisory(plugin, id, range, severity.name(), summary, url);
            if (json) {
                env.out().println(login.json(a));
                return;
            }
            env.out().println("added advisory " + Table.printable(a.path("id").asText()) + " (" + severity + ") to " + plugin + " "
                    + Table.printable(a.path("range").asText()) + " on " + login.url());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show the advisories on PLUGIN (no login needed).",
            footerHeading = Examples.HEADING,
            footer = {"  cxpm advisory list demo",
                    "      Show the standing advisories on demo.",
                    "  cxpm advisory list demo --all --json",
                    "      Every advisory, withdrawn ones too, as JSON."})
    static final class ListAdvisories implements Runnable {
        @CommandLine.ParentCommand
        AdvisoryCommand parent;
        @Parameters(paramLabel = "PLUGIN")
        String plugin;
        @Option(names = "--all", description = "Include withdrawn advisories.")
        boolean all;
        @Option(names = "--json", description = "Print JSON: {plugin, advisories: [{id, range, severity, summary, url, createdBy, createdAt, withdrawnAt}]}.")
        boolean json;
        @CommandLine.Mixin
        RegistryOption registry;

        @Override
        public void run() {
            Env env = parent.env();
            JsonNode answer = registry.anyone(env).advisories(plugin);
            ObjectNode out = JsonOutput.object().put("plugin", plugin);
            var shown = out.putArray("advisories");
            for (JsonNode a : answer.path("advisories")) {
                if (all || !a.path("withdrawnAt").isTextual()) {
                    shown.add(a);
                }
            }
            if (json) {
                env.out().println(JsonOutput.pretty(out));
                return;
            }
            if (shown.isEmpty()) {
                env.out().println("no advisories on " + plugin);
                return;
            }
            Table t = new Table("ID", "SEVERITY", "RANGE", "SUMMARY");
            for (JsonNode a : shown) {
                String summary = a.path("summary").asText() + (a.path("url").isTextual() ? " " + a.path("url").asText() : "")
                        + (a.path("withdrawnAt").isTextual() ? " (withdrawn)" : "");
                t.row(Table.printable(a.path("id").asText()), Table.printable(a.path("severity").asText()),
                        Table.printable(a.path("range").asText()), Table.printable(summary));
            }
            t.print(env.out());
        }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Withdraw an advisory (it stays listed with --all, marked).",
            footerHeading = Examples.HEADING,
            footer = {"  cxpm advisory withdraw demo CXPM-2026-0001",
                    "      The advisory was a mistake: stop reporting it."})
    static final class Withdraw implements Runnable {
        @CommandLine.ParentCommand
        AdvisoryCommand parent;
        @Parameters(index = "0", paramLabel = "PLUGIN")
        String plugin;
        @Parameters(index = "1", paramLabel = "ID")
        String id;
        @Option(names = "--json", description = "Print JSON: {plugin, id, withdrawn, registry}.")
        boolean json;
        @CommandLine.Mixin
        RegistryOption registry;

        @Override
        public void run() {
            Env env = parent.env();
            RegistryLogin login = registry.login(env);
            login.client().admin().withdrawAdvisory(plugin, id);
            if (json) {
                env.out().println(login.json(JsonOutput.object().put("plugin", plugin).put("id", id).put("withdrawn", true)));
                return;
            }
            env.out().println("withdrew advisory " + id + " of " + plugin + " on " + login.url());
        }
    }
}
