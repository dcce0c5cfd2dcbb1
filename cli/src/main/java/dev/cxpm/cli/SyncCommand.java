package dev.cxpm.cli;

import dev.cxpm.core.sync.ProjectSync;
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

    @Option(names = "--frozen", description = "For CI: fail, changing nothing, if cxpm.toml and cxpm.lock disagree or an integrity does not match.")
    boolean frozen;

    @Option(names = "--verify", description = "Also re-check installed plugins' files and reinstall those edited by hand.")
    boolean verify;

    @Option(names = "--json", description = "Print {lockfileWritten, lockChanges:[{plugin,from,to}], changes:[{action,pluginId,from,to}], plugins}.")
    boolean json;

    @Override
    public Integer call() {
        ProjectContext ctx = ProjectContext.of(root.env);
        ProjectSync.Result r = ctx.sync().sync(new ProjectSync.Options(frozen, Set.of(), false, verify));
        SyncReport.print(root.env, r, json);
        return ExitCodes.OK;
    }
}
