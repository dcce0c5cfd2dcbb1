package dev.cxpm.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import dev.cxpm.testkit.PostgresServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxpm serve --mirror URL} as a real process following a real upstream, and a user installing from it. */
class ServeMirrorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private static byte[] plugin(String name, String version) {
        return Packer.archive(Map.of(".codex-plugin/plugin.json",
                "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"description\":\"A plugin for " + name + ".\"}"));
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aUserInstallsFromAMirrorWhatUpstreamServesAndTheMirrorRefusesWrites() throws Exception {
        Path up = tmp.resolve("upstream");
        try (Registry upstream = Registry.embedded(up, Clock.systemUTC());
             RegistryServer upstreamServer = RegistryServer.start(upstream, "127.0.0.1", 0,
                     new RegistryServer.Options(up.resolve("codex-marketplace.git"), "up"))) {
            upstream.publish(new Caller("bob", List.of(Caller.OWNER), null), plugin("hello", "1.0.0"));
            String javaBin = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "dev.cxpm.cli.Main", "serve", "--port", "0", "--data", tmp.resolve("mirror").toString(),
                    "--mirror", upstreamServer.url().toString(), "--mirror-interval", "10s"));
            Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("stderr.txt").toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                URI mirror = null;
                List<String> printed = new ArrayList<>();
                for (String line; mirror == null && (line = out.readLine()) != null; ) {
                    printed.add(line);
                    if (line.startsWith("cxpm registry serving ")) {
                        mirror = URI.create(line.split(" ")[3]);
                    }
                }
                assertThat(mirror).as(Files.readString(tmp.resolve("stderr.txt"))).isNotNull();
                assertThat(out.readLine()).isEqualTo("first admin token: cxpm token create --data " + tmp.resolve("mirror"));
                for (int i = 0; i < 300 && get(mirror, "/api/v1/plugins/hello").statusCode() != 200; i++) {
                    Thread.sleep(100);
                }
                assertThat(get(mirror, "/api/v1/plugins/hello").body()).isEqualTo(get(upstreamServer.url(), "/api/v1/plugins/hello").body());

                Map<String, String> env = Fixtures.env(tmp.resolve("codex-home"), tmp.resolve("home"));
                Path project = Files.createDirectories(tmp.resolve("project"));
                CliRun install = CliRun.in(project, env, Env.Stderr.OTHER, Clock.systemUTC(), "install", "hello", "--registry", mirror.toString(), "--json");
                assertThat(install.exitCode()).as(install.stderr()).isZero();
                JsonNode installed = JSON.readTree(install.stdout());
                assertThat(installed.path("version").asText()).isEqualTo("1.0.0");
                // the bytes upstream holds, unpacked where Codex reads them
                assertThat(Files.readString(Path.of(installed.path("installedPath").asText(), ".codex-plugin", "plugin.json")))
                        .isEqualTo("{\"name\":\"hello\",\"version\":\"1.0.0\",\"description\":\"A plugin for hello.\"}");

