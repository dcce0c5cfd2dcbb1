package dev.cxpm.cli.admin;

import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.RegistryLogin;
import dev.cxpm.cli.RegistryOption;
import dev.cxpm.core.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxpm yank}: hides a published version from new resolution; lockfiles that name it keep working. */
@Command(name = "yank", mixinStandardHelpOptions = true,
        description = "Yank a published version (--undo to restore it). It stays downloadable for lockfiles that pin it.",
        footerHeading = Examples.HEADING,
        footer = {"  cxpm yank demo@1.0.1",
                "      Hide 1.0.1 from new installs; lockfiles that pin it still get it.",
                "  cxpm yank demo@1.0.1 --undo",
                "      Make 1.0.1 installable again."})
public final class YankCommand implements Runnable {

    @CommandLine.ParentCommand
    Main root;

    @Parameters(paramLabel = "PLUGIN@VERSION")
    String spec;

    @Option(names = "--undo", description = "Un-yank the version.")
    boolean undo;

    @Option(names = "--json", description = "Print JSON: {plugin, version, yanked, registry}.")
    boolean json;

    @CommandLine.Mixin
    RegistryOption registry;

    @Override
    public void run() {
        int at = spec.lastIndexOf('@');
        if (at <= 0 || at == spec.length() - 1) {
            throw new UserError(UserError.Kind.USAGE, "expected PLUGIN@VERSION, got '" + spec + "'");
        }
        RegistryLogin login = registry.login(root.env());
        String plugin = spec.substring(0, at);
        String version = spec.substring(at + 1);
        login.client().admin().yank(plugin, version, undo);
        if (json) {
            root.env().out().println(login.json(JsonOutput.object().put("plugin", plugin).put("version", version).put("yanked", !undo)));
            return;
        }
        root.env().out().println((undo ? "restored " : "yanked ") + spec + " on " + login.url());
    }
}
