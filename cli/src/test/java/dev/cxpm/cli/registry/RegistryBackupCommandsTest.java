package dev.cxpm.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.DemoPlugins;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.registry.storage.blob.S3BlobStore;
import dev.cxpm.testkit.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/OPERATIONS.md's "Back up, restore, move to PostgreSQL, collect garbage", every command line as written there
 * (paths and URLs substituted): a registry on the embedded default moved to a real PostgreSQL and a real S3 endpoint
 * (S3Proxy), then both served and compared over HTTP.
 */
class RegistryBackupCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCESS = "cxpm-backup-access";
    private static final String SECRET = "cxpm-backup-secret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;
    BlobStoreContext s3Store;
    S3Proxy s3;

    @AfterEach
    void stopS3() throws Exception {
        if (s3 != null) {
            s3.stop();
        }
        if (s3Store != null) {
            s3Store.close();
        }
    }

    private String startS3() throws Exception {
        s3Store = ContextBuilder.newBuilder("transient").overrides(new Properties()).build(BlobStoreContext.class);
        s3Store.getBlobStore().createContainerInLocation(null, "cxpm");
        s3 = S3Proxy.builder().blobStore(s3Store.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS, SECRET).build();
        s3.start();
        while (!s3.getState().equals("STARTED")) {
            Thread.sleep(5);
        }
        return "http://127.0.0.1:" + s3.getPort();
    }

    /** The section's command lines, in order, as the operator would type them. */
    static List<String> documentedCommands() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "OPERATIONS.md"));
        int start = doc.indexOf("## Back up, restore, move to PostgreSQL, collect garbage");
        assertThat(start).as("the section in docs/OPERATIONS.md").isNotNegative();
        int end = doc.indexOf("\n## ", start + 3);
        List<String> out = new ArrayList<>();
        for (String line : doc.substring(start, end < 0 ? doc.length() : end).split("\n")) {
            if (line.startsWith("cxpm ")) {
                out.add(line);
            }
        }
        return out;
    }

    @Test
    void theDocumentedCommandsMoveARegistryFromSqliteToPostgresAndS3AndItServesTheSame() throws Exception {
        PostgresServer pg = PostgresServer.forTests().orElse(null);
        assumeThat(pg).as("PostgreSQL installed").isNotNull();
        String database = pg.freshSchemaUrlNamed("registry_backup_e2e");
        String endpoint = startS3();
        Path data = tmp.resolve("srv-cxpm");
        Path backup = tmp.resolve("backup").resolve("cxpm-2026-12-05");
        Files.createDirectories(backup.getParent());

        Registry source = Registry.embedded(data, Clock.systemUTC());
        Caller admin = new Caller("alice", List.of(Caller.ADMIN), null);
        DemoPlugins.seed(source, admin);
        source.deprecate(admin, "github-triage", "<1.0.0", "use 1.x");
        String token = source.createToken(null, "carol", List.of("owner"), null, null).token();
        source.close();
        // an orphan left by a failed publish, old enough for gc
        byte[] orphan = "orphan".getBytes(StandardCharsets.UTF_8);
        Integrity orphanId = Integrity.sha512(orphan);
        new FileBlobStore(data.resolve("blobs")).put(orphanId, orphan);
        Files.setLastModifiedTime(data.resolve("blobs").resolve(orphanId.hex().substring(0, 2)).resolve(orphanId.hex() + ".tgz"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(2))));

        Map<String, String> env = new HashMap<>(Map.of("HOME", tmp.resolve("home").toString(), "PATH", System.getenv("PATH"),
                "AWS_ACCESS_KEY_ID", ACCESS, "AWS_SECRET_ACCESS_KEY", SECRET, "XDG_DATA_HOME", tmp.resolve("xdg").toString()));
        Map<String, String> substitutions = Map.of("/srv/cxpm", data.toString(), "/backup/cxpm-2026-12-05", backup.toString(),
                "\"$DATABASE\"", database, "\"$S3_ENDPOINT\"", endpoint);
        List<String> commands = documentedCommands();
        assertThat(commands).anyMatch(c -> c.startsWith("cxpm registry export")).anyMatch(c -> c.startsWith("cxpm registry import"))
                .anyMatch(c -> c.startsWith("cxpm registry gc"));
        List<String> gcOutputs = new ArrayList<>();
        for (String command : commands) {
            if (command.startsWith("cxpm serve")) {
                continue; // served below, in-process, to compare with the source
            }
            List<String> args = new ArrayList<>();
            for (String word : command.substring("cxpm ".length()).split(" ")) {
                args.add(substitutions.getOrDefault(word, word));
            }
            CliRun run = CliRun.in(tmp, env, Env.Stderr.OTHER, Clock.systemUTC(), args.toArray(String[]::new));
            assertThat(run.exitCode()).as(command + "\n" + run.stderr()).isZero();
            if (command.startsWith("cxpm registry gc")) {
                gcOutputs.add(run.stdout());
            }
        }
        assertThat(gcOutputs.get(0)).contains("would remove " + orphanId.hex());
        JsonNode gc = JSON.readTree(gcOutputs.get(1));
        assertThat(gc.path("removed").get(0).path("integrity").asText()).isEqualTo(orphanId.hex());
        assertThat(gc.path("missing")).isEmpty();
        assertThat(new FileBlobStore(data.resolve("blobs")).exists(orphanId)).isFalse();

        CliRun again = CliRun.in(tmp, env, "registry", "import", "--database", database, "--blobs", "s3://cxpm/blobs",
                "--s3-endpoint", endpoint, backup.toString());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(again.stderr()).contains("not empty");

        List<Integrity> integrities;
        try (JdbcDatabase db = JdbcDatabase.sqlite(data.resolve("registry.db"))) {
            integrities = db.integrities();
        }
        Registry a = Registry.embedded(data, Clock.systemUTC());
        Registry b = Registry.postgres(database, new S3BlobStore("s3://cxpm/blobs", URI.create(endpoint), "us-east-1", ACCESS, SECRET),
                tmp.resolve("uploads-b"), Clock.systemUTC());
        try (RegistryServer sa = RegistryServer.start(a, "127.0.0.1", 0, new RegistryServer.Options(tmp.resolve("git-a"), "cxpm-registry"));
             RegistryServer sb = RegistryServer.start(b, "127.0.0.1", 0, new RegistryServer.Options(tmp.resolve("git-b"), "cxpm-registry"))) {
            for (String p : List.of("github-triage", "postgres-explorer", "design-review")) {
                assertThat(get(sb.url(), "/api/v1/plugins/" + p).replace(sb.url().toString(), "URL"))
                        .isEqualTo(get(sa.url(), "/api/v1/plugins/" + p).replace(sa.url().toString(), "URL"));
            }
            assertThat(get(sb.url(), "/api/v1/search?q=review").replace(sb.url().toString(), "URL"))
                    .isEqualTo(get(sa.url(), "/api/v1/search?q=review").replace(sa.url().toString(), "URL"));
            for (Integrity i : integrities) {
                assertThat(bytes(sb.url(), "/api/v1/blobs/" + i.hex())).isEqualTo(bytes(sa.url(), "/api/v1/blobs/" + i.hex()));
            }
            HttpResponse<String> me = HTTP.send(HttpRequest.newBuilder(sb.url().resolve("/api/v1/me"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(me.statusCode()).as("a token of the old registry works on the new one").isEqualTo(200);
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aCorruptedExportIsRefusedOnTheCommandLineWithFileAndExitCodeAndTheTargetStaysEmpty() throws Exception {
        Path data = tmp.resolve("srv-cxpm");
        Registry source = Registry.embedded(data, Clock.systemUTC());
        DemoPlugins.seed(source, new Caller("alice", List.of(Caller.ADMIN), null));
        source.close();
        Path backup = tmp.resolve("backup");
        Map<String, String> env = Map.of("HOME", tmp.resolve("home").toString());
        CliRun export = CliRun.in(tmp, env, "registry", "export", "--data", data.toString(), backup.toString(), "--json");
        assertThat(export.exitCode()).as(export.stderr()).isZero();
        assertThat(JSON.readTree(export.stdout()).path("rows").path("plugins").asInt()).isEqualTo(3);
        CliRun twice = CliRun.in(tmp, env, "registry", "export", "--data", data.toString(), backup.toString());
        assertThat(twice.exitCode()).isEqualTo(ExitCodes.CONFLICT);

        Path blob;
        try (var s = Files.list(backup.resolve("blobs"))) {
            blob = s.findFirst().orElseThrow();
        }
        Files.writeString(blob, "not the archive");
        Path target = tmp.resolve("restored");
        CliRun restore = CliRun.in(tmp, env, "registry", "import", "--data", target.toString(), backup.toString());
        assertThat(restore.exitCode()).isEqualTo(ExitCodes.INTEGRITY);
        assertThat(restore.stderr()).contains("blobs/" + blob.getFileName()).contains("nothing was imported");
        try (JdbcDatabase db = JdbcDatabase.sqlite(target.resolve("registry.db"))) {
            assertThat(db.pluginsAfter("", 10)).isEmpty();
        }

        CliRun badGrace = CliRun.in(tmp, env, "registry", "gc", "--data", data.toString(), "--grace", "soon");
        assertThat(badGrace.exitCode()).isEqualTo(ExitCodes.USAGE);
        CliRun nowhere = CliRun.in(tmp, env, "registry", "gc", "--data", tmp.resolve("none").toString());
        assertThat(nowhere.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(tmp.resolve("none")).doesNotExist();

        // no export there at all: refused before the target is made, so no empty registry is left that `serve` would run on
        for (Path notAnExport : List.of(tmp.resolve("no-such-backup"), Files.createDirectories(tmp.resolve("empty-dir")))) {
            CliRun refused = CliRun.in(tmp, env, "registry", "import", "--data", tmp.resolve("new").toString(), notAnExport.toString());
            assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(ExitCodes.INVALID);
            assertThat(refused.stderr()).contains("nothing was imported");
            assertThat(tmp.resolve("new")).as("after importing " + notAnExport).doesNotExist();
        }
    }

    private static String get(URI base, String path) throws Exception {
        return new String(bytes(base, path), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(URI base, String path) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }
}
