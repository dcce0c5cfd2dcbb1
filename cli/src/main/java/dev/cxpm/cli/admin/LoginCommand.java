package dev.cxpm.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.RegistryLogin;
import dev.cxpm.core.UserError;
import dev.cxpm.core.registry.Credentials;
import dev.cxpm.core.registry.RegistryClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxpm login}: checks a token against a registry and saves it (0600) for later commands. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Save a registry token for publish, yank and token commands.",
                "The token is checked with the registry first; it is then stored (mode 0600) in ~/.config/cxpm/credentials.toml."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm login --registry http://127.0.0.1:8686",
                "      Read a token from standard input, check it and save it.",
                "  cxpm login --registry https://plugins.example.test --token -",
                "      The same, saying so explicitly (the token never goes in the command line)."})
public final class LoginCommand implements Runnable {

    @CommandLine.ParentCommand
    Main root;

    @Option(names = "--registry", paramLabel = "URL", required = true, description = "The registry, e.g. http://127.0.0.1:8686.")
    String registry;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The token, or '-' to read it from standard input (default: '-').", defaultValue = "-")
    String token;

    @Option(names = "--json", description = "Print JSON: {registry, user, scopes} (never the token).")
    boolean json;

    @Override
    public void run() {
        Env env = root.env();
        URI url = RegistryClient.parseUrl(registry);
        String t = token;
        if (t.equals("-")) {
            try {
                t = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new UserError(UserError.Kind.IO, "cannot read the token from standard input: " + e.getMessage());
            }
            if (t == null || t.isBlank()) {
                throw new UserError(UserError.Kind.USAGE, "no token given", "pipe it in, or pass --token TOKEN");
            }
        }
        RegistryClient.Whoami me = new RegistryClient(url, t.strip()).whoami();
        Credentials c = Credentials.load(RegistryLogin.credentialsFile(env));
        c.put(url.toString(), t.strip(), true);
        c.save();
        if (json) {
            ObjectNode o = JsonOutput.object().put("registry", url.toString()).put("user", me.user());
            me.scopes().forEach(o.putArray("scopes")::add);
            env.out().println(JsonOutput.pretty(o));
            return;
        }
        env.out().println("logged in to " + url + " as " + me.user() + " (scopes: " + String.join(" ", me.scopes()) + ")");
    }
}
