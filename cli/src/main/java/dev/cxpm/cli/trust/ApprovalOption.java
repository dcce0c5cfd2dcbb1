package dev.cxpm.cli.trust;

import dev.cxpm.cli.Env;
import dev.cxpm.core.approve.ApprovalRequest;
import dev.cxpm.core.approve.Consent;
import java.io.IOException;
import picocli.CommandLine.Option;

/**
 * {@code --yes}, shared by every command that installs plugins (install, add, sync, update, remove), and who answers
 * when a plugin would run something not approved: --yes, else the person at a terminal (asked y/N on stderr, the
 * default no), else nobody: never a prompt when stdin is not a terminal or the output is JSON for a program.
 */
public final class ApprovalOption {

    /** The sentence each of those commands' help states the rule with. */
    public static final String RULE = "A plugin that would run something (MCP server commands, args and env names, remote URLs, hooks, apps) "
            + "other than what was approved (cxpm.lock's `approved`, or `cxpm approve`) stops the command, exit 9, before anything "
            + "is written, showing what changed; on a terminal you are asked instead, and --yes approves what is shown.";

    @Option(names = "--yes", description = "Approve what the plugins would run without asking (recorded as `cxpm approve` records it).")
    public boolean yes;

    public Consent consent(Env env, boolean json) {
        if (yes) {
            return Consent.YES;
        }
        if (json || !env.stdin().terminal()) {
            return Consent.NOBODY;
        }
        return request -> ask(env, request);
    }

    /** Shows what runs and asks; anything but y or yes, or the end of input, is no. */
    static boolean ask(Env env, ApprovalRequest request) {
        request.describe().forEach(env.err()::println);
        env.err().print("Approve what " + request.pluginId() + " runs? [y/N] ");
        env.err().flush();
        try {
            String answer = env.stdin().lines().readLine();
            return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }
}
