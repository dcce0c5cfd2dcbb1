package dev.cxpm.cli.registry;

import dev.cxpm.cli.Env;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.help.Examples;
import dev.cxpm.core.UserError;
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.DemoPlugins;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import dev.cxpm.registry.mirror.Mirror;
import dev.cxpm.registry.ops.Metrics;
import dev.cxpm.registry.ops.Operations;
import dev.cxpm.registry.ops.WatchedBlobStore;
import dev.cxpm.registry.index.SigningKeys;
import dev.cxpm.registry.storage.blob.BlobStore;
import dev.cxpm.registry.web.ClientRelease;
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
public final class ServeCommand implements Runnable {

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

    @Option(names = "--mirror", paramLabel = "URL", description = "Run as a read-only mirror of the cxpm registry at URL: copy its plugins "
            + "(every blob checked against its sha512), serve them, refuse every write. See docs/OPERATIONS.md#mirror.")
    String mirrorOf;

    @Option(names = "--mirror-interval", paramLabel = "DURATION", description = "How often a mirror polls upstream, e.g. 30s, 5m, 1h "
            + "(and once at start). Default: ${DEFAULT-VALUE}.", defaultValue = "5m")
    String mirrorInterval;

    @CommandLine.Mixin
    ServeOperations operations;
    @Option(names = "--signing-key", paramLabel = "FILE", description = "The Ed25519 key index documents are signed with (made there, "
            + "0600, when absent). Default: $CXPM_SIGNING_KEY_FILE, else signing-key.json in the data directory. Servers sharing a database must share it.")
    String signingKey;

    @Option(names = "--rotate-key", description = "Replace the signing key with a new one that the current key signs over (clients that "
            + "pinned the old key accept the new one), print both key ids and exit. Restart every server using the key afterwards.")
    boolean rotateKey;

    @Option(names = "--release-dir", paramLabel = "DIR", description = "Hand out the cxpm release in DIR (cxpm-VERSION-linux-x64.tar.gz and "
            + "its .sha512, as ./mvnw -Prelease package writes them to dist/target) at /install.sh and /downloads/. Default: the "
            + "release archives beside this cxpm's installation (a checkout's dist/target), if any.")
    String releaseDir;

    @Override
    public void run() {
        Env env = root.env;
        Optional<URI> shownUrl = Optional.ofNullable(publicUrl).map(u -> plainUrl("--public-url", u));
        Optional<ClientRelease> client = clientRelease(env);
        Path dir = storage.dir(env);
        Path keyFile = Optional.ofNullable(signingKey).or(() -> Optional.ofNullable(env.var("CXPM_SIGNING_KEY_FILE")).filter(v -> !v.isBlank()))
                .map(k -> env.cwd().resolve(k)).orElse(dir.resolve(RegistryServer.Options.SIGNING_KEY_FILE));
        if (rotateKey) {
            rotate(env, keyFile);
            return;
        }
        Optional<URI> mirrorUrl = Optional.ofNullable(mirrorOf).map(u -> plainUrl("--mirror", u));
        Duration interval = interval(mirrorInterval);
        if (mirrorUrl.isPresent() && demo) {
            throw new UserError(UserError.Kind.USAGE, "--demo cannot seed a mirror: a mirror holds only what it copies", "drop --demo");
        }
        Metrics metrics = new Metrics();
        Operations ops = operations.parse(env, metrics);
        BlobStore blobStore = new WatchedBlobStore(storage.blobStore(env), metrics);
        Registry registry;
        if (!storage.onPostgres()) {
            registry = Registry.embedded(dir, blobStore, env.clock());
        } else {
            registry = RegistryData.postgres(storage.database, blobStore, dir.resolve("uploads"), env.clock());
        }
        int swept;
        try {
            // on a shared database and store another instance may be between its blob and its version row: a sweep here
            // would take that blob; there the blobs are only checked, and `cxpm registry gc` sweeps after a grace period
            if (!storage.onPostgres()) {
                swept = registry.sweepOrphanBlobs();
            } else {
                registry.checkBlobs();
                swept = 0;
            }
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
            RegistryServer.Options options = new RegistryServer.Options(dir.resolve("codex-marketplace.git"), marketplaceName,
                    shownUrl, dir.resolve("uploads"), operations.maxUploads(), RegistryServer.Options.DEFAULT_MAX_UPLOAD_TIME).with(ops).withSigningKey(keyFile)
                    .withClient(client);
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
        Optional<Mirror> mirror = mirrorUrl.map(u -> new Mirror(u, registry, dir.resolve("mirror-spool"), env.clock()));
        mirror.ifPresent(m -> {
            env.out().println("read-only mirror of " + m.upstream() + ", polling every " + mirrorInterval + " (the log names what it refuses)");
            m.start(interval);
        });
        client.ifPresent(c -> env.out().println("cxpm " + c.version() + " for new users: curl -fsSL " + base + "/install.sh | sh"));
        env.out().flush();
        ServeOperations.runUntilStopped(env, ops.shutdownGrace(), () -> {
            mirror.ifPresent(Mirror::close);
            server.close();
            registry.close();
            ops.accessLog().close();
        });
    }

    /**
     * The release to hand out: in --release-dir (which must hold one), else beside this cxpm's installation: a
     * checkout's dist/target when it runs from cli/target, or the directory an unpacked release sits in.
     */
    private Optional<ClientRelease> clientRelease(Env env) {
        if (releaseDir != null) {
            Path given = env.resolve(releaseDir);
            return Optional.of(ClientRelease.find(given).orElseThrow(() -> new UserError(UserError.Kind.USAGE,
                    "--release-dir " + releaseDir + " holds no cxpm release (cxpm-VERSION-linux-x64.tar.gz with its .sha512 beside it)",
                    "./mvnw -Prelease package writes them to dist/target")));
        }
        try {
            Path jar = Path.of(ServeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path home = jar.getParent();
            if (!jar.toString().endsWith(".jar") || home == null || home.getParent() == null) {
                return Optional.empty();
            }
            Path checkoutDist = home.getFileName().toString().equals("target") && home.getParent().getFileName() != null
                    && home.getParent().getFileName().toString().equals("cli") && home.getParent().getParent() != null
                    ? home.getParent().getParent().resolve("dist/target") : home.getParent();
            return ClientRelease.find(checkoutDist);
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
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

    /**
     * The URL an option gives (--public-url, which the pages show in a command to paste; --mirror): plain
     * http(s)://host[:port][/path], nothing a shell reads specially.
     */
    private static URI plainUrl(String option, String text) {
        URI u = dev.cxpm.core.registry.RegistryClient.parseUrl(text);
        if (!RegistryServer.Options.showable(u)) {
            throw new UserError(UserError.Kind.USAGE, option + " " + text + " is not a plain http(s)://host[:port][/path] URL",
                    "e.g. " + option + " https://plugins.example.com");
        }
        return u;
    }
}
