package dev.cxpm.cli;

import dev.cxpm.cli.authoring.ValidateCommand;
import dev.cxpm.cli.codexhome.InstallCommand;
import dev.cxpm.cli.codexhome.ListCommand;
import dev.cxpm.cli.codexhome.PluginIdArgs;
import dev.cxpm.cli.codexhome.PrerequisitesOption;
import dev.cxpm.cli.help.HelpOption;
import dev.cxpm.cli.project.SyncCommand;
import dev.cxpm.cli.trust.ApprovalOption;
import dev.cxpm.core.install.MissingPrerequisites;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The commands CI runs one per job ({@code list}, {@code validate}, {@code install}, {@code sync}) with their everyday arguments,
 * parsed without picocli: building picocli's model of a command (its annotations, converters, help) costs a fresh
 * JVM tens of milliseconds, a quarter of such a command. Only the plain forms are taken here: each known option once,
 * positional arguments that cannot be read as anything else. Whatever else is typed (--help, an unknown, repeated or
 * abbreviated option, {@code --}, an {@code @file}, a missing or extra argument) goes to picocli, which says what
 * it says today. {@code QuickCommandsTest} runs every combination through both and compares what the user sees.
 */
final class QuickCommands {
    private QuickCommands() {
    }

    /** The command object filled in as picocli would fill it, or empty when picocli should parse the arguments. */
    static Optional<Object> parse(Main root, String[] args) {
        if (args.length == 0) {
            return Optional.empty();
        }
        List<String> rest = List.of(args).subList(1, args.length);
        if (rest.isEmpty() && (args[0].equals("--version") || args[0].equals("-V"))) {
            return version(root);
        }
        for (String a : rest) {
            if (a.startsWith("@")) {
                return Optional.empty(); // picocli reads arguments from that file
            }
        }
        return switch (args[0]) {
            case "list", "ls" -> list(root, rest);
            case "validate" -> validate(root, rest);
            case "install" -> install(root, rest);
            case "sync" -> sync(root, rest);
            default -> Optional.empty();
        };
    }

    /** The command's name as picocli's spec names it (an alias is its command's name). */
    static String name(String[] args) {
        return args[0].equals("ls") ? "list" : args[0];
    }

    /**
     * {@code cxpm --version}: the lines picocli would print from {@link Main.Version}, without its model of the root command,
     * which reads Main's annotations and so loads every command class (over half of a cold {@code --version}'s CPU).
     */
    private static Optional<Object> version(Main root) {
        return Optional.of(new PrintLines(root, new Main.Version().getVersion()));
    }

    /** A command whose whole work is printing a few lines. */
    private static final class PrintLines implements Runnable {
        private final Main root;
        private final String[] lines;

        PrintLines(Main root, String[] lines) {
            this.root = root;
            this.lines = lines;
        }

        @Override
        public void run() {
            for (String line : lines) {
                root.env.out().println(line);
            }
        }
    }

    private static Optional<Object> list(Main root, List<String> rest) {
        ListCommand c = new ListCommand();
        c.root = root;
        for (String a : rest) {
            if (!a.equals("--json") || c.json) {
                return Optional.empty();
            }
            c.json = true;
        }
        return Optional.of(c);
    }

    private static Optional<Object> validate(Main root, List<String> rest) {
        ValidateCommand c = new ValidateCommand();
        c.root = root;
        List<String> paths = new ArrayList<>();
        for (String a : rest) {
            if (a.equals("--json") && !c.json) {
                c.json = true;
            } else if (a.equals("--strict") && !c.strict) {
                c.strict = true;
            } else if (!a.startsWith("-")) {
                paths.add(a);
            } else {
                return Optional.empty();
            }
        }
        c.paths = paths.isEmpty() ? null : paths;
        return Optional.of(c);
    }

    private static Optional<Object> install(Main root, List<String> rest) {
        InstallCommand c = new InstallCommand();
        c.root = root;
        c.target = new PluginIdArgs();
        c.help = new HelpOption();
        c.prerequisites = new PrerequisitesOption();
        c.approval = new ApprovalOption();
        for (String a : rest) {
            if (a.equals("--json") && !c.json) {
                c.json = true;
            } else if (!a.startsWith("-") && c.target.plugin == null) {
                c.target.plugin = a;
            } else {
                return Optional.empty();
            }
        }
        return c.target.plugin == null ? Optional.empty() : Optional.of(c);
    }

    private static Optional<Object> sync(Main root, List<String> rest) {
        SyncCommand c = new SyncCommand();
        c.root = root;
        c.prerequisites = new PrerequisitesOption();
        c.approval = new ApprovalOption();
        for (String a : rest) {
            if (a.equals("--frozen") && !c.frozen) {
                c.frozen = true;
            } else if (a.equals("--verify") && !c.verify) {
                c.verify = true;
            } else if (a.equals("--json") && !c.json) {
                c.json = true;
            } else if (a.equals("--yes") && !c.approval.yes) {
                c.approval.yes = true;
            } else if (a.equals(MissingPrerequisites.OVERRIDE) && !c.prerequisites.ignore) {
                c.prerequisites.ignore = true;
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(c);
    }
}
