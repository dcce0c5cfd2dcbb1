package dev.cxpm.cli;

import dev.cxpm.cli.help.Examples;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Builds the picocli command tree for one run. picocli reflects over every command class listed in
 * {@link Main}'s {@code subcommands} before it parses anything, a cost that grows with each command
 * while a run only ever uses one. So when the arguments name a subcommand (or ask only for
 * {@code --version}), the tree holds just the root's own options and that subcommand; anything else
 * ({@code --help}, {@code help}, no or unknown command) gets the full tree, so usage and error messages
 * stay picocli's own. Main's {@code subcommands} list stays the one place commands are registered.
 */
public final class CommandTree {
    private CommandTree() {
    }

    static CommandLine forArgs(Main root, String[] args) {
        String first = null;
        boolean versionOnly = false;
        for (String arg : args) {
            if (arg.equals("--debug")) {
                continue;
            }
            if (arg.equals("--version") || arg.equals("-V")) {
                versionOnly = true;
                continue;
            }
            first = arg;
            break;
        }
        if (first == null) {
            return versionOnly ? leanRoot(root) : full(root);
        }
        if (versionOnly) {
            return full(root);
        }
        Class<?> sub = subcommands().get(first);
        if (sub == null) {
            return full(root);
        }
        CommandLine rootLine = leanRoot(root);
        CommandLine subLine = new CommandLine(sub);
        injectParent(subLine.getCommandSpec().userObject(), root);
        rootLine.addSubcommand(sub.getAnnotation(Command.class).name(), subLine); // its aliases come along
        endWithExitCodes(subLine);
        return rootLine;
    }

    /** Every help ends with what the exit codes mean, as the root's does: each subcommand's (and theirs) gets the lines. */
    private static void endWithExitCodes(CommandLine cl) {
        var usage = cl.getCommandSpec().usageMessage();
        String[] footer = usage.footer();
        String[] withCodes = java.util.Arrays.copyOf(footer, footer.length + 2);
        withCodes[footer.length] = "";
        withCodes[footer.length + 1] = Examples.EXIT_CODES;
        usage.footer(withCodes);
        subcommandsEndWithExitCodes(cl);
    }

    private static void subcommandsEndWithExitCodes(CommandLine parent) {
        for (CommandLine sub : new java.util.LinkedHashSet<>(parent.getSubcommands().values())) { // an alias: the same command, once
            endWithExitCodes(sub);
        }
    }

    /** Every command, as help, completion and the man pages describe them. */
    public static CommandLine full(Main root) {
        CommandLine cl = new CommandLine(root);
        // picocli's own help command, whose class cannot carry our examples
        cl.getSubcommands().get("help").getCommandSpec().usageMessage()
                .footerHeading(Examples.HEADING)
                .footer("  cxpm help install", "      Show the help of install, as cxpm install --help does.");
        subcommandsEndWithExitCodes(cl); // the root's footer has them already
        return cl;
    }

    /** Names and aliases of Main's subcommands, read from the annotations alone (cheap), {@code help} excluded. */
    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> byName = new HashMap<>();
        for (Class<?> sub : Main.class.getAnnotation(Command.class).subcommands()) {
            Command c = sub.getAnnotation(Command.class);
            if (c == null || sub == CommandLine.HelpCommand.class) {
                continue; // help lists or describes every command: it needs the full tree
            }
            byName.put(c.name(), sub);
            for (String alias : c.aliases()) {
                byName.put(alias, sub);
            }
        }
        return byName;
    }

    /** The root as Main's annotations declare it, minus the subcommands: name, --help/--version, --debug. */
    private static CommandLine leanRoot(Main root) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(root)
                .name(Main.class.getAnnotation(Command.class).name())
                .mixinStandardHelpOptions(true)
                .versionProvider(new Main.Version());
        spec.addOption(OptionSpec.builder("--debug")
                .type(boolean.class)
                .arity("0")
                .description("Show stack traces of internal errors.")
                .scopeType(CommandLine.ScopeType.INHERIT)
                .setter(new CommandLine.Model.ISetter() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> T set(T value) {
                        boolean previous = root.debug;
                        root.debug = Boolean.TRUE.equals(value);
                        return (T) Boolean.valueOf(previous);
                    }
                })
                .getter(new CommandLine.Model.IGetter() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> T get() {
                        return (T) Boolean.valueOf(root.debug);
                    }
                })
                .build());
        return new CommandLine(spec);
    }

    /** What picocli does for {@code @ParentCommand} fields when it builds the full tree. */
    private static void injectParent(Object command, Main root) {
        for (Class<?> c = command.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(CommandLine.ParentCommand.class) && f.getType().isInstance(root)) {
                    try {
                        f.setAccessible(true);
                        f.set(command, root);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("cannot set @ParentCommand " + f, e);
                    }
                }
            }
        }
    }
}
