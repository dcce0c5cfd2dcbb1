package dev.cxpm.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.output.Terminal;
import dev.cxpm.core.UserError;
import picocli.CommandLine;

/**
 * A failure as the user sees it: {@code error:} and {@code hint:} lines on stderr, or, when they asked the
 * command for {@code --json}, one {@code {"error": {"code", "message", "hint"}}} object on stdout (a policy refusal adds
 * {@code blocked}: each refused thing with its rule, file and line), so a script
 * that parses stdout reads its failures too. The exit code is the same either way; {@code code} is the stable
 * name of that exit code's kind (README's exit-code table).
 */
public record Failure(String code, String message, String hint, java.util.List<UserError.Blocked> blocked) {

    public Failure(String code, String message, String hint) {
        this(code, message, hint, java.util.List.of());
    }

    public static Failure of(UserError e) {
        return new Failure(ExitCodes.name(e.kind()), e.getMessage(), e.hint(), e.blocked());
    }

    /**
     * The failed command has a {@code --json} option and the user typed it (before any {@code --}). Read from
     * the arguments, not the parse result, because a usage error has no complete parse result.
     */
    static boolean jsonAsked(CommandLine failed, String[] args) {
        if (failed == null || failed.getCommandSpec().findOption("--json") == null) {
            return false;
        }
        return jsonTyped(args);
    }

    /**
     * The user typed {@code --json} anywhere before {@code --}: what decides the shape of a failure found before
     * picocli knows the command (a name that is not UTF-8, an unknown command or option), since a script that
     * asked for JSON parses stdout whichever command turned out to fail.
     */
    static boolean jsonTyped(String[] args) {
        return typed(args, "--json");
    }

    /** Whether the option was typed as an option (before a {@code --} that ends them), whichever command it follows. */
    static boolean typed(String[] args, String option) {
        // a loop, not a stream: every command on a fresh JVM asks this first, and a stream's lambdas are linked then
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals(option)) {
                return true;
            }
        }
        return false;
    }

    /** Adds the {@code error} member to a command's own JSON report, so that stdout stays one JSON object. */
    public ObjectNode addTo(ObjectNode report) {
        ObjectNode error = report.putObject("error").put("code", code).put("message", message).put("hint", hint);
        if (!blocked.isEmpty()) { // what a policy refused: the rule and the file (and line) that says so, for each thing
            var list = error.putArray("blocked");
            blocked.forEach(b -> list.addObject().put("subject", b.subject()).put("rule", b.rule()).put("file", b.file())
                    .put("line", b.line()).put("reason", b.reason()));
        }
        return report;
    }

    public void print(Env env, boolean json) {
        if (json) {
            env.out().println(JsonOutput.pretty(addTo(JsonOutput.object())));
            env.out().flush();
            return;
        }
        Terminal terminal = Terminal.of(env);
        terminal.error(message);
        if (hint != null) {
            terminal.hint(hint);
        }
    }
}
