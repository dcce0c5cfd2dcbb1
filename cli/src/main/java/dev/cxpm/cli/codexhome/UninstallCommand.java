package dev.cxpm.cli.codexhome;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.core.install.PluginId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code cxpm uninstall PLUGIN@MARKETPLACE}: what {@code codex plugin remove} does. */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = "Remove an installed plugin: its config entry, then its files (as `codex plugin remove`).",
        footerHeading = Examples.HEADING,
        footer = {"  cxpm uninstall github-triage@team",
                "      Remove its entry from config.toml, then its files."})
public final class UninstallCommand implements Runnable {
    @ParentCommand
    Main root;

    @Mixin
    PluginIdArgs target;

    @Option(names = "--json", description = "Print a JSON object.")
    boolean json;

    @Override
    public void run() {
        CodexContext ctx = CodexContext.of(root.env);
        PluginId id = target.id();
        boolean removed = ctx.installer().uninstall(id);
        Env env = ctx.env();
        if (json) {
            ObjectNode o = JsonOutput.object();
            o.put("pluginId", id.toString());
            o.put("name", id.plugin());
            o.put("marketplaceName", id.marketplace());
            o.put("wasInstalled", removed);
            env.out().println(JsonOutput.pretty(o));
        } else {
            env.out().println(removed
                    ? "Removed plugin `" + id.plugin() + "` from marketplace `" + id.marketplace() + "`."
                    : "Plugin `" + id.plugin() + "` from marketplace `" + id.marketplace() + "` was not installed.");
        }
    }
}
