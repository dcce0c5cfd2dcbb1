package dev.cxpm.cli.project;

import dev.cxpm.cli.trust.ApprovalOption;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.codexhome.PrerequisitesOption;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.core.UserError;
import dev.cxpm.core.sync.ProjectSync;
import dev.cxpm.core.sync.home.SyncStamp;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxpm sync [--frozen]}: make the Codex home match cxpm.lock (resolving and writing it when needed). */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Make the Codex home match cxpm.lock: install what is missing, update what differs, remove what the "
                + "project installed and no longer needs, leave everything else alone. Without a lockfile, or when "
                + "cxpm.toml no longer matches it, resolve and write one.",
                PrerequisitesOption.RULE + " Plugins the sync installs enabled or enables are checked, also with --frozen.",
                ApprovalOption.RULE + " With --frozen only cxpm.lock's approvals count and nobody is asked."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm sync",
                "      Install what cxpm.lock lists (resolving it first when needed).",
                "  cxpm sync --frozen",
                "      In CI: fail, changing nothing, on any drift from cxpm.lock."})
public final class SyncCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    public Main root;

    @Option(names = "--frozen", description = "For CI: fail, changing nothing, if cxpm.toml and cxpm.lock disagree, an integrity does not match, "
            + "or installed files were edited, added or deleted (with --verify too: reported, not repaired).")
    public boolean frozen;

    @Option(names = "--verify", description = "Also re-check installed plugins' files and reinstall those edited by hand.")
    public boolean verify;

    @CommandLine.Mixin
    public PrerequisitesOption prerequisites;

    @CommandLine.Mixin
    public ApprovalOption approval;

    @Option(names = "--json", description = "Print a JSON object: lockfileWritten, lockChanges [{plugin, from, to}], changes [{action, pluginId, from, "
            + "to}], plugins, warnings [{code, pluginId, problem, fix}] and missingPrerequisites (each \"PLUGIN@MARKETPLACE: what is "
            + "missing: how to get it\", what --ignore-prerequisites went on without).")
    public boolean json;

    @Override
    public Integer call() {
        ProjectContext ctx = ProjectContext.of(root.env);
        if (!json && !verify && answeredFromStamp(root.env, ctx, frozen)) {
            return ExitCodes.OK;
        }
        ProjectSync.Result r = ctx.sync().approving(approval.consent(root.env, json)).sync(new ProjectSync.Options(frozen, Set.of(), false, verify, prerequisites.ignore));
        SyncReport.print(root.env, r, json);
        return ExitCodes.OK;
    }

    /**
     * {@code cxpm sync} or {@code cxpm sync --frozen} typed as such, in a project whose Codex home is as its last sync
     * left it: answered before picocli builds anything (its model of a command costs more than the check; Main asks
     * first). Empty when the arguments are anything else or there is something to do: the command then runs as usual.
     */
    public static Optional<Integer> quickNoOp(Env env, String... args) {
        boolean plain = args.length == 1;
        boolean frozen = args.length == 2 && args[1].equals("--frozen");
        if (!plain && !frozen || !args[0].equals("sync")) {
            return Optional.empty();
        }
        try {
            return answeredFromStamp(env, ProjectContext.of(env), frozen) ? Optional.of(ExitCodes.OK) : Optional.empty();
        } catch (UserError e) {
            return Optional.empty(); // no project here: the command says so itself
        }
    }

    /**
     * Nothing changed since the last sync finished: says so without reading any file as TOML or JSON. Plain sync
     * trusts the installed files' bytes (not reading them is what the stamp saves) and says which command reads
     * them; --frozen reads them (each tree hashed once) and goes the full way, which names the drift, if any differ.
     */
    private static boolean answeredFromStamp(Env env, ProjectContext ctx, boolean frozen) {
        // the policy's files are part of what the stamp vouches for: an unchanged policy keeps this path, a changed one
        // (or one fetched from a URL, which can change with nothing changing here) goes the full way
        Optional<java.util.List<java.nio.file.Path>> policyFiles = dev.cxpm.core.policy.Policies.stampInputs(env.vars(), ctx.projectDir());
        if (policyFiles.isEmpty()) {
            return false;
        }
        Optional<Integer> unchanged = SyncStamp.upToDate(ctx.projectDir(), ctx.home(), frozen, policyFiles.get());
        if (unchanged.isEmpty()) {
            return false;
        }
        // no lambda on this path (Optional.ifPresent): a cold JVM's first one links the method-handle machinery
        env.out().println(SyncReport.alreadyInSync(unchanged.get()));
        if (!frozen) {
            env.out().println("(installed files were not re-read: `cxpm sync --verify` checks their contents)");
        }
        return true;
    }
}
