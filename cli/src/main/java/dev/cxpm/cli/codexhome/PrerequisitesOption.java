package dev.cxpm.cli.codexhome;

import dev.cxpm.cli.Env;
import dev.cxpm.cli.output.Terminal;
import dev.cxpm.core.install.MissingPrerequisites;
import picocli.CommandLine.Option;

/**
 * {@code --ignore-prerequisites}, one option shared by every command that installs or enables plugins (install, add,
 * sync, enable, and update and remove, which sync too), so the flag and its help read the same on each
 * ({@link MissingPrerequisites} is the rule).
 */
public final class PrerequisitesOption {

    /** The sentence each of those commands' help states the rule with. */
    public static final String RULE = "A plugin that lacks a prerequisite here (a command on PATH or an environment variable its MCP servers need) "
            + "is refused, exit 1, before anything is written, each missing one named with what needs it and how to get it; "
            + MissingPrerequisites.OVERRIDE + " goes on with the same list as a warning.";

    @Option(names = MissingPrerequisites.OVERRIDE, description = "Go on when prerequisites are missing: a warning instead of the refusal "
            + "(the plugin is installed and enabled; its MCP servers fail until they are there).")
    public boolean ignore;

    /** Prints what was missing and ignored, on stderr, the same way for every command. */
    public static void warn(Env env, MissingPrerequisites ignored) {
        if (ignored.isEmpty()) {
            return;
        }
        Terminal.of(env).warning(ignored.message());
        env.err().println("  (went on because of " + MissingPrerequisites.OVERRIDE + ")");
    }
}
