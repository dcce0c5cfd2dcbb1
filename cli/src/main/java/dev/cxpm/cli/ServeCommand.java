package dev.cxpm.cli;

import dev.cxpm.core.UserError;
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.DemoPlugins;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import dev.cxpm.registry.ops.Metrics;
import dev.cxpm.registry.ops.Operations;
import dev.cxpm.registry.ops.WatchedBlobStore;
import dev.cxpm.registry.SigningKeys;
import dev.cxpm.registry.storage.blob.BlobStore;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxpm serve}: runs the registry (API and web UI) on embedded storage until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run a plugin registry: JSON API and web UI, SQLite and a blob directory under --data.",
                "Make the first admin token with 'cxpm token create --data DIR' (with --database: 'cxpm token create --database JDBC_URL')."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm serve --demo",
                "      Run a registry with example plugins on http://127.0.0.1:8686.",
                "  cxpm serve --data /srv/cxpm --public-url https://plugins.example.test",
                "      Run one behind a TLS proxy, its data in /srv/cxpm.",
                "  cxpm serve --trust-proxy --access-log /var/log/cxpm-access.jsonl",
                "      Behind a proxy that appends X-Forwarded-For: limits per client, a JSON log file."})
final class ServeCommand implements Runnable {

    @CommandLine.ParentCommand
    Main root;

    @Option(names = "--port", description = "Port to listen on (0 picks a free one). Default: ${DEFAULT-VALUE}.", defaultValue = "8686")
    int port;

    @Option(names = "--host", description = "Address to bind. Default: ${DEFAULT-VALUE}.", defaultValue = "127.0.0.1")
    String host;

    @CommandLine.Mixin
    StorageOptions storage;

    @Option(names = "--marketplace-name", paramLabel = "NAME", description = "Name of the Codex marketplace view (URL/codex/marketplace.git). Default: ${DEFAULT-VALUE}.",
            defaultValue = RegistryServer.Options.DEFAULT_MARKETPLACE_NAME)
    String marketplaceName;

    @Option(names = "--public-url", paramLabel = "URL", description = "The address users reach this registry at, when it is not the one it "
            + "listens on (behind a proxy, with TLS): the install command its pages show uses it.")
    String publicUrl;

    @Option(names = "--demo", description = "Seed a few example plugins (once) so there is something to see.")
    boolean demo;

    @CommandLine.Mixin
    ServeOperations operations;
    @Option(names = "--signing-key", paramLabel = "FILE", description = "The Ed25519 key index documents are signed with (made there, "
            + "0600, when absent). Default: $CXPM_SIGNING_KEY_FILE, else signing-key.json in the data directory. Servers sharing a database must share it.")
    String signingKey;

    @Option(names = "--rotate-key", description = "Replace the signing key with a new one that the current key signs over (clients that "
            + "pinned the old key accept the new one), print both key ids and exit. Restart every server using the key afterwards.")
    boolean rotateKey;

