package dev.cxpm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.registry.RegistryClient;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxpm token}: registry tokens, offline on a server's data directory or through the API. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Create registry tokens.",
        subcommands = {TokenCommand.Create.class})
final class TokenCommand implements Runnable {

    @CommandLine.ParentCommand
    Main root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        root.env.out().println(spec.commandLine().getUsageMessage());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a token. With --data, offline on the registry's data directory (how the first admin token is made);",
                    "otherwise through the registry with your login's token."})
    static final class Create implements Runnable {

        @CommandLine.ParentCommand
        TokenCommand parent;

        @Option(names = "--data", paramLabel = "DIR", description = "The registry's data directory (no network, no token needed).")
        String data;

        @Option(names = "--registry", paramLabel = "URL", description = "Registry URL (default: the one you logged in to).")
        String registryUrl;

        @Option(names = "--user", description = "User the token acts as (default: admin with --data, yourself otherwise).")
        String user;

        @Option(names = "--scope", paramLabel = "SCOPE", description = "admin, owner or publish:PLUGIN; repeatable. Default: admin with --data, owner otherwise.")
        List<String> scopes;

        @Option(names = "--expires-in-days", paramLabel = "N", description = "Expire after N days (default: never).")
        Integer expiresInDays;

        @Option(names = "--description", description = "What the token is for.")
        String description;

        @Option(names = "--json", description = "Print JSON: {id, token, user, scopes, expiresAt}.")
        boolean json;

        @Override
        public void run() {
            Env env = parent.root.env;
            Duration ttl = expiresInDays == null ? null : Duration.ofDays(expiresInDays);
            if (expiresInDays != null && expiresInDays <= 0) {
                throw new UserError(UserError.Kind.USAGE, "--expires-in-days must be positive");
            }
            RegistryClient.Token t;
            if (data != null) {
                Path dir = env.resolve(data);
                if (!Files.isRegularFile(dir.resolve("registry.db"))) {
                    throw new UserError(UserError.Kind.NOT_FOUND, "no registry data in " + dir,
                            "pass the directory 'cxpm serve --data' uses");
                }
                try (Registry registry = Registry.embedded(dir, env.clock())) {
                    Registry.CreatedToken c = registry.createToken(null, user == null ? "admin" : user,
                            scopes == null ? List.of("admin") : scopes, ttl, description);
                    t = new RegistryClient.Token(c.id(), c.token(), c.user(), c.scopes(),
                            c.expiresAt() == null ? null : c.expiresAt().toString());
                } catch (RegistryException e) {
                    throw new UserError(UserError.Kind.USAGE, e.getMessage());
                }
            } else {
                RegistryLogin login = RegistryLogin.require(env, registryUrl);
                t = login.client().createToken(user, scopes == null ? List.of("owner") : scopes, expiresInDays, description);
            }
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode().put("id", t.id()).put("token", t.token()).put("user", t.user())
                        .put("expiresAt", t.expiresAt());
                t.scopes().forEach(o.putArray("scopes")::add);
                env.out().println(o.toPrettyString());
            } else {
                env.out().println(t.token());
                env.err().println("token " + t.id() + " for " + t.user() + ", scopes: " + String.join(" ", t.scopes())
                        + (t.expiresAt() == null ? ", no expiry" : ", expires " + t.expiresAt())
                        + ". It is shown once: keep it (cxpm login --token -).");
            }
        }
    }
}
