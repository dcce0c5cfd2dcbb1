package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.testkit.PostgresServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two registry servers on one PostgreSQL database and one blob store, as docs/OPERATIONS.md's scale-out runs them:
 * what one serves follows a write through the other within {@link #BOUND} (index document, search, web page and the
 * Codex git view), and two publishing the same version at once leave exactly one version and no stray rows or blobs.
 */
class PostgresClusterTest {

    /** The visibility bound docs/OPERATIONS.md states; the answers cached before the write would last 5 s without the feed. */
    static final Duration BOUND = Duration.ofSeconds(2);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static PostgresServer pg;

    @TempDir
    Path tmp;
    private String url;
    private RunningRegistry a;
    private RunningRegistry b;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresServer.forTests().orElse(null);
        assumeThat(pg).as("PostgreSQL installed").isNotNull();
    }

    @BeforeEach
    void twoInstances() throws Exception {
        url = pg.freshSchemaUrlNamed("cluster");
        a = instance("a");
        b = instance("b");
    }

    private RunningRegistry instance(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        return new RunningRegistry(dir, new Registry(JdbcDatabase.postgres(url), new FileBlobStore(tmp.resolve("blobs")), dir.resolve("uploads"), Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void aPublishAndAYankThroughOneInstanceShowThroughTheOtherWithinTheBound() throws Exception {
        assertThat(a.publish(a.admin, TestArchive.plugin("alpha", "1.0.0").bytes()).statusCode()).isEqualTo(201);
        // b caches what it answers now: the index document, the search, the git view
        assertThat(latest(b, "alpha")).isEqualTo("1.0.0");
        assertThat(b.get("/api/v1/search?q=alpha").body()).contains("\"1.0.0\"");
        assertThat(marketplace(b, "warm")).contains("\"1.0.0\"");

        assertThat(a.publish(a.admin, TestArchive.plugin("alpha", "1.1.0").bytes()).statusCode()).isEqualTo(201);
        long published = System.nanoTime();
        awaitTrue("b's index document shows 1.1.0", published, () -> latest(b, "alpha").equals("1.1.0"));
        awaitTrue("b's search shows 1.1.0", published, () -> b.get("/api/v1/search?q=alpha").body().contains("\"1.1.0\""));
        awaitTrue("b's page shows 1.1.0", published, () -> b.get("/plugins/alpha").body().contains("1.1.0"));
        awaitTrue("b's git view shows 1.1.0", published, () -> marketplace(b, "after-publish").contains("\"1.1.0\""));
        // and the real Codex CLI, pointed at b alone, installs what was published through a
        dev.cxpm.testkit.CodexClient codex = new dev.cxpm.testkit.CodexClient(tmp.resolve("codex-home"), tmp.resolve("home"));
        dev.cxpm.testkit.CodexClient.Result add = codex.run("plugin", "marketplace", "add", b.server.url() + "/codex/marketplace.git");
        assertThat(add.exitCode()).as(add.output()).isZero();
        dev.cxpm.testkit.CodexClient.Result install = codex.run("plugin", "add", "alpha@cxpm-registry");
        assertThat(install.exitCode()).as(install.output()).isZero();
        assertThat(tmp.resolve("codex-home/plugins/cache/cxpm-registry/alpha/1.1.0")).isDirectory();

        assertThat(a.http("POST", "/api/v1/plugins/alpha/versions/1.1.0/yank", a.admin).statusCode()).isEqualTo(200);
        long yanked = System.nanoTime();
        awaitTrue("b's index document shows the yank", yanked, () -> latest(b, "alpha").equals("1.0.0"));
        awaitTrue("b's search shows the yank", yanked, () -> b.get("/api/v1/search?q=alpha").body().contains("\"1.0.0\""));
        awaitTrue("b's git view shows the yank", yanked, () -> marketplace(b, "after-yank").contains("\"1.0.0\""));
    }

    @Test
    void aDeprecationAndAnAdvisoryThroughOneInstanceShowThroughTheOtherWithinTheBound() throws Exception {
        assertThat(a.publish(a.admin, TestArchive.plugin("gamma", "1.0.0").bytes()).statusCode()).isEqualTo(201);
        assertThat(latest(b, "gamma")).isEqualTo("1.0.0"); // b caches the document now
        assertThat(send(a, "PUT", "/api/v1/plugins/gamma/deprecation", "{\"range\":\"1.x\",\"message\":\"use 2.x\"}")).isEqualTo(200);
        long deprecated = System.nanoTime();
        awaitTrue("b's index document shows the deprecation", deprecated,
                () -> JSON.readTree(b.get("/api/v1/plugins/gamma").body()).path("versions").get(0).path("deprecated").asText().equals("use 2.x"));
        assertThat(send(a, "POST", "/api/v1/plugins/gamma/advisories", "{\"range\":\"<2\",\"severity\":\"high\",\"summary\":\"leaks tokens\"}"))
                .isEqualTo(201);
        long advised = System.nanoTime();
        awaitTrue("b's index document shows the advisory", advised,
                () -> JSON.readTree(b.get("/api/v1/plugins/gamma").body()).path("advisories").size() == 1);
    }

    private static int send(RunningRegistry r, String method, String path, String json) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(r.server.url().resolve(path))
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + r.admin).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void afterItsListeningConnectionIsCutAnInstanceListensAgain() throws Exception {
        assertThat(a.publish(a.admin, TestArchive.plugin("beta", "1.0.0").bytes()).statusCode()).isEqualTo(201);
        assertThat(latest(b, "beta")).isEqualTo("1.0.0");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN cxpm_changes' AND pid <> pg_backend_pid()");
        }
        assertThat(a.publish(a.admin, TestArchive.plugin("beta", "1.1.0").bytes()).statusCode()).isEqualTo(201);
        long published = System.nanoTime();
        // reconnecting (100 ms backoff) and reading everything again fit in the bound too
        awaitTrue("b's index document shows 1.1.0", published, () -> latest(b, "beta").equals("1.1.0"));
        awaitTrue("b's git view shows 1.1.0", published, () -> marketplace(b, "after-cut").contains("\"1.1.0\""));
    }

    @Test
    void twoInstancesPublishingTheSameVersionAtOnceLeaveOneVersionAndNoStrayBlob() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = "race" + round;
            // different bytes, so each publisher stores a blob of its own before the insert decides
            List<byte[]> archives = List.of(TestArchive.plugin(name, "1.0.0").file("package/FROM_A.md", "a\n").bytes(),
                    TestArchive.plugin(name, "1.0.0").file("package/FROM_B.md", "b\n").bytes());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                for (int i = 0; i < 2; i++) {
                    RunningRegistry via = i == 0 ? a : b;
                    byte[] archive = archives.get(i);
                    results.add(pool.submit(() -> {
                        go.await();
                        return via.publish(via.admin, archive).statusCode();
                    }));
                }
                go.countDown();
                List<Integer> codes = new ArrayList<>();
                for (Future<Integer> f : results) {
                    codes.add(f.get());
                }
                assertThat(codes).as("round " + round).containsExactlyInAnyOrder(201, 409);
            }
            assertThat(count("SELECT count(*) FROM versions v JOIN plugins p ON p.id = v.plugin_id WHERE p.name = '" + name + "'"))
                    .as("version rows of " + name).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM plugins WHERE name = '" + name + "'")).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM audit_log WHERE action = 'publish' AND plugin = '" + name + "'")).isEqualTo(1);
        }
        Set<Integrity> referenced = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT integrity FROM versions")) {
            while (rs.next()) {
                referenced.add(Integrity.fromHex(rs.getString(1)));
            }
        }
        assertThat(new FileBlobStore(tmp.resolve("blobs")).list()).as("blobs in the shared store").isEqualTo(referenced);
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String latest(RunningRegistry r, String plugin) throws Exception {
        HttpResponse<String> res = r.get("/api/v1/plugins/" + plugin);
        JsonNode doc = JSON.readTree(res.statusCode() == 200 ? res.body() : "{}");
        return doc.path("latest").asText();
    }

    /** marketplace.json as a fresh {@code git clone} from the instance shows it. */
    private String marketplace(RunningRegistry r, String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("clones"));
        Path clone = dir.resolve(name + "-" + System.nanoTime());
        Process p = new ProcessBuilder("git", "-c", "protocol.version=0", "clone", "-q", r.server.url() + "/codex/marketplace.git",
                clone.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return Files.readString(clone.resolve(".agents/plugins/marketplace.json"));
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls until the check holds, failing once {@link #BOUND} has passed since {@code since} (a nanoTime). */
    private static void awaitTrue(String what, long since, Check check) throws Exception {
        while (!check.holds()) {
            assertThat(System.nanoTime() - since).as(what + " within " + BOUND).isLessThan(BOUND.toNanos());
            Thread.sleep(20);
        }
    }
}
