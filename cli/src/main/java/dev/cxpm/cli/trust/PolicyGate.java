package dev.cxpm.cli.trust;

import dev.cxpm.cli.Env;
import dev.cxpm.cli.output.Terminal;
import dev.cxpm.core.install.PluginGate;
import dev.cxpm.core.marketplace.MarketplaceSource;
import dev.cxpm.core.policy.Enforcement;
import dev.cxpm.core.project.ProjectManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The policy a command enforces, read the first time it is asked (so commands that install nothing never fetch an
 * organisation policy), with the notes about how it was read printed as warnings once.
 */
public final class PolicyGate implements PluginGate {
    private final Env env;
    private final Optional<Path> projectDir;
    private Enforcement loaded;

    public PolicyGate(Env env, Optional<Path> projectDir) {
        this.env = env;
        this.projectDir = projectDir;
    }

    /** For commands on the Codex home: the project policy applies when run inside a project. */
    public static PolicyGate here(Env env) {
        return new PolicyGate(env, ProjectManifest.projectDir(env.cwd()));
    }

    Enforcement enforcement() {
        if (loaded == null) {
            loaded = Enforcement.load(env.vars(), projectDir);
            loaded.policy().notes().forEach(n -> Terminal.of(env).warning(n));
        }
        return loaded;
    }

    /** The minimum release ages the policy files set, beside those of cxpm.toml or cxpm's config. */
    public List<Optional<dev.cxpm.core.resolve.MinReleaseAge>> minReleaseAges() {
        return enforcement().policy().minReleaseAges().stream().map(Optional::of).toList();
    }

    public void marketplace(MarketplaceSource source) {
        enforcement().marketplace(source);
    }

    @Override
    public void check(List<Candidate> candidates) {
        enforcement().check(candidates);
    }
}
