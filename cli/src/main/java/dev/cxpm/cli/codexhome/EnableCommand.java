package dev.cxpm.cli.codexhome;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.core.install.Installer;
import dev.cxpm.core.install.PluginId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code cxpm enable PLUGIN@MARKETPLACE}: sets {@code enabled = true}, after checking prerequisites. */
@Command(name = "enable", mixinStandardHelpOptions = true,
        description = {"Enable an installed plugin.", PrerequisitesOption.RULE},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm enable github-triage@team",
                "      Let Codex load it again, once its prerequisites are checked."})
public final class EnableCommand implements Runnable {
    @ParentCommand
    Main root;

    @Mixin
    PluginIdArgs target;

    @Mixin
    PrerequisitesOption prerequisites;

    @Option(names = "--json", description = "Print a JSON object.")
    boolean json;

    @Override
    public void run() {
        toggle(root.env, target.id(), true, prerequisites.ignore, json);
    }

    static void toggle(Env env, PluginId id, boolean enabled, boolean ignorePrerequisites, boolean json) {
        CodexContext ctx = CodexContext.of(env);
        Installer.Toggled toggled = ctx.installer().setEnabled(id, enabled, ignorePrerequisites);
        Installer.InstalledPlugin p = toggled.plugin();
        PrerequisitesOption.warn(env, toggled.missingPrerequisites());
        if (json) {
            ObjectNode o = JsonOutput.object();
            o.put("pluginId", id.toString());
            o.put("version", p.version());
            o.put("enabled", p.enabled());
            var missing = o.putArray("missingPrerequisites");
            toggled.missingPrerequisites().lines().forEach(missing::add);
            env.out().println(JsonOutput.pretty(o));
        } else {
            env.out().println((enabled ? "Enabled" : "Disabled") + " plugin `" + id.plugin() + "` from marketplace `" + id.marketplace() + "`.");
        }
    }
}
