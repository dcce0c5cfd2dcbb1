package dev.cxpm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.core.UserError;
import dev.cxpm.core.registry.Credentials;
import dev.cxpm.core.registry.DefaultRegistry;
import dev.cxpm.core.registry.RegistryClient;
import java.net.URI;
import java.nio.file.Path;

/**
 * Which registry a client command talks to and with which token. The URL: {@code --registry},
 * else {@link DefaultRegistry} ({@code $CXPM_REGISTRY}, cxpm's config.toml, the default saved by {@code cxpm login}). The token:
 * {@code $CXPM_TOKEN} (for CI), else the one saved for that URL.
 */
public record RegistryLogin(URI url, String token) {

    /** Where login saves tokens (0600). */
    public static Path credentialsFile(Env env) {
        return Credentials.defaultFile(env.var("XDG_CONFIG_HOME"), env.var("HOME"));
    }

    static URI url(Env env, String option) {
        if (option != null) {
            return RegistryClient.parseUrl(option);
        }
        return DefaultRegistry.of(env.vars())
                .orElseThrow(() -> new UserError(UserError.Kind.USAGE, "which registry? none given and none logged in to",
                        "cxpm login --registry URL, or pass --registry URL, or set registry = \"URL\" in " + DefaultRegistry.configFile(env.vars())));
    }

    /** The registry and a token for it; USAGE error with the login command when there is no token. */
    static RegistryLogin require(Env env, String option) {
        URI url = url(env, option);
        String token = env.var("CXPM_TOKEN");
        if (token == null || token.isBlank()) {
            token = Credentials.load(credentialsFile(env)).token(url.toString()).orElseThrow(() -> new UserError(UserError.Kind.USAGE,
                    "not logged in to " + url, "cxpm login --registry " + url + " (or set CXPM_TOKEN)"));
        }
        return new RegistryLogin(url, token.strip());
    }

    /** What an admin command prints for --json: the answer, with this registry's URL added last. */
    public String json(JsonNode answer) {
        return JsonOutput.pretty(((ObjectNode) answer.deepCopy()).put("registry", url.toString()));
    }

    public RegistryClient client() {
        return new RegistryClient(url, token);
    }

    /** A client whose uploads report to progress. */
    public RegistryClient client(dev.cxpm.core.Progress progress) {
        return new RegistryClient(url, token, progress);
    }
}
