package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --help} works on every command and subcommand, walked from picocli's own model of {@link Main}, so a
 * command added later (or an option that collides with {@code -h/--help/-V/--version}) is covered without
 * anyone remembering to list it here.
 */
class HelpEverywhereTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandAndSubcommandPrintsItsUsageAndExitsZero() {
        List<List<String>> paths = new ArrayList<>();
        walk(new CommandLine(new Main(null)), new ArrayList<>(), paths);
        assertThat(paths).as("the walk found the commands").hasSizeGreaterThan(30);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun r = CliRun.in(dir, args.toArray(String[]::new));
            String shown = "cxpm " + String.join(" ", args);
            assertThat(r.exitCode()).as(shown + "\nstderr: " + r.stderr()).isZero();
            assertThat(r.stdout()).as(shown).contains("Usage: " + String.join(" ", qualified(path)));
        }
    }

    private static List<String> qualified(List<String> path) {
        List<String> q = new ArrayList<>();
        q.add("cxpm");
        q.addAll(path);
        return q;
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        for (var e : cl.getSubcommands().entrySet()) {
            if (!e.getKey().equals(e.getValue().getCommandName())) {
                continue; // an alias: the command is walked under its own name
            }
            List<String> sub = new ArrayList<>(path);
            sub.add(e.getKey());
            walk(e.getValue(), sub, out);
        }
    }
}