                HttpResponse<String> publish = http.send(HttpRequest.newBuilder(mirror.resolve("/api/v1/plugins"))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(plugin("evil", "1.0.0"))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(publish.statusCode()).isEqualTo(405);
                assertThat(JSON.readTree(publish.body()).path("message").asText()).contains("read-only mirror of " + upstreamServer.url());
            } finally {
                p.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * A mirror on the storage a scale-out registry uses (docs/OPERATIONS.md: PostgreSQL and an S3 bucket): what it copies
     * lands in the database and the bucket, not in its data directory, and it serves upstream's documents and blobs.
     */
    @Test
    void aMirrorOnPostgresAndS3ServesUpstreamFromTheDatabaseAndTheBucket() throws Exception {
        PostgresServer pg = PostgresServer.forTests().orElse(null);
        org.assertj.core.api.Assumptions.assumeThat(pg).as("PostgreSQL installed").isNotNull();
        String database = pg.freshSchemaUrlNamed("serve_mirror");
        BlobStoreContext s3Store = ContextBuilder.newBuilder("transient").overrides(new Properties()).build(BlobStoreContext.class);
        s3Store.getBlobStore().createContainerInLocation(null, "cxpm-mirror");
        S3Proxy s3 = S3Proxy.builder().blobStore(s3Store.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, "mirror-access", "mirror-secret").build();
        s3.start();
        Path up = tmp.resolve("upstream");
        Process p = null;
        try (Registry upstream = Registry.embedded(up, Clock.systemUTC());
             RegistryServer upstreamServer = RegistryServer.start(upstream, "127.0.0.1", 0,
                     new RegistryServer.Options(up.resolve("codex-marketplace.git"), "up"))) {
            while (!s3.getState().equals("STARTED")) {
                Thread.sleep(5);
            }
            upstream.publish(new Caller("bob", List.of(Caller.OWNER), null), plugin("hello", "1.0.0"));
            upstream.publish(new Caller("bob", List.of(Caller.OWNER), null), plugin("hello", "1.1.0"));
            String javaBin = ProcessHandle.current().info().command().orElse("java");
            Path data = tmp.resolve("mirror");
            ProcessBuilder pb = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "dev.cxpm.cli.Main", "serve", "--port", "0", "--data", data.toString(), "--database", database,
                    "--blobs", "s3://cxpm-mirror/blobs", "--s3-endpoint", "http://127.0.0.1:" + s3.getPort(),
                    "--mirror", upstreamServer.url().toString(), "--mirror-interval", "10s", "--access-log", "off")
                    .redirectError(tmp.resolve("stderr.txt").toFile());
            pb.environment().put("AWS_ACCESS_KEY_ID", "mirror-access");
            pb.environment().put("AWS_SECRET_ACCESS_KEY", "mirror-secret");
            p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            URI mirror = null;
            for (String line; mirror == null && (line = out.readLine()) != null; ) {
                if (line.startsWith("cxpm registry serving ")) {
                    mirror = URI.create(line.split(" ")[3]);
                }
            }
            assertThat(mirror).as(Files.readString(tmp.resolve("stderr.txt"))).isNotNull();
            String expected = get(upstreamServer.url(), "/api/v1/plugins/hello").body();
            for (int i = 0; i < 300 && !get(mirror, "/api/v1/plugins/hello").body().equals(expected); i++) {
                Thread.sleep(100);
            }
            assertThat(get(mirror, "/api/v1/plugins/hello").body()).as(Files.readString(tmp.resolve("stderr.txt"))).isEqualTo(expected);
            for (JsonNode v : JSON.readTree(expected).path("versions")) {
                HttpResponse<byte[]> blob = http.send(HttpRequest.newBuilder(mirror.resolve(v.path("tarball").asText())).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(blob.statusCode()).isEqualTo(200);
                assertThat(dev.cxpm.core.pack.Integrity.sha512(blob.body()).sri()).isEqualTo(v.path("integrity").asText());
            }
            assertThat(s3Store.getBlobStore().list("cxpm-mirror", org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive()))
                    .as("the two archives, in the bucket").hasSize(2);
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(database); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM versions")) {
                rs.next();
                assertThat(rs.getLong(1)).as("version rows in PostgreSQL").isEqualTo(2);
            }
            assertThat(data.resolve("registry.db")).doesNotExist();
            assertThat(data.resolve("blobs")).doesNotExist();
        } finally {
            if (p != null) {
                p.destroyForcibly().waitFor();
            }
            s3.stop();
            s3Store.close();
        }
    }

    @Test
    void badMirrorOptionsAreUsageErrors() {
        assertThat(CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--mirror", "http://127.0.0.1:1", "--mirror-interval", "1s")
                .exitCode()).isEqualTo(2);
        CliRun notUrl = CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--mirror", "http://x/$(id)");
        assertThat(notUrl.exitCode()).as(notUrl.stderr()).isEqualTo(2);
        CliRun demo = CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--mirror", "http://127.0.0.1:1", "--demo");
        assertThat(demo.exitCode()).isEqualTo(2);
        assertThat(demo.stderr()).contains("--demo cannot seed a mirror");
    }
}
