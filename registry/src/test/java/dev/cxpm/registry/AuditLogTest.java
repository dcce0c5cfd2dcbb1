package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every write on the registry leaves exactly one audit row (who, when by the registry's clock, from where, what) in
 * the same transaction, a refused write none, and only admins read the log. Real server on 127.0.0.1 over real
 * SQLite; {@link PostgresAuditLogTest} runs it all on PostgreSQL.
 */
class AuditLogTest {

    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    String admin;
    String bob;
    String bobId;

    protected Registry open(Clock clock) {
        return Registry.embedded(data, clock);
    }

    protected String jdbcUrl() {
        return "jdbc:sqlite:" + data.resolve("registry.db");
    }

    @BeforeEach
    void start() throws Exception {
        registry = open(Clock.fixed(NOW, ZoneOffset.UTC));
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        admin = registry.createToken(null, "alice", List.of(Caller.ADMIN), null, "test").token();
        Registry.CreatedToken t = registry.createToken(null, "bob", List.of(Caller.OWNER), null, null);
        bob = t.token();
        bobId = t.id();
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> publish(String token, String name, String version) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(RegistryServerTest.plugin(name, version)))
                .header("Content-Type", "application/gzip").header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode audit(String query) throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/audit" + query, admin, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    JsonNode entries() throws Exception {
        return audit("?limit=200").path("entries");
    }

    /** Runs the write and checks that it added exactly one row, the newest, by bob from here, and returns it. */
    JsonNode oneRowBy(String action, int expectStatus, Write write) throws Exception {
        int before = entries().size();
        HttpResponse<String> r = write.run();
        assertThat(r.statusCode()).as(action + ": " + r.body()).isEqualTo(expectStatus);
        JsonNode all = entries();
        assertThat(all.size()).as(action).isEqualTo(before + 1);
        JsonNode e = all.get(0);
        assertThat(e.path("action").asText()).isEqualTo(action);
        assertThat(e.path("user").asText()).isEqualTo("bob");
        assertThat(e.path("tokenId").asText()).isEqualTo(bobId);
        assertThat(e.path("remote").asText()).isEqualTo("127.0.0.1");
        assertThat(e.path("at").asText()).isEqualTo(NOW.toString());
        return e;
    }

    @FunctionalInterface
    interface Write {
        HttpResponse<String> run() throws Exception;
    }

    @Test
    void everyWriteLeavesOneRowWithWhoWhenWhereAndWhat() throws Exception {
        JsonNode p = oneRowBy("publish", 201, () -> publish(bob, "demo", "1.0.0"));
        assertThat(p.path("plugin").asText()).isEqualTo("demo");
        assertThat(p.path("version").asText()).isEqualTo("1.0.0");
        assertThat(p.path("details").path("integrity").asText()).startsWith("sha512-");
        assertThat(oneRowBy("yank", 200, () -> send("POST", "/api/v1/plugins/demo/versions/1.0.0/yank", bob, null)).path("version").asText())
                .isEqualTo("1.0.0");
        oneRowBy("unyank", 200, () -> send("DELETE", "/api/v1/plugins/demo/versions/1.0.0/yank", bob, null));
        JsonNode d = oneRowBy("deprecate", 200, () -> send("PUT", "/api/v1/plugins/demo/deprecation", bob, "{\"range\":\"1.x\",\"message\":\"Use 2.\"}"));
        assertThat(d.path("details").path("message").asText()).isEqualTo("Use 2.");
        assertThat(d.path("details").path("versions").toString()).isEqualTo("[\"1.0.0\"]");
        oneRowBy("undeprecate", 200, () -> send("PUT", "/api/v1/plugins/demo/deprecation", bob, "{\"message\":\"\"}"));
        assertThat(oneRowBy("owner-add", 200, () -> send("PUT", "/api/v1/plugins/demo/owners/dave", bob, null)).path("details").path("user").asText())
                .isEqualTo("dave");
        oneRowBy("owner-remove", 200, () -> send("DELETE", "/api/v1/plugins/demo/owners/dave", bob, null));
        JsonNode a = oneRowBy("advisory-add", 201, () -> send("POST", "/api/v1/plugins/demo/advisories", bob,
                "{\"range\":\"<1.2.3\",\"severity\":\"high\",\"summary\":\"Leaks the token.\"}"));
        String id = a.path("details").path("id").asText();
        assertThat(id).isEqualTo("CXPM-2026-0001");
        oneRowBy("advisory-withdraw", 200, () -> send("DELETE", "/api/v1/plugins/demo/advisories/" + id, bob, null));
        HttpResponse<String>[] created = new HttpResponse[1];
        JsonNode t = oneRowBy("token-create", 201, () -> created[0] = send("POST", "/api/v1/tokens", bob, "{\"scopes\":[\"publish:demo\"]}"));
        JsonNode token = JSON.readTree(created[0].body());
        assertThat(t.path("details").path("id").asText()).isEqualTo(token.path("id").asText());
        // the id names the token; neither its secret nor the hash the registry keeps reaches the log
        String log = audit("?limit=200").toString();
        assertThat(log).doesNotContain(token.path("token").asText()).doesNotContain(Tokens.sha256(token.path("token").asText()));
        oneRowBy("token-revoke", 200, () -> send("DELETE", "/api/v1/tokens/" + token.path("id").asText(), bob, null));
    }

    @Test
    void aRefusedWriteLeavesNoRow() throws Exception {
        assertThat(publish(bob, "demo", "1.0.0").statusCode()).isEqualTo(201);
        String carol = registry.createToken(null, "carol", List.of(Caller.OWNER), null, null).token();
        int before = entries().size();
        assertThat(publish(bob, "demo", "1.0.0").statusCode()).isEqualTo(409);
        assertThat(publish(carol, "demo", "1.0.1").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/plugins/demo/versions/1.0.0/yank", carol, null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/plugins/demo/versions/9.9.9/yank", bob, null).statusCode()).isEqualTo(404);
        assertThat(send("PUT", "/api/v1/plugins/demo/deprecation", bob, "{\"range\":\"not a range!\",\"message\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(send("PUT", "/api/v1/plugins/demo/deprecation", bob, "{\"range\":\"2.x\",\"message\":\"nothing matches\"}").statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/api/v1/plugins/demo/owners/bob", bob, null).statusCode()).isEqualTo(409);
        assertThat(send("POST", "/api/v1/tokens", bob, "{\"scopes\":[\"admin\"]}").statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/api/v1/tokens/abcdef012345", bob, null).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/v1/plugins/demo/advisories", bob, "{\"range\":\"<2\",\"severity\":\"dire\",\"summary\":\"x\"}").statusCode())
                .isEqualTo(400);
        assertThat(send("DELETE", "/api/v1/plugins/demo/advisories/CXPM-2026-0042", bob, null).statusCode()).isEqualTo(404);
        assertThat(entries().size()).isEqualTo(before);
    }

    @Test
    void aWriteWhoseAuditRowCannotBeWrittenDoesNotHappen() throws Exception {
        assertThat(publish(bob, "demo", "1.0.0").statusCode()).isEqualTo(201);
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            refuseAuditInserts(s);
        }
        assertThat(send("POST", "/api/v1/plugins/demo/versions/1.0.0/yank", bob, null).statusCode()).isEqualTo(500);
        assertThat(publish(bob, "demo", "1.0.1").statusCode()).isEqualTo(500);
        assertThat(registry.versions("demo")).singleElement().satisfies(v -> assertThat(v.yanked()).isFalse());
    }

    /** Makes every later insert into the audit log fail, as a full disk or a broken table would. */
    protected void refuseAuditInserts(Statement s) throws SQLException {
        s.execute("CREATE TRIGGER audit_log_broken BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'broken'); END");
    }

    @Test
    void theDatabaseRefusesToChangeOrDeleteAuditRows() throws Exception {
        assertThat(publish(bob, "demo", "1.0.0").statusCode()).isEqualTo(201);
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_log SET user_name = 'mallory'")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_log")).hasMessageContaining("append-only");
        }
        assertThat(entries().findValuesAsText("user")).contains("bob").doesNotContain("mallory");
    }

    @Test
    void pagesFollowACursorAndFiltersNarrowThem() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(publish(bob, "demo", "1.0." + i).statusCode()).isEqualTo(201);
        }
        assertThat(publish(admin, "tools", "1.0.0").statusCode()).isEqualTo(201);
        JsonNode first = audit("?plugin=demo&limit=2");
        assertThat(first.path("entries").findValuesAsText("version")).containsExactly("1.0.4", "1.0.3");
        JsonNode second = audit("?plugin=demo&limit=2&cursor=" + first.path("next").asText());
        assertThat(second.path("entries").findValuesAsText("version")).containsExactly("1.0.2", "1.0.1");
        JsonNode last = audit("?plugin=demo&limit=2&cursor=" + second.path("next").asText());
        assertThat(last.path("entries").findValuesAsText("version")).containsExactly("1.0.0");
        assertThat(last.path("next").isNull()).isTrue();
        assertThat(audit("?user=alice").path("entries").findValuesAsText("plugin")).containsExactly("tools");
        assertThat(audit("?since=2026-12-06").path("entries").size()).isZero();
        assertThat(audit("?since=2026-12-05T09:59:59Z&plugin=tools").path("entries").size()).isEqualTo(1);
        for (String bad : List.of("?limit=0", "?limit=201", "?since=yesterday", "?cursor=abc", "?plugin=" + "x".repeat(300))) {
            assertThat(send("GET", "/api/v1/audit" + bad, admin, null).statusCode()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void forwardedForIsRecordedOnlyWhenTheServerIsToldToTrustIt() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins/demo/owners/dave"))
                .PUT(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + admin)
                .header("X-Forwarded-For", "203.0.113.9").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404); // no such plugin: a refusal, so publish first
        assertThat(publish(bob, "demo", "1.0.0").statusCode()).isEqualTo(201);
        try (RegistryServer behindProxy = RegistryServer.start(registry, "127.0.0.1", 0,
                behindAProxy(new RegistryServer.Options(data.resolve("codex-marketplace-2.git"), "cxpm-registry")))) {
            for (RegistryServer s : List.of(server, behindProxy)) {
                // the client's own claim first, then what the proxy saw: only the last entry is the proxy's word
                http.send(HttpRequest.newBuilder(s.url().resolve("/api/v1/plugins/demo/versions/1.0.0/yank"))
                        .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + bob)
                        .header("X-Forwarded-For", "10.6.6.6, 203.0.113.9").build(), HttpResponse.BodyHandlers.ofString());
            }
            http.send(HttpRequest.newBuilder(behindProxy.url().resolve("/api/v1/plugins/demo/versions/1.0.0/yank"))
                    .DELETE().header("Authorization", "Bearer " + bob)
                    .header("X-Forwarded-For", "<script>").build(), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(entries().findValuesAsText("remote").subList(0, 3)).containsExactly("127.0.0.1", "203.0.113.9", "127.0.0.1");
    }

    @Test
    void writesWithoutATokenAreTheLocalOperators() throws Exception {
        Registry.CreatedToken t = registry.createToken(null, "erin", List.of(Caller.OWNER), null, null);
        JsonNode e = entries().get(0);
        assertThat(e.path("action").asText()).isEqualTo("token-create");
        assertThat(e.path("user").asText()).isEqualTo(AuditLog.LOCAL_OPERATOR);
        assertThat(e.path("remote").asText()).isEqualTo("local");
        assertThat(e.path("details").path("user").asText()).isEqualTo("erin");
        assertThat(e.path("details").path("id").asText()).isEqualTo(t.id());
    }

    private static RegistryServer.Options behindAProxy(RegistryServer.Options o) {
        dev.cxpm.registry.ops.Operations d = dev.cxpm.registry.ops.Operations.defaults();
        return o.with(new dev.cxpm.registry.ops.Operations(d.accessLog(), d.metricsToken(), d.perAddress(), d.perToken(), true,
                d.shutdownGrace(), d.maxPublishBytes(), d.metrics()));
    }
}
