package dev.cxpm.cli;

import dev.cxpm.core.UserError;
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.DemoPlugins;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import dev.cxpm.registry.ops.Metrics;
import dev.cxpm.registry.ops.Operations;
import dev.cxpm.registry.ops.WatchedBlobStore;
import dev.cxpm.registry.storage.blob.BlobStore;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.registry.storage.blob.S3BlobStore;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.net.URISyntaxException;
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

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: $XDG_DATA_HOME/cxpm/registry).")
    String data;

    @Option(names = "--database", paramLabel = "JDBC_URL",
            description = "Metadata in PostgreSQL instead of SQLite, for example jdbc:postgresql://db/cxpm?user=cxpm "
                    + "(several servers may share it; blobs stay under --data unless --blobs is given).")
    String database;

    @Option(names = "--blobs", paramLabel = "s3://BUCKET/PREFIX",
            description = "Blobs in an S3-compatible store instead of DIR/blobs (path-style; credentials from "
                    + "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).")
    String blobs;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3 endpoint, e.g. http://127.0.0.1:9000 (default: AWS for --s3-region).")
    String s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "Region used in request signing. Default: ${DEFAULT-VALUE}.", defaultValue = "us-east-1")
    String s3Region;

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

    @Override
    public void run() {
        Env env = root.env;
        Optional<URI> shownUrl = Optional.ofNullable(publicUrl).map(ServeCommand::publicUrl);
        Path dir = RegistryData.resolve(env, data);
        Metrics metrics = new Metrics();
        Operations ops = operations.parse(env, metrics);
        BlobStore blobStore = new WatchedBlobStore(blobs == null ? new FileBlobStore(dir.resolve("blobs")) : s3(env), metrics);
        Registry registry;
        if (database == null) {
            registry = Registry.embedded(dir, blobStore, env.clock());
        } else {
            registry = RegistryData.postgres(database, blobStore, env.clock());
        }
        int swept;
        try {
            // on a shared database and store another instance may be between its blob and its version row: a sweep here
            // would take that blob; there the blobs are only checked, and `cxpm registry gc` sweeps after a grace period
            if (database == null) {
                swept = registry.sweepOrphanBlobs();
            } else {
                registry.checkBlobs();
                swept = 0;
            }
        } catch (java.io.UncheckedIOException e) {
            registry.close();
            throw new UserError(UserError.Kind.NETWORK, "cannot read the blob store: " + e.getCause().getMessage(),
                    blobs == null ? null : "check --blobs, --s3-endpoint and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY");
        }
        if (demo) {
            int n = DemoPlugins.seed(registry, new Caller("cxpm-demo", List.of(Caller.ADMIN), null));
            env.out().println("demo: seeded " + n + " example plugin version(s)");
        }
        RegistryServer server;
        try {
            server = RegistryServer.start(registry, host, port, new RegistryServer.Options(dir.resolve("codex-marketplace.git"), marketplaceName,
                    shownUrl, dir.resolve("uploads"), operations.maxUploads(), RegistryServer.Options.DEFAULT_MAX_UPLOAD_TIME, ops));
        } catch (BindException e) {
            registry.close();
            ops.accessLog().close();
            throw new UserError(UserError.Kind.CONFLICT, "cannot listen on " + host + ":" + port + ": " + e.getMessage(),
                    "another process uses the port; pick another with --port");
        } catch (IOException e) {
            registry.close();
            ops.accessLog().close();
            throw new UserError(UserError.Kind.IO, "cannot start the server: " + e.getMessage());
        }
        if (swept > 0) {
            env.err().println("removed " + swept + " blob(s) left by an interrupted publish");
        }
        env.out().println("cxpm registry serving " + server.url() + " (data: " + dir + (blobs == null ? "" : ", blobs: " + blobs) + ")");
        env.out().println("first admin token: cxpm token create "
                + (database == null ? "--data " + dir : "--database '" + RegistryData.shown(database) + "'"));
        String base = shownUrl.map(Object::toString).orElse(server.url().toString());
        env.out().println("Codex CLI: codex plugin marketplace add " + base + "/codex/marketplace.git");
        env.out().println("cxpm: cxpm install PLUGIN --registry " + base);
        env.out().flush();
        ServeOperations.runUntilStopped(env, ops.shutdownGrace(), () -> {
            server.close();
            registry.close();
            ops.accessLog().close();
        });
    }

    private BlobStore s3(Env env) {
        if (!blobs.startsWith("s3://") || blobs.length() <= 5 || blobs.charAt(5) == '/') {
            throw new UserError(UserError.Kind.USAGE, "--blobs must be s3://BUCKET or s3://BUCKET/PREFIX, not " + blobs,
                    "omit it to keep blobs under --data");
        }
        String access = env.var("AWS_ACCESS_KEY_ID");
        String secret = env.var("AWS_SECRET_ACCESS_KEY");
        if (access == null || access.isBlank() || secret == null || secret.isBlank()) {
            throw new UserError(UserError.Kind.USAGE, "--blobs " + blobs + " needs credentials",
                    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }
        URI endpoint = null;
        if (s3Endpoint != null) {
            try {
                endpoint = new URI(s3Endpoint);
            } catch (URISyntaxException e) {
                endpoint = null;
            }
            if (endpoint == null || endpoint.getHost() == null || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
                throw new UserError(UserError.Kind.USAGE, "--s3-endpoint must be an http(s)://HOST[:PORT] URL, not " + s3Endpoint, null);
            }
        }
        return new S3BlobStore(blobs, endpoint, s3Region, access, secret);
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