    @Override
    public void run() {
        Env env = root.env;
        Optional<URI> shownUrl = Optional.ofNullable(publicUrl).map(ServeCommand::publicUrl);
        Path dir = storage.dir(env);
        Path keyFile = Optional.ofNullable(signingKey).or(() -> Optional.ofNullable(env.var("CXPM_SIGNING_KEY_FILE")).filter(v -> !v.isBlank()))
                .map(k -> env.cwd().resolve(k)).orElse(dir.resolve(RegistryServer.Options.SIGNING_KEY_FILE));
        if (rotateKey) {
            rotate(env, keyFile);
            return;
        }
        Metrics metrics = new Metrics();
        Operations ops = operations.parse(env, metrics);
        BlobStore blobStore = new WatchedBlobStore(storage.blobStore(env), metrics);
        Registry registry;
        if (!storage.onPostgres()) {
            registry = Registry.embedded(dir, blobStore, env.clock());
        } else {
            registry = RegistryData.postgres(storage.database, blobStore, env.clock());
        }
        int swept;
        try {
            swept = registry.sweepOrphanBlobs();
        } catch (java.io.UncheckedIOException e) {
            registry.close();
            throw new UserError(UserError.Kind.NETWORK, "cannot read the blob store: " + e.getCause().getMessage(),
                    !storage.onS3() ? null : "check --blobs, --s3-endpoint and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY");
        }
        if (demo) {
            int n = DemoPlugins.seed(registry, new Caller("cxpm-demo", List.of(Caller.ADMIN), null));
            env.out().println("demo: seeded " + n + " example plugin version(s)");
        }
        RegistryServer server;
        try {
            server = RegistryServer.start(registry, host, port, new RegistryServer.Options(dir.resolve("codex-marketplace.git"), marketplaceName,
                    shownUrl, dir.resolve("uploads"), operations.maxUploads(), RegistryServer.Options.DEFAULT_MAX_UPLOAD_TIME).with(ops).withSigningKey(keyFile));
        } catch (BindException e) {
            registry.close();
            ops.accessLog().close();
            throw new UserError(UserError.Kind.CONFLICT, "cannot listen on " + host + ":" + port + ": " + e.getMessage(),
                    "another process uses the port; pick another with --port");
        } catch (IOException e) {
            registry.close();
            ops.accessLog().close();
            throw new UserError(UserError.Kind.IO, "cannot start the server: " + e.getMessage());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            registry.close(); // the signing key cannot be read or made
            throw new UserError(UserError.Kind.IO, "cannot start the server: " + e.getMessage(), "check --signing-key (or $CXPM_SIGNING_KEY_FILE)");
        }
        if (swept > 0) {
            env.err().println("removed " + swept + " blob(s) left by an interrupted publish");
        }
        env.out().println("cxpm registry serving " + server.url() + " (data: " + dir + (storage.onS3() ? ", blobs: " + storage.blobs : "") + ")");
        env.out().println("first admin token: cxpm token create "
                + (!storage.onPostgres() ? "--data " + dir : "--database '" + RegistryData.shown(storage.database) + "'"));
        String base = shownUrl.map(Object::toString).orElse(server.url().toString());
        env.out().println("Codex CLI: codex plugin marketplace add " + base + "/codex/marketplace.git");
        env.out().println("cxpm: cxpm install PLUGIN --registry " + base);
        env.out().println("signing key: " + server.signingKey().id() + " (" + keyFile + ")");
        env.out().flush();
        ServeOperations.runUntilStopped(env, ops.shutdownGrace(), () -> {
            server.close();
            registry.close();
            ops.accessLog().close();
        });
    }

    private static void rotate(Env env, Path keyFile) {
        if (!java.nio.file.Files.isRegularFile(keyFile)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "there is no signing key at " + keyFile + " to rotate",
                    "a registry makes its key on first start; name another with --signing-key or --data");
        }
        String old;
        SigningKeys rotated;
        try {
            old = SigningKeys.load(keyFile).current().id();
            rotated = SigningKeys.rotate(keyFile, env.clock().instant());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new UserError(UserError.Kind.IO, e.getMessage());
        }
        env.out().println("rotated the signing key in " + keyFile + ": " + old + " -> " + rotated.current().id() + " (signed by " + old + ")");
        env.out().println("restart every server that uses this key; clients that pinned " + old + " accept " + rotated.current().id());
    }

    /** A URL the pages can show in a command to paste: plain http(s)://host[:port][/path], nothing a shell reads specially. */
    private static URI publicUrl(String text) {
        URI u = dev.cxpm.core.registry.RegistryClient.parseUrl(text);
        if (!RegistryServer.Options.showable(u)) {
            throw new UserError(UserError.Kind.USAGE, "--public-url " + text + " is not a plain http(s)://host[:port][/path] URL",
                    "e.g. --public-url https://plugins.example.com");
        }
        return u;
    }
}
