package dev.cxpm.cli.codexhome;

import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code cxpm disable PLUGIN@MARKETPLACE}: sets {@code enabled = false}; the files stay installed. */
@Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Disable an installed plugin (Codex stops loading it; files stay).",
        footerHeading = Examples.HEADING,
        footer = {"  cxpm disable github-triage@team",
                "      Stop Codex loading it; its files stay."})
public final class DisableCommand implements Runnable {
    @ParentCommand
    Main root;

    @Mixin
    PluginIdArgs target;

    @Option(names = "--json", description = "Print a JSON object.")
    boolean json;

    @Override
    public void run() {
        EnableCommand.toggle(root.env, target.id(), false, true, json);
    }
}
