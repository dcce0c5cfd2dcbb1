package dev.cxpm.cli.registry;

import dev.cxpm.cli.Examples;
import dev.cxpm.cli.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cxpm registry}: looking after a registry as its admin (the audit log, and more subcommands to come). */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Look after a cxpm registry as its admin.",
        subcommands = {AuditCommand.class},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm registry audit --plugin demo",
                "      Show who changed demo on the registry, newest first."})
public final class RegistryCommand implements Runnable {

    @CommandLine.ParentCommand
    Main root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        root.env().out().println(spec.commandLine().getUsageMessage());
    }
}
