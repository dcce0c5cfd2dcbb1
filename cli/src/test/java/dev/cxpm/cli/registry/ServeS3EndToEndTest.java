package dev.cxpm.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.CxpmProcess;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.testkit.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxpm serve --blobs s3://BUCKET/PREFIX --s3-endpoint URL} as an operator runs it: the real
 * command in its own JVM, credentials only in its environment, against a real S3 endpoint (S3Proxy
 * over a filesystem-backed store in the test's temp dir, so the bucket can be looked at as files);
 * then the README's flow with the real client commands: token create on the data directory (or on
 * the database), init, login, publish, marketplace add, install into a fresh Codex home.
 */
class ServeS3EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCESS = "cxpm-e2e-access";
    private static final String SECRET = "cxpm-e2e-secret";
    private static final String BUCKET = "cxpm-e2e";
    private static final String PREFIX = "team/blobs";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    Path bucketRoot;
    BlobStoreContext s3Store;
    S3Proxy s3;
    String s3Endpoint;
    Path data;
    Path codexHome;
    Path home;
    Map<String, String> env;
    Process server;
    Path serverLog;
    String url;

    @BeforeEach
    void startS3() throws Exception {
        bucketRoot = Files.createDirectories(tmp.resolve("s3"));
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", bucketRoot.toString());
        s3Store = ContextBuilder.newBuilder("filesystem").overrides(props).build(BlobStoreContext.class);
        s3Store.getBlobStore().createContainerInLocation(null, BUCKET);
        s3 = S3Proxy.builder()
                .blobStore(s3Store.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS, SECRET)
                .build();
        s3.start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!s3.getState().equals("STARTED")) { // start() returns before Jetty is listening
            assertThat(deadline - System.nanoTime()).as("S3Proxy started within %s", STARTUP).isPositive();
            Thread.sleep(5);
        }
        s3Endpoint = "http://127.0.0.1:" + s3.getPort();

        data = tmp.resolve("data");
        codexHome = tmp.resolve("codex-home");
        home = tmp.resolve("home");
        env = new HashMap<>(Fixtures.env(codexHome, home));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (server != null) {
                server.destroy(); // SIGTERM: the shutdown hook closes the server and the registry
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor();
                }
            }
        } finally {
            s3.stop();
            s3Store.close();
        }
    }

    CliRun cxpm(String... args) {
        return CliRun.in(tmp, env, args);
    }

    /** Starts {@code cxpm serve} on a free port with blobs in the bucket and waits until its API answers. */
    void serve(String... extra) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        url = "http://127.0.0.1:" + port;
        List<String> args = new ArrayList<>(List.of("serve", "--port", String.valueOf(port), "--data", data.toString(),
                "--blobs", "s3://" + BUCKET + "/" + PREFIX, "--s3-endpoint", s3Endpoint));
        args.addAll(List.of(extra));
        Map<String, String> serverEnv = Map.of("HOME", home.toString(), "PATH", System.getenv("PATH"),
                "AWS_ACCESS_KEY_ID", ACCESS, "AWS_SECRET_ACCESS_KEY", SECRET);
        serverLog = tmp.resolve("serve.log");
        server = CxpmProcess.start(tmp, serverEnv, serverLog, args.toArray(String[]::new));

        HttpClient http = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url + "/api/v1/registry")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            if (!server.isAlive()) {
                fail("cxpm serve exited with " + server.exitValue() + ":\n" + Files.readString(serverLog));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        && Files.readString(serverLog).contains("cxpm registry serving")) {
                    break;
                }
            } catch (IOException notListeningYet) {
                // the JVM is still starting
            }
            assertThat(deadline - System.nanoTime()).as("cxpm serve answered on %s within %s:\n%s", url, STARTUP, Files.readString(serverLog))
                    .isPositive();
            Thread.sleep(50);
        }
        assertThat(Files.readString(serverLog)).contains("cxpm registry serving " + url, "blobs: s3://" + BUCKET + "/" + PREFIX);
    }

    @Test
    void publishedBlobIsAnObjectUnderThePrefixNotAFileUnderDataAndInstallsFromThere() throws Exception {
        serve();
        CliRun token = cxpm("token", "create", "--data", data.toString());
        assertThat(token.exitCode()).as(token.stderr()).isZero();

        publishAndInstall(token.stdout().strip());
    }

    @Test
    void withPostgresMetadataTooTheBlobIsStillInTheBucketAndInstalls() throws Exception {
        PostgresServer pg = PostgresServer.forTests().orElse(null);
        assumeThat(pg).as("PostgreSQL installed").isNotNull();
        String database = pg.freshSchemaUrlNamed("serve_s3_e2e");
        serve("--database", database);
        CliRun token = cxpm("token", "create", "--database", database);
        assertThat(token.exitCode()).as(token.stderr()).isZero();

        publishAndInstall(token.stdout().strip());
        assertThat(data.resolve("registry.db")).as("metadata in PostgreSQL, not SQLite").doesNotExist();
    }

    private void publishAndInstall(String token) throws Exception {
        CliRun init = cxpm("init", "demo");
        assertThat(init.exitCode()).as(init.stderr()).isZero();
        Path plugin = tmp.resolve("demo");
        CliRun login = cxpm("login", "--registry", url, "--token", token);
        assertThat(login.exitCode()).as(login.stderr()).isZero();

        CliRun pub = cxpm("publish", plugin.toString(), "--json");
        assertThat(pub.exitCode()).as(pub.stderr()).isZero();
        JsonNode published = JSON.readTree(pub.stdout());
        assertThat(published.path("name").asText()).isEqualTo("demo");
        Integrity integrity = Integrity.parse(published.path("integrity").asText());

        Path object = bucketRoot.resolve(BUCKET).resolve(PREFIX).resolve(integrity.hex() + ".tgz");
        assertThat(object).as("the blob as an object in the bucket under the prefix").isRegularFile();
        assertThat(Integrity.sha512(object)).isEqualTo(integrity);
        assertThat(tgzFilesUnder(data)).as("no blob kept on the server's local disk").isEmpty();

        CliRun add = cxpm("marketplace", "add", url);
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        CliRun install = cxpm("install", "demo@cxpm-registry", "--json");
        assertThat(install.exitCode()).as(install.stderr()).isZero();
        assertThat(JSON.readTree(install.stdout()).path("origin").asText()).as("downloaded from the registry").isEqualTo("source");
        Path installed = codexHome.resolve("plugins/cache/cxpm-registry/demo/0.1.0");
        for (String file : List.of(".codex-plugin/plugin.json", "skills/example/SKILL.md", "README.md")) {
            assertThat(installed.resolve(file)).hasSameTextualContentAs(plugin.resolve(file));
        }
        assertThat(Files.readString(codexHome.resolve("config.toml"))).contains("[plugins.\"demo@cxpm-registry\"]\nenabled = true");
    }

    private static List<Path> tgzFilesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of(); // with PostgreSQL and S3 the server may never need its data directory
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
        }
    }
}
