package dev.cxpm.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.CommandGroup;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.RegistryOption;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxpm owner}: who may publish a plugin on a registry. */
@Command(name = "owner", mixinStandardHelpOptions = true,
        description = "List, add or remove the owners of a plugin on a registry.",
        subcommands = {OwnerCommand.ListOwners.class, OwnerCommand.Add.class, OwnerCommand.Remove.class},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm owner list demo",
                "      Show who may publish demo.",
                "  cxpm owner add demo alice",
                "      Let alice publish demo too."})
public final class OwnerCommand extends CommandGroup {

    static void print(Env env, String plugin, List<String> owners, boolean json) {
        if (json) {
            ObjectNode o = JsonOutput.object().put("plugin", plugin);
            owners.forEach(o.putArray("owners")::add);
            env.out().println(JsonOutput.pretty(o));
            return;
        }
        env.out().println(plugin + " owners: " + String.join(", ", owners));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show a plugin's owners (no login needed).",
            footerHeading = Examples.HEADING,
            footer = {"  cxpm owner list demo",
                    "      Show who may publish demo (no login needed).",
                    "  cxpm owner list demo --json",
                    "      The same as JSON, for scripts."})
    static final class ListOwners implements Runnable {
        @CommandLine.ParentCommand
        OwnerCommand parent;
        @Parameters(paramLabel = "PLUGIN")
        String plugin;
        @Option(names = "--json", description = "Print JSON: {plugin, owners}.")
        boolean json;
        @CommandLine.Mixin
        RegistryOption registry;

        @Override
        public void run() {
            Env env = parent.env();
            print(env, plugin, registry.anyone(env).owners(plugin), json);
        }
    }

    /** {@code add} and {@code remove}: one change to PLUGIN's owners, then the owners as they now stand. */
    abstract static class Change implements Runnable {
        @CommandLine.ParentCommand
        OwnerCommand parent;
        @Parameters(index = "0", paramLabel = "PLUGIN")
        String plugin;
        @Parameters(index = "1", paramLabel = "USER")
        String user;
        @Option(names = "--json", description = "Print JSON: {plugin, owners}.")
        boolean json;
        @CommandLine.Mixin
        RegistryOption registry;

        abstract boolean adds();

        @Override
        public void run() {
            Env env = parent.env();
            print(env, plugin, registry.login(env).client().admin().changeOwner(plugin, user, adds()), json);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Let USER publish PLUGIN too.",
            footerHeading = Examples.HEADING,
            footer = {"  cxpm owner add demo alice",
                    "      Let alice publish demo too."})
    static final class Add extends Change {
        @Override
        boolean adds() {
            return true;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Stop USER from publishing PLUGIN (the last owner stays).",
            footerHeading = Examples.HEADING,
            footer = {"  cxpm owner remove demo alice",
                    "      Stop alice publishing demo."})
    static final class Remove extends Change {
        @Override
        boolean adds() {
            return false;
        }
    }
}
