package dev.cxpm.cli;

import dev.cxpm.core.registry.RegistryAdmin;
import dev.cxpm.core.registry.RegistryClient;
import picocli.CommandLine.Option;

/** {@code --registry URL}: which registry a client command talks to, shared by every such command. */
public final class RegistryOption {
    @Option(names = "--registry", paramLabel = "URL", description = "Registry URL (default: the one you logged in to).")
    String url;

    /** Whether --registry was given. */
    public boolean given() {
        return url != null;
    }

    /** This registry with the token saved for it (or CXPM_TOKEN); a usage error naming the fix when there is none. */
    public RegistryLogin login(Env env) {
        return RegistryLogin.require(env, url);
    }

    /** This registry without a token, for what anyone may read (owners, advisories). */
    public RegistryAdmin anyone(Env env) {
        return new RegistryClient(RegistryLogin.url(env, url), null).admin();
    }
}
