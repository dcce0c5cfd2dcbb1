package dev.cxpm.cli.codexhome;

import dev.cxpm.cli.Env;
import dev.cxpm.cli.trust.PolicyGate;
import dev.cxpm.cli.output.Terminal;
import dev.cxpm.core.Progress;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.HomeLock;
import dev.cxpm.core.install.Installer;
import dev.cxpm.core.marketplace.GitCli;
import dev.cxpm.core.marketplace.Marketplaces;
import java.time.Duration;

/** The Codex home a command works on, and the services over it, built from the command's Env. */
public record CodexContext(Env env, CodexHome home, GitCli git, Duration lockTimeout, Progress progress, PolicyGate policy) {

    public static CodexContext of(Env env) {
        Progress progress = Terminal.of(env).progress();
        return new CodexContext(env, CodexHome.resolve(env.vars(), env.cwd()), new GitCli(env.vars(), env.cwd(), progress),
                HomeLock.timeoutFrom(env.var("CXPM_LOCK_TIMEOUT")), progress, PolicyGate.here(env));
    }

    /** Adding a marketplace asks the policy (cxpm's and Codex's requirements.toml) first. */
    public Marketplaces marketplaces() {
        // a class, not policy::marketplace: a method reference is a lambda, and a fresh JVM's first one links the
        // method-handle machinery (~3 ms of a cold list, which adds no marketplace)
        return new Marketplaces(home, git, lockTimeout, new java.util.function.Consumer<>() {
            @Override
            public void accept(dev.cxpm.core.marketplace.MarketplaceSource source) {
                policy.marketplace(source);
            }
        });
    }

    public Installer installer() {
        return new Installer(home, marketplaces(), git, env.vars(), lockTimeout, env.cwd(), progress, policy);
    }
}
