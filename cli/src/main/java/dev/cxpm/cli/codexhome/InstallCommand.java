package dev.cxpm.cli.codexhome;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.trust.ApprovalOption;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.help.HelpOption;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.output.Terminal;
import dev.cxpm.core.UserError;
import dev.cxpm.core.install.InstallTarget;
import dev.cxpm.core.install.Installer;
import dev.cxpm.core.install.PluginId;
import dev.cxpm.core.registry.DefaultRegistry;
import dev.cxpm.core.registry.UserConfig;
import dev.cxpm.core.resolve.ReleaseAge;
import dev.cxpm.core.resolve.VersionRange;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cxpm install PLUGIN[@MARKETPLACE]}: what {@code codex plugin add} does, plus ranges and prerequisite checks;
 * a bare PLUGIN, {@code --registry URL} and a registry page's address are resolved by {@link InstallTarget}.
 */
@Command(name = "install",
        description = {"Install a plugin from a configured marketplace into the Codex home (as `codex plugin add`).",
                PrerequisitesOption.RULE, ApprovalOption.RULE},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm install github-triage",
                "      Install from the one configured marketplace that has it.",
                "  cxpm install github-triage@team --version ^1.2",
                "      Install the newest 1.x (at least 1.2) from the marketplace team.",
                "  cxpm install demo --registry http://127.0.0.1:8686",
                "      Add that registry as a marketplace, then install demo from it."})
public final class InstallCommand implements Runnable {
    @ParentCommand
    public Main root;

    @Mixin
    public PluginIdArgs target;

    @Mixin
    public HelpOption help;

    @Option(names = "--version", paramLabel = "RANGE", description = "The npm-style range the version must satisfy, such as ^1.2, ~1.2.3, 1.x or 1.4.0.")
    String range;

    @Mixin
    public PrerequisitesOption prerequisites;

    @Mixin
    public ApprovalOption approval;

    @Option(names = "--json", description = "Print a JSON object.")
    public boolean json;

    @Option(names = "--registry", paramLabel = "URL", description = "Add this cxpm registry as a marketplace first (as `cxpm marketplace add URL`; "
            + "nothing changes when it is already added), then install from it.")
    String registry;

    @Override
    public void run() {
        CodexContext ctx = CodexContext.of(root.env);
        PluginSpec typed = PluginSpec.parse(target.plugin, range, "install");
        Optional<VersionRange> r = typed.range().map(InstallCommand::parseRange);
        // read before InstallTarget may add a registry: a broken setting changes nothing
        List<java.util.Optional<dev.cxpm.core.resolve.MinReleaseAge>> ages = new java.util.ArrayList<>(ctx.policy().minReleaseAges());
        ages.add(UserConfig.minReleaseAge(root.env.vars()));
        ReleaseAge age = ReleaseAge.strictest(root.env.clock(), ages);
        PluginId id = new InstallTarget(ctx.marketplaces(), () -> DefaultRegistry.of(root.env.vars()))
                .resolve(new InstallTarget.Request(typed.plugin(), Optional.ofNullable(target.marketplace), Optional.ofNullable(registry)));
        Installer.Installed in = ctx.installer().approving(approval.consent(root.env, json)).install(id, r, age, prerequisites.ignore);
        Env env = ctx.env();
        PrerequisitesOption.warn(env, in.missingPrerequisites());
        for (var d : in.notInstalled()) {
            Terminal.of(env).warning("not installed: " + d);
        }
        if (in.replacedLink()) {
            env.err().println("note: " + in.installedPath() + " was a link, not followed (Codex shows no plugin through one); replaced it with a copy");
        }
        if (in.origin().equals("store-offline")) {
            env.err().println("note: the source could not be reached; installed the copy kept in the cxpm store");
        }
        if (json) {
            ObjectNode o = JsonOutput.object();
            o.put("pluginId", id.toString());
            o.put("name", id.plugin());
            o.put("marketplaceName", id.marketplace());
            o.put("version", in.version());
            o.put("installedPath", in.installedPath().toString());
            o.put("authPolicy", in.authPolicy().name());
            o.put("integrity", in.integrity().toString());
            o.put("unchanged", in.unchanged());
            o.put("origin", in.origin());
            ctx.marketplaces().registries().pin(id.marketplace()).keyId().ifPresent(k -> o.put("registryKey", k));
            ArrayNode dropped = o.putArray("notInstalled");
            in.notInstalled().forEach(d -> dropped.add(d.toString()));
            ArrayNode missing = o.putArray("missingPrerequisites");
            in.missingPrerequisites().lines().forEach(missing::add);
            env.out().println(JsonOutput.pretty(o));
        } else {
            env.out().println("Added plugin `" + id.plugin() + "` from marketplace `" + id.marketplace() + "`.");
            env.out().println("Installed plugin root: " + in.installedPath());
            // the key pinned when the registry was added (maybe just now): what every answer of it was checked against
            ctx.marketplaces().registries().pin(id.marketplace()).keyId()
                    .ifPresent(k -> env.out().println("Registry signing key: " + k + " (pinned)"));
        }
    }

    /** Install picks among SemVer releases only, so a bare non-SemVer text is not a range here. */
    private static VersionRange parseRange(String text) {
        String hint = "examples: ^1.2, ~1.2.3, 1.x, 1.4.0";
        if (text.isBlank()) {
            throw new UserError(UserError.Kind.USAGE, "empty version range", hint);
        }
        return VersionRange.parse(text).filter(VersionRange::isSemverRange)
                .orElseThrow(() -> new UserError(UserError.Kind.USAGE, "invalid version range '" + text + "'", hint));
    }
}
