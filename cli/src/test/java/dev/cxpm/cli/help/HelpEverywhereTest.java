package dev.cxpm.cli.help;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.cxpm.cli.CommandTree;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.fixtures.CliRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --help} works on every command and subcommand, walked from picocli's own model of {@link Main}, so a
 * command added later (or an option that collides with {@code -h/--help/-V/--version}) is covered without
 * anyone remembering to list it here. Each help names every option, ends with examples that parse and the exit codes,
 * and no sentence is cut; each command with {@code --json} prints one JSON document even when it fails.
 */
class HelpEverywhereTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandAndSubcommandPrintsItsUsageAndExitsZero() {
        for (List<String> path : commandPaths()) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun r = CliRun.in(dir, args.toArray(String[]::new));
            String shown = "cxpm " + String.join(" ", args);
            assertThat(r.exitCode()).as(shown + "\nstderr: " + r.stderr()).isZero();
            assertThat(r.stdout()).as(shown).contains("Usage: " + String.join(" ", qualified(path)));
            // it names every option and parameter the command takes, and says what its exit codes mean
            CommandSpec spec = spec(path);
            for (ArgSpec arg : allArgs(spec)) {
                if (!arg.hidden()) {
                    String name = arg instanceof CommandLine.Model.OptionSpec o ? o.longestName() : arg.paramLabel();
                    assertThat(r.stdout()).as(shown + " names " + name).contains(name);
                }
            }
            // every exit code, to the last (picocli may wrap the lines at another place than EXIT_CODES does)
            assertThat(oneLine(r.stdout())).as(shown).endsWith(oneLine(String.format(Examples.EXIT_CODES)));
        }
    }

    /**
     * The walk above sees what Main's tree holds: a command class written but wired in nowhere (or only in a
     * code path the walk does not take) would have no help test. Every class of cxpm's own code that picocli's
     * {@code @Command} marks is a command (or a mixin of one) in that tree.
     */
    @Test
    void everyCommandClassIsInTheTreeTheHelpTestsWalk() throws Exception {
        java.util.Set<Class<?>> inTree = new java.util.HashSet<>();
        java.util.Deque<CommandLine> todo = new java.util.ArrayDeque<>(List.of(CommandTree.full(new Main(null))));
        while (!todo.isEmpty()) {
            CommandLine cl = todo.pop();
            CommandSpec spec = cl.getCommandSpec();
            if (spec.userObject() != null) {
                inTree.add(spec.userObject().getClass());
            }
            spec.mixins().values().forEach(m -> inTree.add(m.userObject().getClass()));
            todo.addAll(cl.getSubcommands().values());
        }
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> missing = new ArrayList<>();
        int commands = 0;
        try (var files = java.nio.file.Files.walk(classes.resolve("dev/cxpm"))) { // not picocli's own, compiled in with ours
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, Main.class.getClassLoader());
                if (c.isAnnotationPresent(CommandLine.Command.class)) {
                    commands++;
                    if (!inTree.contains(c)) {
                        missing.add(name);
                    }
                }
            }
        }
        assertThat(commands).as("@Command classes found under " + classes).isGreaterThan(30);
        assertThat(missing).as("@Command classes the help tests never reach").isEmpty();
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    /**
     * A program that passes --json reads one JSON document on stdout whatever happens, as {@code npm --json} does on an
     * error: each command that takes --json, run bare in an empty directory (most then lack an argument, a project, a
     * login or a registry), prints exactly one.
     */
    @Test
    void everyCommandWithJsonPrintsOneJsonDocumentEvenWhenItFails() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        int checked = 0;
        for (List<String> path : commandPaths()) {
            if (spec(path).findOption("--json") == null) {
                continue;
            }
            List<String> args = new ArrayList<>(path);
            args.add("--json");
            Path here = java.nio.file.Files.createDirectories(dir.resolve(String.join("-", path)));
            CliRun r = CliRun.in(here, args.toArray(String[]::new));
            String shown = "cxpm " + String.join(" ", args) + " (exit " + r.exitCode() + ")\nstdout: " + r.stdout() + "\nstderr: " + r.stderr();
            try (com.fasterxml.jackson.core.JsonParser parser = json.createParser(r.stdout())) {
                com.fasterxml.jackson.databind.JsonNode document = json.readTree(parser);
                assertThat(document).as(shown).isNotNull();
                assertThat(parser.nextToken()).as(shown + "\nnothing after the one document").isNull();
            }
            checked++;
        }
        assertThat(checked).as("commands with --json").isGreaterThan(30);
    }

    @Test
    void everyHelpShowsOneToThreeExamplesOfThatCommandThatParse() {
        CommandLine parser = CommandTree.full(new Main(null)); // picocli clears what a parse set before the next one
        for (List<String> path : commandPaths()) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun r = CliRun.in(dir, args.toArray(String[]::new));
            String shown = "cxpm " + String.join(" ", args);
            assertThat(r.stdout()).as(shown).contains("\nExamples:\n");
            List<String> examples = Examples.of(spec(path)).stream().map(Examples.Example::commandLine).toList();
            assertThat(examples).as(shown).hasSizeBetween(1, 3);
            String self = String.join(" ", qualified(path));
            for (String example : examples) {
                assertThat(r.stdout()).as(shown).contains(example);
                List<String> words = words(example);
                assertThat(String.join(" ", words) + " ").as(example).startsWith(self + " ");
                // each example parses as the real command line would: a wrong option or command name fails here
                assertThatCode(() -> parser.parseArgs(words.subList(1, words.size()).toArray(String[]::new)))
                        .as(example).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void noDescriptionIsCutMidSentence() {
        List<String> cut = new ArrayList<>();
        for (List<String> path : commandPaths()) {
            CommandSpec spec = spec(path);
            String self = String.join(" ", qualified(path));
            for (String line : spec.usageMessage().description()) {
                if (!endsASentence(line)) {
                    cut.add(self + ": " + line);
                }
            }
            for (ArgSpec arg : allArgs(spec)) {
                for (String line : arg.description()) {
                    if (!endsASentence(line)) {
                        cut.add(self + " " + arg.paramLabel() + ": " + line);
                    }
                }
            }
        }
        assertThat(cut).as("description lines that stop mid-sentence (the command list shows only the first)").isEmpty();
    }

    @Test
    void noWordOfADescriptionIsBrokenAcrossLines() {
        // picocli wraps at the line-break opportunities of java.text.BreakIterator, which include a dot or colon
        // inside a word: "~1.2.3" could print as "~1." and "2.3" on the next line
        List<String> broken = new ArrayList<>();
        for (List<String> path : commandPaths()) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            String out = CliRun.in(dir, args.toArray(String[]::new)).stdout();
            CommandSpec spec = spec(path);
            List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
            spec.options().forEach(o -> texts.addAll(List.of(o.description())));
            spec.positionalParameters().forEach(p -> texts.addAll(List.of(p.description())));
            for (String text : texts) {
                for (String word : text.split("\\s+")) {
                    if (word.length() > 1 && !word.contains("%") && !out.contains(word)) {
                        broken.add(String.join(" ", args) + ": " + word);
                    }
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void noHelpLineIsTruncated() {
        for (List<String> path : commandPaths()) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            String out = CliRun.in(dir, args.toArray(String[]::new)).stdout();
            // "QUERY..." is picocli's sign of a repeatable parameter, "password=..." a placeholder; "word..." is text cut short
            assertThat(out.lines().filter(l -> l.stripTrailing().matches(".*[a-z,;]\\.\\.\\.")).toList()).as(String.join(" ", args)).isEmpty();
        }
    }

    /** The words a shell would pass to cxpm: quotes removed, up to a redirection, pipe or comment. */
    static List<String> words(String commandLine) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : commandLine.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (word == null && (c == '>' || c == '|' || c == '<' || c == '#')) {
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null && quote == 0) {
            words.add(word.toString());
        }
        assertThat(quote).as("quotes closed in " + commandLine).isEqualTo((char) 0);
        return words;
    }

    private static boolean endsASentence(String line) {
        String s = line.replace("%n", "").strip(); // picocli's line break
        return s.isEmpty() || s.matches("(?s).*[.:!?][)\"'`]*");
    }

    private static List<ArgSpec> allArgs(CommandSpec spec) {
        List<ArgSpec> args = new ArrayList<>(spec.options());
        args.addAll(spec.positionalParameters());
        return args;
    }

    private static CommandSpec spec(List<String> path) {
        CommandLine cl = CommandTree.full(new Main(null));
        for (String name : path) {
            cl = cl.getSubcommands().get(name);
        }
        return cl.getCommandSpec();
    }

    static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        walk(CommandTree.full(new Main(null)), new ArrayList<>(), paths);
        assertThat(paths).as("the walk found the commands").hasSizeGreaterThan(30);
        return paths;
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
