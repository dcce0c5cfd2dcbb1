package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.registry.RegistryClient;
import dev.cxpm.registry.mirror.Mirror;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxpm serve --mirror URL}: a real upstream registry on 127.0.0.1, a mirror registry following it (one pass at
 * a time through {@link Mirror#syncOnce}), and a hostile upstream served by hand.
 */
class MirrorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Caller bob = new Caller("bob", List.of(Caller.OWNER), null);

    @TempDir
    Path up;
    @TempDir
    Path down;
    Registry upstream;
    RegistryServer upstreamServer;
    Registry mirrorRegistry;
    RegistryServer mirrorServer;
    Mirror mirror;

    @BeforeEach
    void start() throws Exception {
        upstream = Registry.embedded(up, Clock.systemUTC());
        upstreamServer = RegistryServer.start(upstream, "127.0.0.1", 0, new RegistryServer.Options(up.resolve("codex-marketplace.git"), "up"));
    }

    private void startMirror(URI of) throws Exception {
        mirrorRegistry = Registry.embedded(down, Clock.systemUTC());
        mirrorServer = RegistryServer.start(mirrorRegistry, "127.0.0.1", 0,
                new RegistryServer.Options(down.resolve("codex-marketplace.git"), "mirror").mirroring(of));
        mirror = new Mirror(of, mirrorRegistry, down.resolve("mirror-spool"), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        Stream.of(mirror, mirrorServer, mirrorRegistry, upstreamServer, upstream).filter(c -> c != null).forEach(c -> {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing what a test left
            }
        });
    }

    private HttpResponse<byte[]> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void assertSameIndex(String plugin) throws Exception {
        HttpResponse<byte[]> a = get(upstreamServer.url(), "/api/v1/plugins/" + plugin);
        HttpResponse<byte[]> b = get(mirrorServer.url(), "/api/v1/plugins/" + plugin);
        assertThat(b.statusCode()).isEqualTo(200);
        assertThat(new String(b.body(), StandardCharsets.UTF_8)).isEqualTo(new String(a.body(), StandardCharsets.UTF_8));
        assertThat(b.headers().firstValue("ETag")).isEqualTo(a.headers().firstValue("ETag"));
    }

    @Test
    void aClientInstallsFromTheMirrorTheBytesUpstreamServes() throws Exception {
        upstream.publish(bob, RegistryServerTest.plugin("demo", "1.0.0"));
        upstream.publish(bob, RegistryServerTest.plugin("demo", "1.1.0", "Demo, better", "productivity"));
        upstream.publish(bob, RegistryServerTest.plugin("other", "0.1.0"));
        upstream.deprecate(bob, "demo", "1.0.0", "use 1.1.0");
        upstream.addAdvisory(bob, "demo", null, "<1.1.0", "high", "leaks tokens", null);
        startMirror(upstreamServer.url());

        Mirror.Report r = mirror.syncOnce();

        assertThat(r.refused()).isEmpty();
        assertThat(r.added()).isEqualTo(3);
        assertSameIndex("demo");
        assertSameIndex("other");
        RegistryClient client = new RegistryClient(mirrorServer.url(), null);
        for (JsonNode v : JSON.readTree(client.index("demo", Optional.empty()).json()).path("versions")) {
            Path got = down.resolve("got.tgz");
            client.download(v.path("tarball").asText(), got);
            assertThat(Integrity.sha512(got).sri()).isEqualTo(v.path("integrity").asText());
            assertThat(Files.readAllBytes(got)).isEqualTo(get(upstreamServer.url(), v.path("tarball").asText()).body());
        }
        assertThat(new String(get(mirrorServer.url(), "/").body(), StandardCharsets.UTF_8))
                .contains("mirror of " + upstreamServer.url());
        // nothing changed upstream: the next pass is all 304s
        assertThat(mirror.syncOnce()).isEqualTo(new Mirror.Report(2, 0, 0, List.of()));
    }

    /** OPERATIONS.md: a mirror is carried across an air gap with export and import, and the registry there serves the same. */
    @Test
    void aMirrorExportedAndImportedAcrossAnAirGapServesUpstreamsDocumentsAndBlobs() throws Exception {
        upstream.publish(bob, RegistryServerTest.plugin("demo", "1.0.0"));
        upstream.publish(bob, RegistryServerTest.plugin("demo", "1.1.0"));
        upstream.yank(bob, "demo", "1.1.0", true);
        upstream.deprecate(bob, "demo", "1.0.0", "use 2.x");
        upstream.addAdvisory(bob, "demo", null, "<1.1.0", "high", "leaks tokens", null);
        startMirror(upstreamServer.url());
        assertThat(mirror.syncOnce().refused()).isEmpty();

        Path carried = down.resolve("carried");
        try (dev.cxpm.registry.storage.JdbcDatabase db = dev.cxpm.registry.storage.JdbcDatabase.sqlite(down.resolve("registry.db"))) {
            dev.cxpm.registry.storage.backup.RegistryExport.export(db, new dev.cxpm.registry.storage.blob.FileBlobStore(down.resolve("blobs")), carried);
        }
        Path gapped = Files.createDirectories(down.resolve("air-gapped"));
        try (dev.cxpm.registry.storage.JdbcDatabase db = dev.cxpm.registry.storage.JdbcDatabase.sqlite(gapped.resolve("registry.db"))) {
            dev.cxpm.registry.storage.backup.RegistryImport.importFrom(carried, db, new dev.cxpm.registry.storage.blob.FileBlobStore(gapped.resolve("blobs")));
        }
        try (Registry there = Registry.embedded(gapped, Clock.systemUTC());
             RegistryServer served = RegistryServer.start(there, "127.0.0.1", 0, new RegistryServer.Options(gapped.resolve("codex-marketplace.git"), "gapped"))) {
            HttpResponse<byte[]> doc = get(served.url(), "/api/v1/plugins/demo");
            assertThat(doc.statusCode()).isEqualTo(200);
            assertThat(new String(doc.body(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(get(upstreamServer.url(), "/api/v1/plugins/demo").body(), StandardCharsets.UTF_8));
            for (JsonNode v : JSON.readTree(doc.body()).path("versions")) {
                assertThat(get(served.url(), v.path("tarball").asText()).body())
                        .isEqualTo(get(upstreamServer.url(), v.path("tarball").asText()).body());
            }
        }
    }

    @Test
    void aYankUpstreamShowsAfterTheNextPoll() throws Exception {
        upstream.publish(bob, RegistryServerTest.plugin("demo", "1.0.0"));
        upstream.publish(bob, RegistryServerTest.plugin("demo", "1.1.0"));
        startMirror(upstreamServer.url());
        mirror.syncOnce();

        upstream.yank(bob, "demo", "1.1.0", true);
        assertThat(JSON.readTree(get(mirrorServer.url(), "/api/v1/plugins/demo").body()).path("latest").asText()).isEqualTo("1.1.0");
        Mirror.Report r = mirror.syncOnce();

        assertThat(r.updated()).isEqualTo(1);
        assertSameIndex("demo");
        JsonNode doc = JSON.readTree(get(mirrorServer.url(), "/api/v1/plugins/demo").body());
        assertThat(doc.path("versions").get(1).path("yanked").asBoolean()).isTrue();
        assertThat(doc.path("latest").asText()).isEqualTo("1.0.0");
    }

    @Test
    void aBlobTamperedUpstreamIsRefusedAndNotServed() throws Exception {
        Registry.Published p = upstream.publish(bob, RegistryServerTest.plugin("demo", "1.0.0"));
        upstream.publish(bob, RegistryServerTest.plugin("other", "0.1.0"));
        Path blob = up.resolve("blobs").resolve(p.integrity().hex().substring(0, 2)).resolve(p.integrity().hex() + ".tgz");
        Files.write(blob, RegistryServerTest.plugin("demo", "1.0.0", "evil twin", "productivity"));
        startMirror(upstreamServer.url());

        Mirror.Report r = mirror.syncOnce();

        assertThat(r.refused()).singleElement().asString().startsWith("demo@1.0.0: its blob's sha512 is");
        assertThat(get(mirrorServer.url(), "/api/v1/plugins/demo").statusCode()).isEqualTo(404);
        assertThat(get(mirrorServer.url(), Registry.BLOB_PATH + p.integrity().hex()).statusCode()).isEqualTo(404);
        assertSameIndex("other");
        try (Stream<Path> files = Files.walk(down.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
    }

    @Test
    void writesToTheMirrorAreRefusedNamingUpstream() throws Exception {
        startMirror(upstreamServer.url());
        String admin = mirrorRegistry.createToken(null, "alice", List.of(Caller.ADMIN), null, null).token();
        for (String[] write : new String[][] {{"PUT", "/api/v1/plugins"}, {"POST", "/api/v1/plugins/demo/versions/1.0.0/yank"},
                {"PUT", "/api/v1/plugins/demo/deprecation"}, {"POST", "/api/v1/plugins/demo/advisories"},
                {"PUT", "/api/v1/plugins/demo/owners/carol"}, {"POST", "/api/v1/tokens"}}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(mirrorServer.url().resolve(write[1]))
                    .method(write[0], HttpRequest.BodyPublishers.ofByteArray(RegistryServerTest.plugin("demo", "1.0.0")))
                    .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(write[0] + " " + write[1]).isEqualTo(405);
            JsonNode problem = JSON.readTree(r.body());
            assertThat(problem.path("error").asText()).isEqualTo("read-only-mirror");
            assertThat(problem.path("message").asText()).contains("read-only mirror of " + upstreamServer.url());
        }
        assertThat(mirrorRegistry.plugin("demo")).isEmpty();
    }

    /** An upstream answering what the test puts in {@code answers} (path to body), 404 otherwise. */
    private static HttpServer hostile(Map<String, byte[]> answers) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        s.createContext("/", ex -> {
            try (ex) {
                String key = ex.getRequestURI().getRawPath();
                if (key.startsWith(Registry.BLOB_PATH + "endless")) {
                    ex.sendResponseHeaders(200, 0);
                    byte[] chunk = new byte[1 << 16];
                    try (var out = ex.getResponseBody()) {
                        for (long sent = 0; sent < (1L << 40); sent += chunk.length) {
                            out.write(chunk);
                        }
                    } catch (java.io.IOException closedByTheMirror) {
                        // expected: the mirror stops reading at the cap
                    }
                    return;
                }
                byte[] body = answers.get(key);
                ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
                if (body != null) {
                    ex.getResponseBody().write(body);
                }
            }
        });
        s.start();
        return s;
    }

    private static String entry(String version, Integrity integrity, String tarball) {
        return "{\"version\":\"" + version + "\",\"integrity\":\"" + integrity.sri() + "\",\"size\":1,\"tarball\":\"" + tarball
                + "\",\"dependencies\":{},\"yanked\":false,\"publishedAt\":\"2026-01-01T00:00:00Z\"}";
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aHostileUpstreamIsRefusedItemByItemAndAVersionIsNeverReplaced() throws Exception {
        byte[] good = RegistryServerTest.plugin("demo", "1.0.0");
        byte[] twin = RegistryServerTest.plugin("demo", "1.0.0", "a different 1.0.0", "productivity");
        byte[] wrongName = RegistryServerTest.plugin("other", "2.0.0");
        Integrity g = Integrity.sha512(good);
        Integrity t = Integrity.sha512(twin);
        Integrity w = Integrity.sha512(wrongName);
        Integrity endless = Integrity.sha512(new byte[] {1});
        Map<String, byte[]> answers = new ConcurrentHashMap<>();
        // a total no listing reaches, and the same page whatever page is asked: the listing still ends
        answers.put("/api/v1/search", ("{\"total\":1000000000,\"results\":[{\"name\":\"../../etc\"},{\"name\":\"demo\"},{\"name\":\"Demo\"},"
                + "{\"name\":\"huge\"}]}").getBytes(StandardCharsets.UTF_8));
        answers.put("/api/v1/plugins/demo", ("{\"name\":\"demo\",\"versions\":[" + entry("../../x", g, Registry.BLOB_PATH + g.hex()) + "," + entry("..", g, Registry.BLOB_PATH + g.hex()) + ","
                + entry("1.0.0", g, Registry.BLOB_PATH + g.hex()) + "," + entry("2.0.0", w, Registry.BLOB_PATH + w.hex()) + ","
                + entry("3.0.0", endless, Registry.BLOB_PATH + "endless" + endless.hex()) + ","
                + entry("4.0.0", g, "http://169.254.169.254/latest") + "],\"advisories\":[{\"id\":\"X-1\",\"range\":\"<2.0.0\","
                + "\"severity\":\"high\",\"summary\":\"red \\u001b[31m alert\"},{\"id\":\"X-2\",\"range\":\"<2.0.0\",\"severity\":\"high\","
                + "\"summary\":\"leaks tokens\"}]}").getBytes(StandardCharsets.UTF_8));
        answers.put("/api/v1/plugins/huge", new byte[RegistryClient.MAX_INDEX_BYTES + 1]);
        answers.put(Registry.BLOB_PATH + g.hex(), good);
        answers.put(Registry.BLOB_PATH + w.hex(), wrongName);
        HttpServer evil = hostile(answers);
        try {
            startMirror(URI.create("http://127.0.0.1:" + evil.getAddress().getPort()));

            Mirror.Report r = mirror.syncOnce();

            assertThat(r.added()).isEqualTo(1);
            assertThat(String.join("\n", r.refused())).contains("../../etc: not a plugin name", "Demo: not a plugin name",
                    "demo@../../x: not a SemVer version", "demo@..: not a SemVer version", "demo@2.0.0: its archive's manifest says other@2.0.0",
                    "demo@3.0.0: ", "demo@4.0.0: its tarball is not", "huge: ");
            assertThat(mirrorRegistry.versions("demo")).extracting(v -> v.version()).containsExactly("1.0.0");
            assertThat(String.join("\n", r.refused())).contains("demo advisory X-1: a summary is");
            assertThat(mirrorRegistry.advisories("demo")).extracting(a -> a.id()).containsExactly("X-2");

            // upstream now claims another 1.0.0: the first one stays
            answers.put("/api/v1/plugins/demo", ("{\"name\":\"demo\",\"versions\":[" + entry("1.0.0", t, Registry.BLOB_PATH + t.hex())
                    + "]}").getBytes(StandardCharsets.UTF_8));
            answers.put(Registry.BLOB_PATH + t.hex(), twin);
            Mirror.Report again = mirror.syncOnce();
            assertThat(String.join("\n", again.refused())).contains("demo@1.0.0: upstream now names integrity " + t.sri());
            assertThat(mirrorRegistry.versions("demo")).singleElement().extracting(v -> v.integrity()).isEqualTo(g);
            assertThat(get(mirrorServer.url(), Registry.BLOB_PATH + g.hex()).body()).isEqualTo(good);

            // upstream gone: the mirror keeps serving what it holds
            evil.stop(0);
            evil = null;
            org.assertj.core.api.Assertions.assertThatThrownBy(mirror::syncOnce).isInstanceOf(RuntimeException.class);
            assertThat(get(mirrorServer.url(), "/api/v1/plugins/demo").statusCode()).isEqualTo(200);
            try (Stream<Path> spool = Files.list(down.resolve("mirror-spool"))) {
                assertThat(spool).isEmpty();
            }
        } finally {
            if (evil != null) {
                evil.stop(0);
            }
        }
    }
}
