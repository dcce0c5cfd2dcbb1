package dev.cxpm.cli;

import dev.cxpm.cli.admin.AdvisoryCommand;
import dev.cxpm.cli.admin.DeprecateCommand;
import dev.cxpm.cli.admin.LoginCommand;
import dev.cxpm.cli.admin.OwnerCommand;
import dev.cxpm.cli.admin.TokenCommand;
import dev.cxpm.cli.admin.YankCommand;
import dev.cxpm.cli.authoring.DiffCommand;
import dev.cxpm.cli.authoring.InitCommand;
import dev.cxpm.cli.authoring.PackCommand;
import dev.cxpm.cli.authoring.PublishCommand;
import dev.cxpm.cli.authoring.ValidateCommand;
import dev.cxpm.cli.authoring.VersionCommand;
import dev.cxpm.cli.codexhome.DisableCommand;
import dev.cxpm.cli.codexhome.EnableCommand;
import dev.cxpm.cli.codexhome.InfoCommand;
import dev.cxpm.cli.codexhome.InstallCommand;
import dev.cxpm.cli.codexhome.ListCommand;
import dev.cxpm.cli.codexhome.MarketplaceCommand;
import dev.cxpm.cli.codexhome.SearchCommand;
import dev.cxpm.cli.codexhome.UninstallCommand;
import dev.cxpm.cli.help.CompletionCommand;
import dev.cxpm.cli.help.DidYouMean;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.Terminal;
import dev.cxpm.cli.project.AddCommand;
import dev.cxpm.cli.project.DoctorCommand;
import dev.cxpm.cli.project.OutdatedCommand;
import dev.cxpm.cli.project.RemoveCommand;
import dev.cxpm.cli.project.SyncCommand;
import dev.cxpm.cli.project.UpdateCommand;
import dev.cxpm.cli.project.WhyCommand;
import dev.cxpm.cli.registry.RegistryCommand;
import dev.cxpm.cli.registry.ServeCommand;
import dev.cxpm.cli.trust.ApproveCommand;
import dev.cxpm.cli.trust.AuditCommand;
import dev.cxpm.cli.trust.PolicyCommand;
import dev.cxpm.core.UserError;
import java.io.UncheckedIOException;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code cxpm} command: its global options and the list of subcommands. */
@Command(name = "cxpm",
        description = "Package manager and registry for Codex plugins.",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        subcommands = {CommandLine.HelpCommand.class, MarketplaceCommand.class, InstallCommand.class, UninstallCommand.class, ListCommand.class, EnableCommand.class, DisableCommand.class, SearchCommand.class, InfoCommand.class, PackCommand.class, VersionCommand.class, InitCommand.class, WhyCommand.class,
                ServeCommand.class, TokenCommand.class, LoginCommand.class, PublishCommand.class, YankCommand.class,
                DeprecateCommand.class, OwnerCommand.class, AdvisoryCommand.class, RegistryCommand.class,
                DiffCommand.class,
                ValidateCommand.class,
                SyncCommand.class, AddCommand.class, RemoveCommand.class, OutdatedCommand.class, UpdateCommand.class,
                DoctorCommand.class, AuditCommand.class, ConfigCommand.class, PolicyCommand.class, CompletionCommand.class, ApproveCommand.class},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm install github-triage@team",
                "      Install a plugin from the marketplace named team.",
                "  cxpm search review",
                "      Find plugins about review in every configured marketplace.",
                "  cxpm help sync",
                "      Show what a command does, its options and examples.",
                "", Examples.EXIT_CODES})
public final class Main implements Runnable {

