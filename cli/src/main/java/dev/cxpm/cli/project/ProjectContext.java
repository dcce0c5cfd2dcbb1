package dev.cxpm.cli.project;

import dev.cxpm.cli.Env;
import dev.cxpm.cli.trust.PolicyGate;
import dev.cxpm.cli.output.Terminal;
import dev.cxpm.core.Progress;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.HomeLock;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.resolve.ReleaseAge;
import dev.cxpm.core.sync.ProjectSync;
import dev.cxpm.core.sync.store.Store;
import java.nio.file.Path;
import java.util.List;

/** The project (nearest cxpm.toml upwards), Codex home and store a team command works on, from its Env. */
record ProjectContext(Env env, Path projectDir, CodexHome home, Store store, Progress progress, PolicyGate policy) {

    /** For commands that need an existing cxpm.toml. */
    static ProjectContext of(Env env) {
        return at(env, ProjectManifest.findProjectDir(env.cwd()));
    }

    /** For commands that may create cxpm.toml: the existing project, else the working directory. */
    static ProjectContext orHere(Env env) {
        try {
            return of(env);
        } catch (dev.cxpm.core.UserError e) {
            return at(env, env.cwd());
        }
    }

    private static ProjectContext at(Env env, Path dir) {
        return new ProjectContext(env, dir, CodexHome.resolve(env.vars(), env.cwd()), Store.resolve(env.vars(), env.cwd()),
                Terminal.of(env).progress(), new PolicyGate(env, java.util.Optional.of(dir)));
    }

    ProjectSync sync() {
        return new ProjectSync(projectDir, home, store, lockTimeout(), marketplaces(), git(), env.vars(), env.cwd(), progress,
                env.clock(), this::releaseAge).enforcing(policy);
    }

    /** The minimum release age a project resolves under: the strictest of cxpm.toml's and the policy files', on the command's clock. */
    ReleaseAge releaseAge(ProjectManifest project) {
        List<java.util.Optional<dev.cxpm.core.resolve.MinReleaseAge>> ages = new java.util.ArrayList<>(policy.minReleaseAges());
        ages.add(project.minReleaseAge());
        return ReleaseAge.strictest(env.clock(), ages);
    }

    /** Adding (cloning) a marketplace cxpm.toml declares asks the policy first. */
    dev.cxpm.core.marketplace.Marketplaces marketplaces() {
        return new dev.cxpm.core.marketplace.Marketplaces(home, git(), lockTimeout(), policy::marketplace);
    }

    private dev.cxpm.core.marketplace.GitCli git() {
        return new dev.cxpm.core.marketplace.GitCli(env.vars(), env.cwd(), progress);
    }

    private java.time.Duration lockTimeout() {
        return HomeLock.timeoutFrom(env.var("CXPM_LOCK_TIMEOUT"));
    }
}
