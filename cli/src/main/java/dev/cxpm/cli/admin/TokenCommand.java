package dev.cxpm.cli.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.CommandGroup;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.registry.RegistryData;
import dev.cxpm.cli.RegistryLogin;
import dev.cxpm.cli.RegistryOption;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.output.Table;
import dev.cxpm.core.UserError;
import dev.cxpm.core.registry.RegistryAdmin;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxpm token}: registry tokens, offline on a server's data directory or database, or through the API. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Create, list and revoke registry tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm token create --data ~/.local/share/cxpm/registry",
                "      Make the first admin token, offline on the registry's data.",
                "  cxpm token list",
                "      Show your tokens on the registry you logged in to."})
public final class TokenCommand extends CommandGroup {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a token, through the registry or offline on its storage.",
                    "With --data or --database (as given to 'cxpm serve'), offline on the registry's storage, "
                            + "which is how the first admin token is made; otherwise through the registry with your login's token."},
            footerHeading = Examples.HEADING,
            footer = {"  cxpm token create --data ~/.local/share/cxpm/registry",
                    "      Make the first admin token, offline on the registry's data.",
                    "  cxpm token create --scope publish:demo --expires-in-days 30",
                    "      A token that may publish demo only, for 30 days (say for CI)."})
    static final class Create implements Runnable {

        @CommandLine.ParentCommand
        TokenCommand parent;

        @Option(names = "--data", paramLabel = "DIR", description = "The registry's data directory (no network, no token needed).")
        String data;

        @Option(names = "--database", paramLabel = "JDBC_URL",
                description = "The registry's PostgreSQL database, as given to 'cxpm serve --database' (the registry's API is not used, "
                        + "no token needed, nor --data). For example: jdbc:postgresql://db/cxpm?user=cxpm.")
        String database;

        @CommandLine.Mixin
        RegistryOption registry;

        @Option(names = "--user", description = "User the token acts as (default: admin with --data or --database, yourself otherwise).")
        String user;

        @Option(names = "--scope", paramLabel = "SCOPE", description = "admin, owner or publish:PLUGIN; repeatable. Default: admin with --data or --database, owner otherwise.")
        List<String> scopes;

        @Option(names = "--expires-in-days", paramLabel = "N", description = "Expire after N days (default: never).")
        Integer expiresInDays;

        @Option(names = "--description", description = "What the token is for.")
        String description;

        @Option(names = "--json", description = "Print JSON: {id, token, user, scopes, expiresAt}.")
        boolean json;

        @Override
        public void run() {
            Env env = parent.env();
            Duration ttl = expiresInDays == null ? null : Duration.ofDays(expiresInDays);
            if (expiresInDays != null && expiresInDays <= 0) {
                throw new UserError(UserError.Kind.USAGE, "--expires-in-days must be positive");
            }
            if (registry.given() && (data != null || database != null)) {
                throw new UserError(UserError.Kind.USAGE, "--registry goes through the API, --data and --database do not: give one or the other",
                        "drop --registry to make the token offline on the server's storage, or --data/--database to make it through the API");
            }
            RegistryAdmin.Token t;
            if (database != null) {
                // serve keeps the metadata in the database even when --data is given too (DIR then holds
                // only blobs and the git view), so the token goes there and DIR is not needed
                try (Registry server = RegistryData.postgresMetadata(database, RegistryData.resolve(env, data).resolve("uploads"), env.clock())) {
                    t = offline(server, ttl);
                }
            } else if (data != null) {
                Path dir = env.resolve(data);
                if (!Files.isRegularFile(dir.resolve("registry.db"))) {
                    throw new UserError(UserError.Kind.NOT_FOUND, "no registry data in " + dir,
                            "pass the directory 'cxpm serve --data' uses (or --database JDBC_URL if it runs on PostgreSQL)");
                }
                try (Registry server = Registry.embedded(dir, env.clock())) {
                    t = offline(server, ttl);
                }
            } else {
                RegistryLogin login;
                try {
                    login = registry.login(env);
                } catch (UserError e) {
                    if (registry.given() || e.kind() != UserError.Kind.USAGE) {
                        throw e;
                    }
                    // not logged in: most likely the first admin token, which no login can make
                    String offline = "for the first admin token, run offline on the server's storage: --data DIR or --database JDBC_URL";
                    throw new UserError(e.kind(), e.getMessage(), e.hint() == null ? offline : e.hint() + "; " + offline);
                }
                t = login.client().admin().createToken(user, scopes == null ? List.of("owner") : scopes, expiresInDays, description);
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

        /** The token made directly in the registry's storage: no grantor, so admin by default. */
        private RegistryAdmin.Token offline(Registry server, Duration ttl) {
            Registry.CreatedToken c;
            try {
                c = server.createToken(null, user == null ? "admin" : user, scopes == null ? List.of("admin") : scopes, ttl, description);
            } catch (RegistryException e) {
                throw new UserError(UserError.Kind.USAGE, e.getMessage());
            }
            return new RegistryAdmin.Token(c.id(), c.token(), c.user(), c.scopes(), c.expiresAt() == null ? null : c.expiresAt().toString());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List your tokens on the registry (never their secrets), revoked and expired ones included.",
            footerHeading = Examples.HEADING,
            footer = {"  cxpm token list",
                    "      Show your tokens: id, scopes, created, whether still active.",
                    "  cxpm token list --json",
                    "      The same as JSON, for scripts."})
    static final class ListTokens implements Runnable {

        @CommandLine.ParentCommand
        TokenCommand parent;

        @CommandLine.Mixin
        RegistryOption registry;

        @Option(names = "--json", description = "Print JSON: {tokens: [{id, user, scopes, description, createdAt, expiresAt, revokedAt}]}.")
        boolean json;

        @Override
        public void run() {
            Env env = parent.env();
            List<RegistryAdmin.TokenInfo> tokens = registry.login(env).client().admin().tokens();
            if (json) {
                ObjectNode root = new ObjectMapper().createObjectNode();
                var arr = root.putArray("tokens");
                for (RegistryAdmin.TokenInfo t : tokens) {
                    ObjectNode o = arr.addObject().put("id", t.id()).put("user", t.user());
                    t.scopes().forEach(o.putArray("scopes")::add);
                    o.put("description", t.description()).put("createdAt", t.createdAt()).put("expiresAt", t.expiresAt())
                            .put("revokedAt", t.revokedAt());
                }
                env.out().println(root.toPrettyString());
                return;
            }
            if (tokens.isEmpty()) {
                env.out().println("No tokens.");
                return;
            }
            Table table = new Table("ID", "USER", "SCOPES", "CREATED", "STATUS", "DESCRIPTION");
            for (RegistryAdmin.TokenInfo t : tokens) {
                String status = t.revokedAt() != null ? "revoked " + t.revokedAt()
                        : t.expiresAt() == null ? "active"
                        : java.time.Instant.parse(t.expiresAt()).isBefore(env.clock().instant()) ? "expired " + t.expiresAt()
                        : "expires " + t.expiresAt();
                table.row(t.id(), t.user(), String.join(" ", t.scopes()), t.createdAt(), status, t.description() == null ? "" : t.description());
            }
            table.print(env.out());
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token by its id (see 'cxpm token list'): the registry refuses it from then on.",
            footerHeading = Examples.HEADING,
            footer = {"  cxpm token revoke 3f9a1c2b7d40",
                    "      Revoke the token with that id; the registry refuses it from then on."})
    static final class Revoke implements Runnable {

        @CommandLine.ParentCommand
        TokenCommand parent;

        @CommandLine.Parameters(paramLabel = "ID", description = "The token's id, as 'cxpm token list' shows it.")
        String id;

        @CommandLine.Mixin
        RegistryOption registry;

        @Option(names = "--json", description = "Print JSON: {id, revoked, registry}.")
        boolean json;

        @Override
        public void run() {
            Env env = parent.env();
            RegistryLogin login = registry.login(env);
            login.client().admin().revokeToken(id);
            if (json) {
                env.out().println(login.json(JsonOutput.object().put("id", id).put("revoked", true)));
                return;
            }
            env.out().println("revoked token " + id);
        }
    }
}
