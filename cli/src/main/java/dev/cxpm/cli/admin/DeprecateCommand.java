package dev.cxpm.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.RegistryLogin;
import dev.cxpm.cli.RegistryOption;
import dev.cxpm.core.UserError;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxpm deprecate}: attaches a message to published versions (installs still work, and show it). */
@Command(name = "deprecate", mixinStandardHelpOptions = true,
        description = {"Deprecate the versions of a plugin in a range (all versions without @RANGE) with a message.",
                "An empty message (\"\") lifts the deprecation."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm deprecate demo@1.x \"Use 2.x: 1.x no longer works with Codex.\"",
                "      Warn whoever installs a 1.x version.",
                "  cxpm deprecate demo@1.x \"\"",
                "      Lift the deprecation."})
public final class DeprecateCommand implements Runnable {

    @CommandLine.ParentCommand
    Main root;

    @Parameters(index = "0", paramLabel = "PLUGIN[@RANGE]")
    String spec;

    @Parameters(index = "1", paramLabel = "MESSAGE", description = "Why, and what to use instead.")
    String message;

    @Option(names = "--json", description = "Print JSON: {plugin, range, message, versions, registry} (versions: those changed).")
    boolean json;

    @CommandLine.Mixin
    RegistryOption registry;

    @Override
    public void run() {
        int at = spec.indexOf('@');
        String plugin = at < 0 ? spec : spec.substring(0, at);
        String range = at < 0 ? null : spec.substring(at + 1);
        if (plugin.isEmpty() || (range != null && range.isBlank())) {
            throw new UserError(UserError.Kind.USAGE, "expected PLUGIN or PLUGIN@RANGE, got '" + spec + "'");
        }
        RegistryLogin login = registry.login(root.env());
        List<String> changed = login.client().admin().deprecate(plugin, range, message);
        if (json) {
            ObjectNode o = JsonOutput.object().put("plugin", plugin).put("range", range).put("message", message);
            changed.forEach(o.putArray("versions")::add);
            root.env().out().println(login.json(o));
            return;
        }
        if (changed.isEmpty()) {
            root.env().out().println("no version of " + plugin + " matches " + range);
        } else {
            root.env().out().println((message.isBlank() ? "lifted the deprecation of " : "deprecated ") + plugin + " "
                    + String.join(", ", changed) + " on " + login.url());
        }
    }
}
