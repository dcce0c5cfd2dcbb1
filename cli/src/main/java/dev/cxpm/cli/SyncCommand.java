package dev.cxpm.cli;

import dev.cxpm.core.sync.ProjectSync;
import dev.cxpm.core.sync.SyncStamp;
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
        if (!json && !verify) {
            // Nothing changed since the last sync finished: say so without reading any file as TOML or JSON.
            java.util.Optional<Integer> unchanged = SyncStamp.upToDate(ctx.projectDir(), ctx.home());
            if (unchanged.isPresent()) {
                root.env.out().println(SyncReport.alreadyInSync(unchanged.get()));
                return ExitCodes.OK;
            }
        }
        ProjectSync.Result r = ctx.sync().sync(new ProjectSync.Options(frozen, Set.of(), false, verify));
        SyncReport.print(root.env, r, json);
        return ExitCodes.OK;
    }
}
