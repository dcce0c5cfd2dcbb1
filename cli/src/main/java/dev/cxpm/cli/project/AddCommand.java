package dev.cxpm.cli.project;

import dev.cxpm.cli.trust.ApprovalOption;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.codexhome.PluginSpec;
import dev.cxpm.cli.codexhome.PrerequisitesOption;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.help.HelpOption;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.PluginName;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.install.InstallTarget;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.project.ProjectManifestEditor;
import dev.cxpm.core.resolve.PluginRelease;
import dev.cxpm.core.resolve.VersionRange;
import dev.cxpm.core.sync.ProjectIndex;
import dev.cxpm.core.sync.ProjectSync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxpm add PLUGIN[@MARKETPLACE] [--version RANGE]}: declare a plugin in cxpm.toml and sync. Without
 * a range, the newest available version is taken and saved as {@code ^X.Y.Z} (npm's default). A
 * marketplace named here that the Codex home knows but cxpm.toml does not is declared too, so a teammate's
 * sync finds it. cxpm.toml is only written when the sync succeeded.
 */
@Command(name = "add",
        description = {"Add a plugin to cxpm.toml, then sync (install it and lock it); cxpm.toml is written only when the sync succeeded.",
                PrerequisitesOption.RULE, ApprovalOption.RULE},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm add github-triage@team",
                "      Declare it in cxpm.toml with ^ of its newest version, then sync.",
                "  cxpm add linter --version ~2.0 --disabled",
                "      Declare linter 2.0.x, installed but disabled."})
public final class AddCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Main root;

    @CommandLine.Mixin
    HelpOption help;

    @Parameters(paramLabel = "PLUGIN[@MARKETPLACE]", description = "The plugin, optionally pinned to a marketplace.")
    String spec;

    @Option(names = "--version", paramLabel = "RANGE", description = "npm-style range: ^1.2, ~1.2.3, 1.x, 1.2.3 (default: ^ of the newest).")
    String version;

    @Option(names = "--disabled", description = "Install it disabled (enabled = false in cxpm.toml).")
    boolean disabled;

    @CommandLine.Mixin
    PrerequisitesOption prerequisites;

    @CommandLine.Mixin
    ApprovalOption approval;

    @Option(names = "--json", description = "Print the sync result as JSON (see `cxpm sync --help`).")
    boolean json;

    @Override
    public Integer call() {
        PluginSpec typed = PluginSpec.parse(spec, version, "add");
        String spec = typed.plugin();
        String version = typed.range().orElse(null);
        int at = spec.indexOf('@');
        String name = at < 0 ? spec : spec.substring(0, at);
        Optional<String> marketplace = at < 0 ? Optional.empty() : Optional.of(spec.substring(at + 1));
        if (name.isBlank() || marketplace.map(String::isBlank).orElse(false) || spec.indexOf('@', at + 1) >= 0) {
            throw new UserError(UserError.Kind.USAGE, "expected PLUGIN or PLUGIN@MARKETPLACE, got `" + spec + "`");
        }
        Optional<String> invalid = PluginName.problem(name).or(() -> marketplace.flatMap(MarketplaceName::problem));
        if (invalid.isPresent()) {
            throw new UserError(UserError.Kind.USAGE, invalid.get(), "e.g. cxpm add demo@my-marketplace");
        }
        if (version != null && VersionRange.parse(version).isEmpty()) {
            throw new UserError(UserError.Kind.USAGE, "`" + version + "` is not a version range",
                    "use an npm-style range: ^1.2, ~1.2.3, 1.x, >=1 <2, 1.2.3 or *");
        }
        ProjectContext ctx = ProjectContext.orHere(root.env);
        Path tomlFile = ctx.projectDir().resolve(ProjectManifest.FILE_NAME);
        ProjectManifestEditor editor = ProjectManifestEditor.open(ctx.projectDir());
        ProjectSync sync = ctx.sync().approving(approval.consent(root.env, json));

        boolean declared = marketplace.isPresent() && Files.exists(tomlFile)
                && ProjectManifest.read(ctx.projectDir()).marketplaces().containsKey(marketplace.get());
        if (marketplace.isPresent() && !declared) {
            CodexConfig.MarketplaceEntry entry = ctx.home().config().marketplaces().get(marketplace.get());
            if (entry != null) {
                // a registry is declared by its own URL (config.toml holds its Codex git view, which sync understands too)
                String source = !entry.isGit() ? relativeIfInside(ctx.projectDir(), Path.of(entry.source()))
                        : ctx.marketplaces().registryOf(marketplace.get(), entry).map(Object::toString).orElse(entry.source());
                editor.setMarketplace(marketplace.get(), source, entry.ref());
            }
        }
        try {
            return add(ctx, editor, sync, tomlFile, name, marketplace, version);
        } finally {
            sync.close();
        }
    }

    private int add(ProjectContext ctx, ProjectManifestEditor editor, ProjectSync sync, Path tomlFile, String name,
            Optional<String> marketplace, String version) {
        String range = version;
        ProjectManifest draft = ProjectManifest.parse(tomlFile, editor.setPlugin(name, "*", marketplace, !disabled).text());
        ProjectIndex index = sync.index(draft);
        List<String> offering = index.marketplacesOffering(name);
        if (marketplace.isEmpty() && offering.size() > 1) {
            throw InstallTarget.inSeveral(name, offering, "add");
        }
        if (range == null) {
            // the newest old enough for the minimum release age; when none is, the newest, for sync to explain the wait
            dev.cxpm.core.resolve.ReleaseAge age = ctx.releaseAge(draft);
            List<PluginRelease> offered = index.releases(name);
            PluginRelease newest = index.found(name).stream().filter(f -> !f.yanked() && age.heldUntil(f.publishedAt()).isEmpty())
                    .map(ProjectIndex.Found::release).max(Comparator.comparing(PluginRelease::version))
                    .or(() -> offered.stream().max(Comparator.comparing(PluginRelease::version)))
                    .orElseThrow(() -> new UserError(UserError.Kind.NOT_FOUND,
                            "plugin `" + name + "` is not in " + marketplace.map(m -> "marketplace `" + m + "`").orElse("any marketplace the project uses"),
                            "check the name with `cxpm search`, or add the marketplace that has it with `cxpm marketplace add`"));
            range = newest.version().isSemver() ? "^" + newest.version().text() : newest.version().text();
        }
        editor.setPlugin(name, range, marketplace, !disabled);
        ProjectManifest next = ProjectManifest.parse(tomlFile, editor.text());
        ProjectSync.Result r = sync.sync(next, ProjectSync.Options.plain().ignoringPrerequisites(prerequisites.ignore));
        editor.write();
        if (!json) {
            root.env.out().println("Added " + name + " " + range + " to cxpm.toml.");
        }
        SyncReport.print(root.env, r, json);
        return ExitCodes.OK;
    }

    private static String relativeIfInside(Path project, Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (abs.startsWith(project)) {
            String rel = project.relativize(abs).toString();
            return rel.isEmpty() ? "." : "./" + rel;
        }
        return abs.toString();
    }
}
