package dev.cxpm.cli.registry;

import dev.cxpm.cli.CommandGroup;
import dev.cxpm.cli.help.Examples;
import picocli.CommandLine.Command;

/** {@code cxpm registry}: looking after a registry as its admin or operator (audit log, backup, restore, garbage collection). */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Look after a cxpm registry as its admin or operator.",
        subcommands = {AuditCommand.class, ExportCommand.class, ImportCommand.class, GcCommand.class},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm registry audit --plugin demo",
                "      Show who changed demo on the registry, newest first.",
                "  cxpm registry export --data /srv/cxpm /backup/cxpm-2026-12-05",
                "      Back up the registry's metadata and blobs into a new directory."})
public final class RegistryCommand extends CommandGroup {
}
