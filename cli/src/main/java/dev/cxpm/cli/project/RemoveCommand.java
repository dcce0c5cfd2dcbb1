package dev.cxpm.cli.project;

import dev.cxpm.cli.trust.ApprovalOption;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.codexhome.PrerequisitesOption;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.core.UserError;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.project.ProjectManifestEditor;
import dev.cxpm.core.sync.ProjectSync;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxpm remove PLUGIN}: take a plugin out of cxpm.toml and sync (uninstalls it unless still needed). */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = {"Remove a plugin from cxpm.toml, then sync (it is uninstalled unless another plugin still needs it).",
                "The sync applies `cxpm sync`'s prerequisite rule to what it installs or enables."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm remove linter",
                "      Take linter out of cxpm.toml and uninstall it, unless still needed."})
public final class RemoveCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main root;

    @Parameters(paramLabel = "PLUGIN", description = "The plugin, as named in cxpm.toml.")
    String name;

    @CommandLine.Mixin
    PrerequisitesOption prerequisites;

    @CommandLine.Mixin
    ApprovalOption approval;

    @Option(names = "--json", description = "Print the sync result as JSON (see `cxpm sync --help`).")
    boolean json;

    @Override
    public Integer call() {
        ProjectContext ctx = ProjectContext.of(root.env);
        ProjectManifestEditor editor = ProjectManifestEditor.open(ctx.projectDir());
        if (!editor.removePlugin(name)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "`" + name + "` is not in " + ctx.projectDir().resolve(ProjectManifest.FILE_NAME),
                    "`cxpm why " + name + "` tells which plugin brings it in");
        }
        ProjectManifest next = ProjectManifest.parse(ctx.projectDir().resolve(ProjectManifest.FILE_NAME), editor.text());
        ProjectSync.Result r = ctx.sync().approving(approval.consent(root.env, json)).sync(next, ProjectSync.Options.plain().ignoringPrerequisites(prerequisites.ignore));
        editor.write();
        if (!json) {
            root.env.out().println("Removed " + name + " from cxpm.toml.");
        }
        SyncReport.print(root.env, r, json);
        return ExitCodes.OK;
    }
}
