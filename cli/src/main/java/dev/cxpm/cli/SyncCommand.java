package dev.cxpm.cli;

import dev.cxpm.core.UserError;
import dev.cxpm.core.sync.ProjectSync;
import dev.cxpm.core.sync.SyncStamp;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxpm sync [--frozen]}: make the Codex home match cxpm.lock (resolving and writing it when needed). */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Make the Codex home match cxpm.lock: install what is missing, update what differs, remove what the "
                + "project installed and no longer needs, leave everything else alone. Without a lockfile (or when it "
                + "no longer matches cxpm.toml), resolve and write one."})
public final class SyncCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main root;

    @Option(names = "--frozen", description = "For CI: fail, changing nothing, if cxpm.toml and cxpm.lock disagree, an integrity does not match, "
            + "or installed files were edited, added or deleted (with --verify too: reported, not repaired).")
    boolean frozen;

    @Option(names = "--verify", description = "Also re-check installed plugins' files and reinstall those edited by hand.")
    boolean verify;

    @Option(names = "--json", description = "Print {lockfileWritten, lockChanges:[{plugin,from,to}], changes:[{action,pluginId,from,to}], plugins}.")
    boolean json;

    @Override
    public Integer call() {
        ProjectContext ctx = ProjectContext.of(root.env);
        if (!json && !verify && !frozen && answeredFromStamp(root.env, ctx)) {
            return ExitCodes.OK;
        }
        ProjectSync.Result r = ctx.sync().sync(new ProjectSync.Options(frozen, Set.of(), false, verify));
        SyncReport.print(root.env, r, json);
        return ExitCodes.OK;
    }

    /**
     * {@code cxpm sync} typed as such, in a project whose Codex home is as its last sync
     * left it: answered before picocli builds anything (its model of a command costs more than the check; Main asks
     * first). Empty when the arguments are anything else or there is something to do: the command then runs as usual.
     */
    static Optional<Integer> quickNoOp(Env env, String... args) {
        if (args.length != 1 || !args[0].equals("sync")) {
            return Optional.empty();
        }
        try {
            return answeredFromStamp(env, ProjectContext.of(env)) ? Optional.of(ExitCodes.OK) : Optional.empty();
        } catch (UserError e) {
            return Optional.empty(); // no project here: the command says so itself
        }
    }

    /**
     * Nothing changed since the last sync finished: says so without reading any file as TOML or JSON. The stamp
     * does not vouch for the installed files' bytes (reading them is what it saves), so --frozen never answers
     * from it, and the answer says which command does read them.
     */
    private static boolean answeredFromStamp(Env env, ProjectContext ctx) {
        Optional<Integer> unchanged = SyncStamp.upToDate(ctx.projectDir(), ctx.home());
        unchanged.ifPresent(n -> {
            env.out().println(SyncReport.alreadyInSync(n));
            env.out().println("(installed files were not re-read: `cxpm sync --verify` checks their contents)");
        });
        return unchanged.isPresent();
    }
}
