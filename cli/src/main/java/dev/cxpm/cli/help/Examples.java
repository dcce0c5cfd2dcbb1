package dev.cxpm.cli.help;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The examples a command shows under "Examples:" at the end of its {@code --help}: each a {@code "  cxpm ..."}
 * line of its footer, followed by an indented line that says what it does. Written once, in the command's
 * class, and read from there by the help, the man pages ({@link ManPages}) and the test that parses each one.
 */
public final class Examples {
    public static final String HEADING = "%nExamples:%n";

    /**
     * What every command's exit code means (README.md's table, "Exit codes", has each one's {@code --json} name): the
     * last lines of every help, after the examples ({@code CommandTree} adds them to each command's).
     */
    public static final String EXIT_CODES = "Exit codes: 0 ok, 1 invalid input or failed check, 2 bad usage, 3 not found,%n"
            + "4 network, 5 integrity, 6 conflict or locked, 7 file system, 8 blocked by policy, 9 not approved (cxpm approve), 70 internal error,%n"
            + "141 stdout's reader went away (| head).";

    record Example(String commandLine, String explanation) {
    }

    private Examples() {
    }

    static List<Example> of(CommandSpec spec) {
        List<Example> examples = new ArrayList<>();
        String command = null;
        List<String> explanation = new ArrayList<>();
        for (String line : spec.usageMessage().footer()) {
            if (line.startsWith("  cxpm")) {
                if (command != null) {
                    examples.add(new Example(command, String.join(" ", explanation)));
                }
                command = line.strip();
                explanation.clear();
            } else if (command != null && line.startsWith("    ") && !line.isBlank()) {
                explanation.add(line.strip());
            } else if (command != null) {
                break; // the examples end where the footer's other text (Main's exit codes) starts
            }
        }
        if (command != null) {
            examples.add(new Example(command, String.join(" ", explanation)));
        }
        return examples;
    }
}
