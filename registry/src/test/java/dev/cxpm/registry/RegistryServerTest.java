package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.registry.storage.blob.BlobStore;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry as a client sees it: a real server on 127.0.0.1, real SQLite and blob files in a temp dir. */
class RegistryServerTest {


    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    String admin;

    /** The storage under test: SQLite and a blob directory here; PostgreSQL in {@link PostgresRegistryServerTest}. */
    protected Registry open() {
        return Registry.embedded(data, Clock.systemUTC());
    }

    /** The blob store {@link #open()} uses, read directly to count blobs and to plant an orphan. */
    protected BlobStore blobs() {
        return new FileBlobStore(data.resolve("blobs"));
    }

    @BeforeEach
    void start() throws IOException {
        registry = open();
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        admin = registry.createToken(null, "alice", List.of("admin"), null, "test").token();
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    static byte[] plugin(String name, String version) {
        return plugin(name, version, "A plugin for " + name + ".", "Coding");
    }

    static byte[] plugin(String name, String version, String description, String category) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(".codex-plugin/plugin.json", """
                {"name": "%s", "version": "%s", "description": "%s",
                 "interface": {"displayName": "%s", "category": "%s", "brandColor": "#112233"}}
                """.formatted(name, version, description, name.toUpperCase(), category));
        files.put("skills/hello/SKILL.md", "---\nname: hello\ndescription: Says hello.\n---\nHello.\n");
        return Packer.archive(files);
    }