    @Option(names = "--debug", description = "Show stack traces of internal errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    public final Env env;

    /** The environment this run reads and prints to, for commands in sub-packages. */
    public Env env() {
        return env;
    }

    public Main(Env env) {
        this.env = env;
    }

    @Override
    public void run() {
        env.out().println(new CommandLine(this).getUsageMessage());
    }

    public static void main(String[] args) {
        Env env;
        try {
            env = Env.system();
        } catch (UserError e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("hint: " + e.hint());
            System.exit(ExitCodes.of(e.kind()));
            return;
        }
        int code = run(env, args);
        if (env.out().checkError()) { // flushes; a write to a pipe nobody reads failed (the JVM ignores SIGPIPE)
            code = ExitCodes.BROKEN_PIPE;
        }
        if (code != ExitCodes.OK || othersRunning()) {
            System.exit(code);
        }
        // Exit 0 by returning: the JVM then ends as main does, without Runtime.exit's logging set-up (JDK 21+), which
        // looks for a logging provider in every jar on the class path: 19 jars opened and read, ~15 ms of every
        // command that succeeded, and none of it used.
    }

    /** Whether a thread that keeps the JVM alive is still running: then returning from main would wait for it. */
    private static boolean othersRunning() {
        Thread[] threads = new Thread[Thread.activeCount() + 8];
        int n = Thread.enumerate(threads);
        for (int i = 0; i < n; i++) {
            if (threads[i] != Thread.currentThread() && !threads[i].isDaemon() && threads[i].isAlive()) {
                return true;
            }
        }
        return n == threads.length; // more than the array held: cannot tell
    }

    /**
     * Runs cxpm as the shell would, with the given environment; returns the exit code. Never throws: whatever
     * escapes a command, an {@link Error} too (a stack overflow, running out of memory), is an internal error
     * (exit 70) told in one line, its stack trace only with {@code --debug}.
     */
    public static int run(Env env, String... args) {
        return run(env, true, args);
    }

    /** As {@link #run(Env, String...)}; quick false parses every command with picocli (QuickCommandsTest compares). */
    static int run(Env env, boolean quick, String... args) {
        try {
            return runCommand(env, quick, args);
        } catch (Throwable t) {
            // Thrown before picocli ran a command (or by its handlers): only the arguments say what was asked.
            String command = "cxpm" + (args.length > 0 && !args[0].startsWith("-") ? " " + args[0] : "");
            return internalError(env, t, command, Failure.jsonTyped(args), Failure.typed(args, "--debug"));
        }
    }

    private static int runCommand(Env env, boolean quick, String... args) {
        Optional<UserError> unnamed = PathNames.undecodable(env, args);
        if (unnamed.isPresent()) {
            Failure.of(unnamed.get()).print(env, Failure.jsonTyped(args));
            return ExitCodes.of(unnamed.get().kind());
        }
        if (Failure.jsonTyped(args)) {
            env = env.with(Env.Stderr.JSON); // output for a program: no colour, no progress line
        } else {
            env = env.printable(); // output for people: no terminal control from a manifest or a marketplace reaches them
        }
        return parseAndRun(env, quick, args);
    }

    private static int parseAndRun(Env env, boolean quick, String... args) {
        Optional<Integer> noOp = SyncCommand.quickNoOp(env, args); // the commonest team command, before picocli
        if (noOp.isPresent()) {
            env.out().flush();
            return noOp.get();
        }
        Main root = new Main(env);
        Optional<Object> parsed = quick ? QuickCommands.parse(root, args) : Optional.empty();
        if (parsed.isPresent()) {
            return runQuick(root, parsed.get(), args);
        }
        CommandLine cl = CommandTree.forArgs(root, args);
        cl.setOut(env.out());
        cl.setErr(env.err());
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> handle(root, ex, line.getCommandSpec().qualifiedName(),
                Failure.jsonAsked(line, args)));
        cl.setParameterExceptionHandler((ex, args1) -> {
            DidYouMean.Report report = DidYouMean.of(ex);
            CommandLine failed = ex.getCommandLine();
            String help = failed.getCommandSpec().qualifiedName() + " --help";
            if (Failure.jsonTyped(args)) {
                String hint = report.hint().orElse("run '" + help + "' for usage");
                new Failure(ExitCodes.name(UserError.Kind.USAGE), report.error(), hint).print(env, true);
                return ExitCodes.USAGE;
            }
            Terminal terminal = Terminal.of(env);
            terminal.error(report.error());
            report.hint().ifPresent(terminal::hint);
            env.err().println("Run '" + help + "' for usage.");
            env.err().flush();
            return ExitCodes.USAGE;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (Throwable t) {
            // picocli hands only Exceptions to the handler above; an Error (StackOverflowError, OutOfMemoryError) ends here.
            CommandLine failed = failedCommand(cl);
            return internalError(env, t, failed.getCommandSpec().qualifiedName(), Failure.jsonAsked(failed, args), root.debug);
        }
        env.out().flush();
        env.err().flush();
        return code;
    }

    /**
     * A command {@link QuickCommands} parsed, run as picocli runs it: the same exit codes, the same failures on the
     * same streams (the command has --json, so a failure is JSON when it was typed).
     */
    private static int runQuick(Main root, Object command, String[] args) {
        Env env = root.env;
        String name = "cxpm " + QuickCommands.name(args);
        int code;
        try {
            if (command instanceof java.util.concurrent.Callable<?> callable) {
                code = (Integer) callable.call();
            } else {
                ((Runnable) command).run();
                code = ExitCodes.OK;
            }
        } catch (Exception ex) {
            code = handle(root, ex, name, Failure.jsonTyped(args));
        } catch (Throwable t) {
            return internalError(env, t, name, Failure.jsonTyped(args), root.debug);
        }
        env.out().flush();
        env.err().flush();
        return code;
    }

    private static int handle(Main root, Exception ex, String failed, boolean json) {
        Env env = root.env;
        if (ex instanceof UserError ue) {
            Failure.of(ue).print(env, json);
            if (root.debug && ue.getCause() != null) {
                ue.getCause().printStackTrace(env.err());
            }
            env.err().flush();
            return ExitCodes.of(ue.kind());
        }
        if (ex instanceof UncheckedIOException io) {
            new Failure(ExitCodes.name(UserError.Kind.IO), io.getCause().getMessage(), null).print(env, json);
            return ExitCodes.IO;
        }
        return internalError(env, ex, failed, json, root.debug);
    }

    /** The subcommand picocli was running (the root when parsing never got that far). */
    private static CommandLine failedCommand(CommandLine root) {
        CommandLine.ParseResult r = root.getParseResult();
        if (r == null) {
            return root;
        }
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return r.commandSpec().commandLine();
    }

    /**
     * A bug in cxpm, or the JVM giving out (a stack overflow, no memory left): one line naming the command and
     * what was thrown, a hint to report it, exit 70; the stack trace only with --debug. Printing is best effort:
     * after an OutOfMemoryError even that may fail, and the exit code must still be 70.
     */
    static int internalError(Env env, Throwable t, String command, boolean json, boolean debug) {
        try {
            String what = "`" + command + "` threw " + t.toString().replaceAll("\\s*\\R\\s*", " ");
            String hint = "this is a bug in cxpm: please report it with what `" + command + " --debug` prints";
            if (json) {
                new Failure("internal", "internal error: " + what, hint).print(env, true);
            } else {
                Terminal.of(env).internalError(what);
                Terminal.of(env).hint(hint);
            }
            if (debug) {
                t.printStackTrace(env.err());
            }
            env.out().flush();
            env.err().flush();
        } catch (Throwable ignored) {
            // nothing more can be said; the exit code still says it
        }
        return ExitCodes.INTERNAL;
    }

    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cxpm " + BuildVersion.VERSION};
        }
    }
}
