package dev.cxpm.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.CxpmProcess;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.testkit.PostgresServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
 * docs/OPERATIONS.md's scale-out as processes: two {@code cxpm serve} on one PostgreSQL database and one S3 bucket
 * (S3Proxy), one of them killed with SIGKILL in the middle of an upload. Nothing of that upload is left (no plugin,
 * version or audit row, no object), the other instance serves everything published before, and the same upload
 * through it succeeds (no lock or half-written row stands in its way).
 */
class ServeClusterKillTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCESS = "cxpm-cluster-access";
    private static final String SECRET = "cxpm-cluster-secret";
    private static final String BUCKET = "cxpm-cluster";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    Path bucketRoot;
    BlobStoreContext s3Store;
    S3Proxy s3;
    String database;
    final HttpClient http = HttpClient.newHttpClient();
    Process a;
    Process b;

    @BeforeEach
    void start() throws Exception {
        PostgresServer pg = PostgresServer.forTests().orElse(null);
        assumeThat(pg).as("PostgreSQL installed").isNotNull();
        database = pg.freshSchemaUrlNamed("serve_cluster");
        bucketRoot = Files.createDirectories(tmp.resolve("s3"));
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", bucketRoot.toString());
        s3Store = ContextBuilder.newBuilder("filesystem").overrides(props).build(BlobStoreContext.class);
        s3Store.getBlobStore().createContainerInLocation(null, BUCKET);
        s3 = S3Proxy.builder().blobStore(s3Store.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS, SECRET).build();
        s3.start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!s3.getState().equals("STARTED")) {
            assertThat(deadline - System.nanoTime()).as("S3Proxy started").isPositive();
            Thread.sleep(5);
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : new Process[] {a, b}) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly().waitFor();
            }
        }
        if (s3 != null) {
            s3.stop();
            s3Store.close();
        }
    }

    /** One instance: its own data directory (its git view), the shared database and bucket. */
    private URI serve(String name) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port);
        Path log = tmp.resolve(name + ".log");
        Process p = CxpmProcess.start(tmp, Map.of("HOME", tmp.resolve("home").toString(), "PATH", System.getenv("PATH"),
                        "AWS_ACCESS_KEY_ID", ACCESS, "AWS_SECRET_ACCESS_KEY", SECRET), log,
                "serve", "--port", String.valueOf(port), "--data", tmp.resolve(name).toString(), "--database", database,
                "--blobs", "s3://" + BUCKET + "/blobs", "--s3-endpoint", "http://127.0.0.1:" + s3.getPort());
        if (name.equals("a")) {
            a = p;
        } else {
            b = p;
        }
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            if (!p.isAlive()) {
                fail("cxpm serve exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(url.resolve("/readyz")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return url;
                }
            } catch (IOException notYet) {
                // still starting
            }
            assertThat(deadline - System.nanoTime()).as("cxpm serve %s ready", name).isPositive();
            Thread.sleep(50);
        }
    }

    private static byte[] plugin(String name) {
        return Packer.archive(Map.of(".codex-plugin/plugin.json",
                "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"description\":\"A plugin for " + name + ".\"}",
                "skills/hello/SKILL.md", "---\nname: hello\ndescription: Says hello.\n---\n" + "Hello. ".repeat(20_000) + "\n"));
    }

    private int publish(URI url, String token, byte[] archive) throws Exception {
        return http.send(HttpRequest.newBuilder(url.resolve("/api/v1/plugins")).PUT(HttpRequest.BodyPublishers.ofByteArray(archive))
                .header("Content-Type", "application/gzip").header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void sigkillMidUploadLeavesNothingAndTheOtherInstanceServesEverything() throws Exception {
        // a blob whose version row is not written yet, as a third instance in the middle of a publish leaves it:
        // starting an instance must not sweep it away (a single server on SQLite does, at start)
        byte[] inFlight = plugin("inflight");
        Path inFlightObject = Files.createDirectories(bucketRoot.resolve(BUCKET).resolve("blobs"))
                .resolve(Integrity.sha512(inFlight).hex() + ".tgz");
        Files.write(inFlightObject, inFlight);
        URI urlA = serve("a");
        URI urlB = serve("b");
        assertThat(inFlightObject).as("another instance's blob of a publish in flight, after two instances started").exists();
        Files.delete(inFlightObject);
        CliRun token = CliRun.in(tmp, "token", "create", "--database", database);
        assertThat(token.exitCode()).as(token.stderr()).isZero();
        String admin = token.stdout().strip();
        assertThat(publish(urlA, admin, plugin("kept"))).isEqualTo(201);

        byte[] lost = plugin("lost");
        try (Socket socket = new Socket(urlA.getHost(), urlA.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/v1/plugins HTTP/1.1\r\nHost: " + urlA.getAuthority() + "\r\nAuthorization: Bearer " + admin
                    + "\r\nContent-Type: application/gzip\r\nContent-Length: " + lost.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(lost, 0, lost.length / 2);
            out.flush();
            Thread.sleep(300); // the server is reading the body
            a.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback from the process
            assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(count("SELECT count(*) FROM plugins WHERE name = 'lost'")).isZero();
        assertThat(count("SELECT count(*) FROM audit_log WHERE plugin = 'lost'")).isZero();
        assertThat(count("SELECT count(*) FROM versions")).isEqualTo(1);
        assertThat(objects()).as("objects in the bucket: only the kept plugin's").isEqualTo(referenced());

        HttpResponse<String> index = http.send(HttpRequest.newBuilder(urlB.resolve("/api/v1/plugins/kept")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        String tarball = JSON.readTree(index.body()).path("versions").get(0).path("tarball").asText();
        HttpResponse<byte[]> blob = http.send(HttpRequest.newBuilder(urlB.resolve(tarball)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(blob.statusCode()).isEqualTo(200);
        assertThat(Integrity.sha512(blob.body()).sri()).isEqualTo(JSON.readTree(index.body()).path("versions").get(0).path("integrity").asText());
        assertThat(http.send(HttpRequest.newBuilder(urlB.resolve("/api/v1/plugins/lost")).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(404);

        assertThat(publish(urlB, admin, lost)).as("the killed upload again, through the other instance").isEqualTo(201);
        assertThat(count("SELECT count(*) FROM versions")).isEqualTo(2);
        assertThat(objects()).isEqualTo(referenced());
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Set<String> referenced() throws Exception {
        Set<String> hex = new HashSet<>();
        try (Connection c = DriverManager.getConnection(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT integrity FROM versions")) {
            while (rs.next()) {
                hex.add(rs.getString(1));
            }
        }
        return hex;
    }

    private Set<String> objects() throws IOException {
        Set<String> hex = new HashSet<>();
        try (Stream<Path> files = Files.walk(bucketRoot.resolve(BUCKET))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".tgz")) {
                    hex.add(n.substring(0, n.length() - ".tgz".length()));
                }
            }
        }
        return hex;
    }
}
