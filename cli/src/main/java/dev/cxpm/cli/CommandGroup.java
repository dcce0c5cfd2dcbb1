package dev.cxpm.cli;

import picocli.CommandLine;

/**
 * A command that only groups subcommands ({@code cxpm token}, {@code cxpm registry}, ...): run alone, it prints its
 * usage, and its subcommands reach the run's {@link Env} through it.
 */
public abstract class CommandGroup implements Runnable {

    @CommandLine.ParentCommand
    Main root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The environment this run reads and prints to. */
    public Env env() {
        return root.env;
    }

    @Override
    public void run() {
        root.env.out().println(spec.commandLine().getUsageMessage());
    }
}
