package dev.cxpm.cli.project;

import dev.cxpm.cli.trust.ApprovalOption;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.codexhome.PrerequisitesOption;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.surface.Surface;
import dev.cxpm.core.surface.SurfaceDiff;
import dev.cxpm.core.sync.ProjectSync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxpm update [PLUGIN...]}: move plugins to the newest versions their ranges allow, rewrite
 * cxpm.lock, install, and show what changed: versions, and each plugin's surface (skills, MCP servers,
 * apps added or removed) from the packed contents before and after.
 */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = {"Move plugins (all, or those named) to the newest versions within their ranges; rewrite cxpm.lock and show what changed.",
                PrerequisitesOption.RULE, ApprovalOption.RULE},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm update",
                "      Move every plugin to the newest version its range allows.",
                "  cxpm update github-triage",
                "      Move only github-triage."})
public final class UpdateCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main root;

    @Parameters(paramLabel = "PLUGIN", arity = "0..*", description = "Plugins to update (default: all).")
    List<String> plugins = List.of();

    @CommandLine.Mixin
    PrerequisitesOption prerequisites;

    @CommandLine.Mixin
    ApprovalOption approval;

    @Option(names = "--json", description = "Print the sync result as JSON (see `cxpm sync --help`).")
    boolean json;

    @Override
    public Integer call() {
        ProjectContext ctx = ProjectContext.of(root.env);
        Optional<Lockfile> before = Lockfile.readIfPresent(ctx.projectDir());
        ProjectSync.Result r = ctx.sync().approving(approval.consent(root.env, json)).sync(
                new ProjectSync.Options(false, new LinkedHashSet<>(plugins), plugins.isEmpty(), false, prerequisites.ignore));
        if (json) {
            SyncReport.print(root.env, r, true);
            return ExitCodes.OK;
        }
        if (r.lockChanges().isEmpty()) {
            root.env.out().println("Everything is at the newest version its range allows.");
        }
        for (ProjectSync.LockChange c : r.lockChanges()) {
            root.env.out().println(c.plugin() + ": " + c.from().orElse("(new)") + " -> " + c.to().orElse("(removed)"));
            LockedPlugin old = before.map(l -> l.plugins().get(c.plugin())).orElse(null);
            LockedPlugin now = r.lock().plugins().get(c.plugin());
            if (old != null && now != null) {
                surfaceChanges(ctx, old, now);
            }
        }
        SyncReport.print(root.env, r, false);
        return ExitCodes.OK;
    }

    private void surfaceChanges(ProjectContext ctx, LockedPlugin old, LockedPlugin now) {
        Path a = ctx.store().blob(old.integrity());
        Path b = ctx.store().blob(now.integrity());
        if (!Files.exists(a) || !Files.exists(b)) {
            return;
        }
        Path scratch = dev.cxpm.core.Scratch.under(ctx.store().dir(), root.env.clock());
        SurfaceDiff diff = SurfaceDiff.between(Surface.ofArchive(a, scratch), Surface.ofArchive(b, scratch));
        for (SurfaceDiff.Change ch : diff.changes()) {
            root.env.out().println("    " + ch.component().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + " " + ch.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + ch.name()
                    + (ch.detail() == null || ch.detail().isBlank() ? "" : " (" + ch.detail() + ")"));
        }
    }
}