    HttpResponse<String> publish(String token, byte[] archive) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(archive)).header("Content-Type", "application/gzip");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve(path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    long blobCount() {
        return blobs().list().size();
    }

    @Test
    void publishedVersionAppearsInIndexWithIntegrityAndItsBlobIsServed() throws Exception {
        byte[] archive = plugin("demo", "1.0.0");
        HttpResponse<String> r = publish(admin, archive);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).path("integrity").asText()).isEqualTo(Integrity.sha512(archive).sri());

        JsonNode index = json(get("/api/v1/plugins/demo"));
        assertThat(index.path("latest").asText()).isEqualTo("1.0.0");
        JsonNode v = index.path("versions").get(0);
        assertThat(v.path("integrity").asText()).isEqualTo(Integrity.sha512(archive).sri());
        assertThat(v.path("yanked").asBoolean()).isFalse();
        assertThat(v.path("dependencies").isObject()).isTrue();

        HttpResponse<byte[]> blob = http.send(HttpRequest.newBuilder(server.url().resolve(v.path("tarball").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(blob.statusCode()).isEqualTo(200);
        assertThat(blob.body()).isEqualTo(archive);
    }

    @Test
    void indexAnswers304WhenTheETagStillMatchesAnd200AfterAPublish() throws Exception {
        publish(admin, plugin("demo", "1.0.0"));
        HttpResponse<String> first = get("/api/v1/plugins/demo");
        String etag = first.headers().firstValue("ETag").orElseThrow();

        assertThat(get("/api/v1/plugins/demo", "If-None-Match", etag).statusCode()).isEqualTo(304);

        publish(admin, plugin("demo", "1.1.0"));
        HttpResponse<String> after = get("/api/v1/plugins/demo", "If-None-Match", etag);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
    }

    @Test
    void unknownPluginIs404() throws Exception {
        HttpResponse<String> r = get("/api/v1/plugins/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("error").asText()).isEqualTo("not-found");
    }

    @Test
    void republishingAVersionIs409AndKeepsTheFirstContent() throws Exception {
        byte[] first = plugin("demo", "1.0.0", "first", "Coding");
        assertThat(publish(admin, first).statusCode()).isEqualTo(201);
        HttpResponse<String> again = publish(admin, plugin("demo", "1.0.0", "second", "Coding"));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).path("error").asText()).isEqualTo("version-exists");
        assertThat(json(get("/api/v1/plugins/demo")).path("versions").get(0).path("integrity").asText())
                .isEqualTo(Integrity.sha512(first).sri());
        assertThat(blobCount()).isEqualTo(1);
    }

    @Test
    void twoConcurrentPublishesOfOneVersionExactlyOneWins() throws Exception {
        int n = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                byte[] archive = plugin("race", "1.0.0", "contender " + i, "Coding");
                results.add(pool.submit(() -> {
                    go.await();
                    return publish(admin, archive).statusCode();
                }));
            }
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : results) {
                codes.add(f.get());
            }
            assertThat(codes).filteredOn(c -> c == 201).hasSize(1);
            assertThat(codes).filteredOn(c -> c == 409).hasSize(n - 1);
        }
        assertThat(json(get("/api/v1/plugins/race")).path("versions")).hasSize(1);
        assertThat(blobCount()).isEqualTo(1);
    }

    @Test
    void publishWithoutTokenIs401() throws Exception {
        HttpResponse<String> r = publish(null, plugin("demo", "1.0.0"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
    }

    @Test
    void publishWithUnknownTokenIs401() throws Exception {
        assertThat(publish("cxpm_not-a-real-token", plugin("demo", "1.0.0")).statusCode()).isEqualTo(401);
    }

    @Test
    void publishWithExpiredTokenIs401ButAnUnexpiredOneWorks() throws Exception {
        String expired = registry.createToken(null, "bob", List.of("owner"), Duration.ofSeconds(-1), null).token();
        String fresh = registry.createToken(null, "bob", List.of("owner"), Duration.ofDays(1), null).token();
        HttpResponse<String> r = publish(expired, plugin("demo", "1.0.0"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).path("message").asText()).contains("expired");
        assertThat(publish(fresh, plugin("demo", "1.0.0")).statusCode()).isEqualTo(201);
    }

    @Test
    void revokedTokenIs401() throws Exception {
        Registry.CreatedToken t = registry.createToken(null, "bob", List.of("owner"), null, null);
        assertThat(publish(t.token(), plugin("demo", "1.0.0")).statusCode()).isEqualTo(201);
        assertThat(send("DELETE", "/api/v1/tokens/" + t.id(), t.token(), null).statusCode()).isEqualTo(200);
        HttpResponse<String> r = publish(t.token(), plugin("demo", "1.0.1"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).path("message").asText()).contains("revoked");
    }

    @Test
    void tokenScopedToAnotherPluginIs403() throws Exception {
        String other = registry.createToken(null, "bob", List.of("publish:other"), null, null).token();
        HttpResponse<String> r = publish(other, plugin("demo", "1.0.0"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(publish(other, plugin("other", "1.0.0")).statusCode()).isEqualTo(201);
    }

    @Test
    void publishingSomeoneElsesPluginIs403() throws Exception {
        String bob = registry.createToken(null, "bob", List.of("owner"), null, null).token();
        String carol = registry.createToken(null, "carol", List.of("owner"), null, null).token();
        assertThat(publish(bob, plugin("demo", "1.0.0")).statusCode()).isEqualTo(201);
        HttpResponse<String> r = publish(carol, plugin("demo", "1.1.0"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).path("error").asText()).isEqualTo("not-owner");
        assertThat(blobCount()).isEqualTo(1);
    }

    @Test
    void nameDifferingOnlyInCaseFromAnotherPluginIsRefused() throws Exception {
        assertThat(publish(admin, plugin("demo", "1.0.0")).statusCode()).isEqualTo(201);
        // upper case is refused by the name rule itself: names differing only by case cannot exist
        HttpResponse<String> r = publish(admin, plugin("Demo", "1.0.0"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("invalid-name");
    }

    @Test
    void lookAlikeOfAnotherOwnersPluginIsRefusedButItsOwnerAndAdminsMayUseIt() throws Exception {
        String bob = registry.createToken(null, "bob", List.of("owner"), null, null).token();
        String carol = registry.createToken(null, "carol", List.of("owner"), null, null).token();
        assertThat(publish(bob, plugin("github-triage", "1.0.0")).statusCode()).isEqualTo(201);

        HttpResponse<String> squat = publish(carol, plugin("github_triage", "1.0.0"));
        assertThat(squat.statusCode()).isEqualTo(409);
        assertThat(json(squat).path("error").asText()).isEqualTo("name-confusable");
        assertThat(json(squat).path("message").asText()).contains("github-triage");
        assertThat(publish(carol, plugin("g1thub-triage", "1.0.0")).statusCode()).isEqualTo(409);
        assertThat(blobCount()).isEqualTo(1);

        assertThat(publish(bob, plugin("github_triage", "1.0.0")).statusCode()).as("the owner may hold variants").isEqualTo(201);
        assertThat(publish(carol, plugin("gitlab-triage", "1.0.0")).statusCode()).isEqualTo(201);
        assertThat(publish(admin, plugin("github.triage", "1.0.0")).statusCode()).isEqualTo(201);
    }

    @Test
    void invalidPluginIsRefusedWithEveryProblemAndNothingIsStored() throws Exception {
        byte[] bad = Packer.archive(Map.of(
                ".codex-plugin/plugin.json", "{\"name\": \"Bad Name\", \"version\": \"one\"}",
                "skills/x/SKILL.md", "no front matter"));
        HttpResponse<String> r = publish(admin, bad);
        assertThat(r.statusCode()).isEqualTo(400);
        List<String> codes = new ArrayList<>();
        json(r).path("problems").forEach(p -> codes.add(p.path("code").asText()));
        // one answer holds the registry's own rules and validate --strict's (which owns version and SKILL.md rules)
        assertThat(codes).containsExactlyInAnyOrder("invalid-name", "missing-description", "name.invalid",
                "version.not-semver", "skill.frontmatter");
        assertThat(blobCount()).isZero();
    }

    @Test
    void foundationStrictValidationRefusesUndeclaredMcpPrerequisitesAndStoresNothing() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(".codex-plugin/plugin.json", "{\"name\":\"mcp-demo\",\"version\":\"1.0.0\",\"description\":\"Talks to a server.\"}");
        files.put(".mcp.json", "{\"mcpServers\":{\"s\":{\"command\":\"npx\",\"args\":[\"srv\"],\"env\":{\"API_TOKEN\":\"${API_TOKEN}\"}}}}");
        HttpResponse<String> r = publish(admin, Packer.archive(files));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("message").asText()).contains("validate --strict");
        assertThat(r.body()).contains("npx").contains("API_TOKEN");
        assertThat(blobCount()).isZero();

        files.put(".codex-plugin/plugin.json", "{\"name\":\"mcp-demo\",\"version\":\"1.0.0\",\"description\":\"Talks to a server.\","
                + "\"prerequisites\":{\"commands\":{\"npx\":\"Node.js\"},\"env\":{\"API_TOKEN\":\"a token\"}}}");
        HttpResponse<String> ok = publish(admin, Packer.archive(files));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    }

    @Test
    void archiveWithoutManifestIsRefused() throws Exception {
        HttpResponse<String> r = publish(admin, Packer.archive(Map.of("README.md", "hi")));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("missing-manifest");
    }

    @Test
    void hostileArchiveIsRefusedBeforeAnythingIsStored() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(".codex-plugin/plugin.json", "{\"name\":\"evil\",\"version\":\"1.0.0\",\"description\":\"x\"}");
        files.put("../../escape.txt", "owned");
        files.put("/etc/passwd-copy", "root");
        byte[] archive = rawTar(files, "link-to-root", "/");
        HttpResponse<String> r = publish(admin, archive);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("path-traversal").contains("absolute-path").contains("link-entry");
        assertThat(blobCount()).isZero();
        assertThat(get("/api/v1/plugins/evil").statusCode()).isEqualTo(404);
    }

    @Test
    void archiveWithoutOneTopDirectoryIsRefusedBecauseInstallersStripIt() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(".codex-plugin/plugin.json", "{\"name\":\"flat\",\"version\":\"1.0.0\",\"description\":\"x\"}");
        files.put("skills/a/SKILL.md", "---\nname: a\ndescription: b\n---\n");
        HttpResponse<String> r = publish(admin, flatTar(files));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("archive-layout");
        assertThat(blobCount()).isZero();
    }

    static byte[] flatTar(Map<String, String> files) throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new java.util.zip.GZIPOutputStream(buf))) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
                e.setSize(b.length);
                tar.putArchiveEntry(e);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        return buf.toByteArray();
    }

    @Test
    void garbageBodyIsRefusedAsCorruptArchive() throws Exception {
        HttpResponse<String> r = publish(admin, "this is not gzip".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("corrupt-archive");
        assertThat(blobCount()).isZero();
    }

    @Test
    void multipartUploadIsAccepted() throws Exception {
        byte[] archive = plugin("multi", "1.0.0");
        String boundary = "xyzBOUNDARY";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"multi.tgz\"\r\n"
                + "Content-Type: application/gzip\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = new byte[head.length + archive.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(archive, 0, body, head.length, archive.length);
        System.arraycopy(tail, 0, body, head.length + archive.length, tail.length);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).path("integrity").asText()).isEqualTo(Integrity.sha512(archive).sri());
    }

    @Test
    void yankMarksTheVersionAndMovesLatestBack() throws Exception {
        publish(admin, plugin("demo", "1.0.0"));
        publish(admin, plugin("demo", "1.1.0"));
        HttpResponse<String> r = send("POST", "/api/v1/plugins/demo/versions/1.1.0/yank", admin, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode index = json(get("/api/v1/plugins/demo"));
        assertThat(index.path("latest").asText()).isEqualTo("1.0.0");
        assertThat(index.path("versions").get(1).path("yanked").asBoolean()).isTrue();
        // still fetchable: lockfiles that name it keep working
        assertThat(index.path("versions")).hasSize(2);

        assertThat(send("DELETE", "/api/v1/plugins/demo/versions/1.1.0/yank", admin, null).statusCode()).isEqualTo(200);
        assertThat(json(get("/api/v1/plugins/demo")).path("latest").asText()).isEqualTo("1.1.0");
    }

    @Test
    void yankWithoutOwnershipIs403AndUnknownVersionIs404() throws Exception {
        publish(admin, plugin("demo", "1.0.0"));
        String bob = registry.createToken(null, "bob", List.of("owner"), null, null).token();
        assertThat(send("POST", "/api/v1/plugins/demo/versions/1.0.0/yank", bob, null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/plugins/demo/versions/9.9.9/yank", admin, null).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/v1/plugins/demo/versions/1.0.0/yank", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void deprecationOfARangeShowsInTheIndexAndCanBeLifted() throws Exception {
        publish(admin, plugin("demo", "1.0.0"));
        publish(admin, plugin("demo", "1.1.0"));
        publish(admin, plugin("demo", "2.0.0"));
        HttpResponse<String> r = send("PUT", "/api/v1/plugins/demo/deprecation", admin, "{\"range\":\"<2\",\"message\":\"use 2.x\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("versions").toString()).isEqualTo("[\"1.0.0\",\"1.1.0\"]");
        JsonNode versions = json(get("/api/v1/plugins/demo")).path("versions");
        assertThat(versions.get(0).path("deprecated").asText()).isEqualTo("use 2.x");
        assertThat(versions.get(2).has("deprecated")).isFalse();
        assertThat(get("/plugins/demo").body()).contains("deprecated: use 2.x");

        send("PUT", "/api/v1/plugins/demo/deprecation", admin, "{\"message\":\"\"}");
        assertThat(json(get("/api/v1/plugins/demo")).path("versions").get(0).has("deprecated")).isFalse();
        assertThat(send("PUT", "/api/v1/plugins/demo/deprecation", admin, "{\"range\":\"not a range!!\",\"message\":\"x\"}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void ownersAddRemoveOnlyByOwnersAndNeverTheLastOne() throws Exception {
        String bob = registry.createToken(null, "bob", List.of("owner"), null, null).token();
        String carol = registry.createToken(null, "carol", List.of("owner"), null, null).token();
        publish(bob, plugin("demo", "1.0.0"));
        assertThat(send("PUT", "/api/v1/plugins/demo/owners/dave", carol, null).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/api/v1/plugins/demo/owners/bob", bob, null).statusCode()).isEqualTo(409);

        HttpResponse<String> add = send("PUT", "/api/v1/plugins/demo/owners/carol", bob, null);
        assertThat(add.statusCode()).isEqualTo(200);
        assertThat(json(add).path("owners").toString()).isEqualTo("[\"bob\",\"carol\"]");
        assertThat(publish(carol, plugin("demo", "1.1.0")).statusCode()).isEqualTo(201);

        assertThat(send("DELETE", "/api/v1/plugins/demo/owners/bob", carol, null).statusCode()).isEqualTo(200);
        assertThat(publish(bob, plugin("demo", "1.2.0")).statusCode()).isEqualTo(403);
        assertThat(json(get("/api/v1/plugins/demo/owners")).path("owners").toString()).isEqualTo("[\"carol\"]");
        assertThat(get("/owners/carol").body()).contains("href=\"/plugins/demo\"");
    }

    @Test
    void searchRanksNameMatchesFirstFiltersByCategoryAndPaginates() throws Exception {
        publish(admin, plugin("postgres-tools", "1.0.0", "Query databases.", "Data"));
        publish(admin, plugin("notes", "1.0.0", "Keep notes, export them to postgres.", "Productivity"));
        publish(admin, plugin("weather", "1.0.0", "Forecasts.", "Data"));

        JsonNode r = json(get("/api/v1/search?q=postgres"));
        assertThat(r.path("total").asLong()).isEqualTo(2);
        assertThat(r.path("results").get(0).path("name").asText()).isEqualTo("postgres-tools");
        assertThat(r.path("results").get(1).path("name").asText()).isEqualTo("notes");

        JsonNode data = json(get("/api/v1/search?q=&category=data"));
        List<String> names = new ArrayList<>();
        data.path("results").forEach(x -> names.add(x.path("name").asText()));
        assertThat(names).containsExactly("postgres-tools", "weather");

        JsonNode page2 = json(get("/api/v1/search?perPage=2&page=2"));
        assertThat(page2.path("total").asLong()).isEqualTo(3);
        assertThat(page2.path("results")).hasSize(1);
        assertThat(page2.path("results").get(0).path("name").asText()).isEqualTo("weather");

        assertThat(json(get("/api/v1/search?q=post")).path("total").asLong()).as("prefix match").isEqualTo(2);
        assertThat(json(get("/api/v1/search?q=%22%29%28*%20OR")).path("total").asLong()).as("FTS syntax in user text is inert").isZero();
    }

    @Test
    void tokensCreatedThroughTheApiAreScopedByTheirGrantor() throws Exception {
        String bob = registry.createToken(null, "bob", List.of("owner"), null, null).token();
        HttpResponse<String> ok = send("POST", "/api/v1/tokens", bob, "{\"scopes\":[\"publish:demo\"],\"expiresInDays\":30}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        String narrow = json(ok).path("token").asText();
        assertThat(publish(narrow, plugin("demo", "1.0.0")).statusCode()).isEqualTo(201);

        assertThat(send("POST", "/api/v1/tokens", bob, "{\"scopes\":[\"admin\"]}").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/tokens", narrow, "{\"scopes\":[\"owner\"]}").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/tokens", bob, "{\"scopes\":[\"owner\"],\"user\":\"mallory\"}").statusCode()).isEqualTo(403);
        JsonNode me = json(send("GET", "/api/v1/me", narrow, null));
        assertThat(me.path("user").asText()).isEqualTo("bob");
    }

    @Test
    void aUsersTokensAreListedAPageAtATimeAndFollowingNextGivesEachOnce() throws Exception {
        // a user of thousands of tokens (CI mints one per run) was answered all of them at once: 780 KB at 5,000
        String bob = registry.createToken(null, "bob", List.of("owner"), null, null).token();
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 2 * Tokens.DEFAULT_PAGE + 10; i++) {
            made.add(registry.createToken(null, "bob", List.of("owner"), null, "ci " + i).id());
        }
        registry.createToken(null, "carol", List.of("owner"), null, "not bob's");
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            HttpResponse<String> r = send("GET", "/api/v1/tokens" + (after == null ? "" : "?after=" + after), bob, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = json(r);
            assertThat(page.path("tokens").size()).isBetween(1, Tokens.DEFAULT_PAGE);
            page.path("tokens").forEach(t -> seen.add(t.path("id").asText()));
            after = page.path("next").isTextual() ? page.path("next").asText() : null;
            pages++;
        } while (after != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).doesNotHaveDuplicates().hasSize(made.size() + 1).containsAll(made);

        JsonNode small = json(send("GET", "/api/v1/tokens?limit=5", bob, null));
        assertThat(small.path("tokens").size()).isEqualTo(5);
        assertThat(small.path("next").asText()).isEqualTo(small.path("tokens").get(4).path("id").asText());
        assertThat(send("GET", "/api/v1/tokens?limit=" + (Tokens.MAX_PAGE + 1), bob, null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/v1/tokens?limit=0", bob, null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/v1/tokens?after=" + "f".repeat(65), bob, null).statusCode()).isEqualTo(400);
    }

    @Test
    void tokensAreStoredHashed() throws Exception {
        String token = registry.createToken(null, "bob", List.of("owner"), null, null).token();
        Caller bob = registry.authenticate("Bearer " + token);
        assertThat(registry.tokens(bob, null, Tokens.DEFAULT_PAGE).tokens()).singleElement().satisfies(t -> {
            assertThat(t.secretHash()).isEqualTo(Tokens.sha256(token)).doesNotContain(token.substring(5));
        });
        if (Files.exists(data.resolve("registry.db"))) {
            registry.close();
            byte[] db = Files.readAllBytes(data.resolve("registry.db"));
            String wal = Files.exists(data.resolve("registry.db-wal")) ? Files.readString(data.resolve("registry.db-wal"), StandardCharsets.ISO_8859_1) : "";
            assertThat(new String(db, StandardCharsets.ISO_8859_1) + wal).doesNotContain(token.substring(5));
            registry = open();
        }
    }

    @Test
    void restartKeepsVersionsAndSweepsBlobsNoVersionPointsTo() throws Exception {
        publish(admin, plugin("demo", "1.0.0"));
        server.close();
        registry.close();
        // what a crash between the blob write and the version row leaves behind
        byte[] orphan = plugin("ghost", "1.0.0");
        blobs().put(Integrity.sha512(orphan), orphan);
        assertThat(blobCount()).isEqualTo(2);

        registry = open();
        assertThat(registry.sweepOrphanBlobs()).isEqualTo(1);
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        assertThat(blobCount()).isEqualTo(1);
        assertThat(json(get("/api/v1/plugins/demo")).path("latest").asText()).isEqualTo("1.0.0");
        assertThat(get("/api/v1/plugins/ghost").statusCode()).isEqualTo(404);
    }

    @Test
    void webHomeSearchesAndPluginPageShowsInstallCommandComponentsAndBrandColour() throws Exception {
        publish(admin, plugin("demo", "1.0.0", "Does <b>demo</b> things.", "Coding"));
        HttpResponse<String> home = get("/?q=demo");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("href=\"/plugins/demo\"").contains("Does &lt;b&gt;demo&lt;/b&gt; things.");

        HttpResponse<String> page = get("/plugins/demo");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("cxpm install demo").contains("id=copy").contains("/assets/accent/112233.css")
                .contains("<b>hello</b> Says hello.").contains("1.0.0");
        assertThat(get("/plugins/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void demoSeedingFillsTheRegistryOnceAndIsIdempotent() throws Exception {
        Caller root = registry.authenticate("Bearer " + admin);
        assertThat(DemoPlugins.seed(registry, root)).isEqualTo(4);
        assertThat(DemoPlugins.seed(registry, root)).isZero();
        assertThat(json(get("/api/v1/search")).path("total").asLong()).isEqualTo(3);
        assertThat(json(get("/api/v1/plugins/github-triage")).path("latest").asText()).isEqualTo("1.0.0");
        assertThat(get("/plugins/postgres-explorer").body()).contains("explain-plan").contains("uvx");
    }

    @Test
    void realCodexCliAddsTheRegistryAsAMarketplaceAndInstallsAPluginFromIt() throws Exception {
        publish(admin, plugin("demo", "1.0.0"));
        publish(admin, plugin("other", "2.0.0"));
        dev.cxpm.testkit.CodexClient codex = new dev.cxpm.testkit.CodexClient(data.resolve("codex-home"), data.resolve("home"));
        String mk = server.url() + "/codex/marketplace.git";

        dev.cxpm.testkit.CodexClient.Result add = codex.run("plugin", "marketplace", "add", mk);
        assertThat(add.exitCode()).as(add.output()).isZero();
        assertThat(add.stdout()).contains("cxpm-registry");
        dev.cxpm.testkit.CodexClient.Result install = codex.run("plugin", "add", "demo@cxpm-registry");
        assertThat(install.exitCode()).as(install.output()).isZero();
        dev.cxpm.testkit.CodexClient.Result list = codex.run("plugin", "list", "--json");
        JsonNode installed = JSON.readTree(list.stdout()).path("installed");
        assertThat(installed).hasSize(1);
        assertThat(installed.get(0).path("name").asText()).isEqualTo("demo");
        assertThat(installed.get(0).path("version").asText()).isEqualTo("1.0.0");
        assertThat(data.resolve("codex-home/plugins/cache/cxpm-registry/demo/1.0.0/skills/hello/SKILL.md")).exists();

        // a new version reaches Codex through marketplace upgrade
        publish(admin, plugin("demo", "1.1.0"));
        dev.cxpm.testkit.CodexClient.Result up = codex.run("plugin", "marketplace", "upgrade", "cxpm-registry");
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(codex.run("plugin", "add", "demo@cxpm-registry").exitCode()).isZero();
        assertThat(data.resolve("codex-home/plugins/cache/cxpm-registry/demo/1.1.0/.codex-plugin/plugin.json")).exists();
    }

    /** A tar.gz written entry by entry, so that it can hold what Packer.archive never writes: escapes and links. */
    static byte[] rawTar(Map<String, String> files, String symlinkName, String symlinkTarget) throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new java.util.zip.GZIPOutputStream(buf))) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey(), true);
                byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
                e.setSize(b.length);
                tar.putArchiveEntry(e);
                tar.write(b);
                tar.closeArchiveEntry();
            }
            TarArchiveEntry link = new TarArchiveEntry(symlinkName, TarArchiveEntry.LF_SYMLINK);
            link.setLinkName(symlinkTarget);
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        return buf.toByteArray();
    }
}
