package dev.cxpm.cli;

import picocli.CommandLine.Option;

/** {@code --registry URL}: which registry a client command talks to, shared by every such command. */
public final class RegistryOption {
    @Option(names = "--registry", paramLabel = "URL", description = "Registry URL (default: the one you logged in to).")
    String url;

    /** This registry with the token saved for it (or CXPM_TOKEN); a usage error naming the fix when there is none. */
    public RegistryLogin login(Env env) {
        return RegistryLogin.require(env, url);
    }
}
