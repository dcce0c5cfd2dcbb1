package dev.cxpm.cli;

import dev.cxpm.core.UserError;
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.DemoPlugins;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import dev.cxpm.registry.mirror.Mirror;
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
import java.time.Duration;
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

    @Option(names = "--mirror", paramLabel = "URL", description = "Run as a read-only mirror of the cxpm registry at URL: copy its plugins "
            + "(every blob checked against its sha512), serve them, refuse every write. See docs/OPERATIONS.md#mirror.")
    String mirrorOf;

    @Option(names = "--mirror-interval", paramLabel = "DURATION", description = "How often a mirror polls upstream, e.g. 30s, 5m, 1h "
            + "(and once at start). Default: ${DEFAULT-VALUE}.", defaultValue = "5m")
    String mirrorInterval;

    @CommandLine.Mixin
    ServeOperations operations;

    @Override
    public void run() {
        Env env = root.env;
        Optional<URI> shownUrl = Optional.ofNullable(publicUrl).map(ServeCommand::publicUrl);
        Path dir = RegistryData.resolve(env, data);
        Optional<URI> mirrorUrl = Optional.ofNullable(mirrorOf).map(ServeCommand::mirrorUrl);
        Duration interval = interval(mirrorInterval);
        if (mirrorUrl.isPresent() && demo) {
            throw new UserError(UserError.Kind.USAGE, "--demo cannot seed a mirror: a mirror holds only what it copies", "drop --demo");
        }
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
            swept = registry.sweepOrphanBlobs();
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
            RegistryServer.Options options = new RegistryServer.Options(dir.resolve("codex-marketplace.git"), marketplaceName,
                    shownUrl, dir.resolve("uploads"), operations.maxUploads(), RegistryServer.Options.DEFAULT_MAX_UPLOAD_TIME, ops);
            server = RegistryServer.start(registry, host, port, mirrorUrl.map(options::mirroring).orElse(options));
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
        Optional<Mirror> mirror = mirrorUrl.map(u -> new Mirror(u, registry, dir.resolve("mirror-spool"), env.clock()));
        mirror.ifPresent(m -> {
            env.out().println("read-only mirror of " + m.upstream() + ", polling every " + mirrorInterval + " (the log names what it refuses)");
            m.start(interval);
        });
        env.out().flush();
        ServeOperations.runUntilStopped(env, ops.shutdownGrace(), () -> {
            mirror.ifPresent(Mirror::close);
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

    private static URI mirrorUrl(String text) {
        URI u = dev.cxpm.core.registry.RegistryClient.parseUrl(text);
        if (!RegistryServer.Options.showable(u)) {
            throw new UserError(UserError.Kind.USAGE, "--mirror " + text + " is not a plain http(s)://host[:port][/path] URL",
                    "e.g. --mirror https://plugins.example.com");
        }
        return u;
    }

    /** 30s, 5m, 1h; at least 10 seconds, so a typo cannot make the mirror hammer upstream. */
    private static Duration interval(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,6})([smh])").matcher(text.strip());
        Duration d = m.matches() ? Duration.of(Long.parseLong(m.group(1)), switch (m.group(2)) {
            case "s" -> java.time.temporal.ChronoUnit.SECONDS;
            case "m" -> java.time.temporal.ChronoUnit.MINUTES;
            default -> java.time.temporal.ChronoUnit.HOURS;
        }) : null;
        if (d == null || d.toSeconds() < 10) {
            throw new UserError(UserError.Kind.USAGE, "--mirror-interval " + text + " is not a duration of at least 10s", "e.g. --mirror-interval 5m");
        }
        return d;
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
