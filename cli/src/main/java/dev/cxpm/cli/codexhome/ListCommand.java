package dev.cxpm.cli.codexhome;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.output.Table;
import dev.cxpm.core.install.Installer;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cxpm list}: the plugins installed in the Codex home, whoever installed them. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
        description = "List installed plugins (installed by cxpm or by `codex plugin add`).",
        footerHeading = Examples.HEADING,
        footer = {"  cxpm list",
                "      Show installed plugins, whoever installed them.",
                "  cxpm list --json",
                "      The same as JSON, for scripts."})
public final class ListCommand implements Runnable {
    @ParentCommand
    public Main root;

    @Option(names = "--json", description = "Print a JSON object.")
    public boolean json;

    @Override
    public void run() {
        CodexContext ctx = CodexContext.of(root.env);
        List<Installer.InstalledPlugin> all = ctx.installer().list();
        Env env = ctx.env();
        if (json) {
            ObjectNode o = JsonOutput.object();
            ArrayNode arr = o.putArray("installed");
            for (Installer.InstalledPlugin p : all) {
                ObjectNode n = arr.addObject();
                n.put("pluginId", p.id().toString());
                n.put("name", p.id().plugin());
                n.put("marketplaceName", p.id().marketplace());
                n.put("version", p.version());
                n.put("installed", true);
                n.put("enabled", p.enabled());
                n.put("installedPath", p.path().toString());
                n.put("marketplaceConfigured", p.marketplaceConfigured());
            }
            env.out().println(JsonOutput.pretty(o));
            return;
        }
        if (all.isEmpty()) {
            env.out().println("No plugins installed in " + ctx.home().dir() + ".");
            return;
        }
        Table t = new Table("PLUGIN", "VERSION", "STATUS", "PATH");
        for (Installer.InstalledPlugin p : all) {
            String status = (p.enabled() ? "enabled" : "disabled") + (p.marketplaceConfigured() ? "" : " (marketplace removed)");
            t.row(p.id().toString(), p.version(), status, p.path().toString());
        }
        t.print(env.out());
    }
}
