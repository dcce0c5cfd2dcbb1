package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the registry against every kind of caller, on a real server on 127.0.0.1: the
 * status each one gets is the scope table of docs/REGISTRY.md. bob owns {@code demo} and
 * {@code tools}, carol owns {@code weather}, alice is an admin.
 */
class TokenScopesTest {

    /** The callers, in the order of the status columns below. */
    private static final List<String> CALLERS = List.of("none", "bad token", "revoked", "expired", "publish:tools",
            "publish:demo", "owner of another plugin", "owner", "admin");

    private record Call(String method, String path, byte[] body, String contentType) {
    }

    /** One route (how to call it, fresh for each caller) and the status each caller must get. */
    private record Row(String route, Supplier<Call> call, int... statuses) {
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger versions = new AtomicInteger(1);

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    Caller bob;
    final Map<String, String> tokens = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        registry = Registry.embedded(data, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        bob = new Caller("bob", List.of(Caller.OWNER), null);
        registry.publish(bob, RegistryServerTest.plugin("demo", "1.0.0"));
        registry.publish(bob, RegistryServerTest.plugin("tools", "1.0.0"));
        registry.publish(new Caller("carol", List.of(Caller.OWNER), null), RegistryServerTest.plugin("weather", "1.0.0"));
        registry.addOwner(bob, "demo", "dave");

        tokens.put("none", null);
        tokens.put("bad token", "cxpm_not-a-token");
        Registry.CreatedToken revoked = registry.createToken(null, "bob", List.of(Caller.OWNER), null, null);
        registry.revokeToken(bob, revoked.id());
        tokens.put("revoked", revoked.token());
        tokens.put("expired", registry.createToken(null, "bob", List.of(Caller.OWNER), Duration.ofSeconds(-1), null).token());
        tokens.put("publish:tools", registry.createToken(null, "bob", List.of("publish:tools"), null, null).token());
        tokens.put("publish:demo", registry.createToken(null, "bob", List.of("publish:demo"), null, null).token());
        tokens.put("owner of another plugin", registry.createToken(null, "carol", List.of(Caller.OWNER), null, null).token());
        tokens.put("owner", registry.createToken(null, "bob", List.of(Caller.OWNER), null, null).token());
        tokens.put("admin", registry.createToken(null, "alice", List.of(Caller.ADMIN), null, null).token());
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private static Call call(String method, String path) {
        return new Call(method, path, null, null);
    }

    private static Call json(String method, String path, String body) {
        return new Call(method, path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
    }

    List<Row> table() {
        int[] anyone = {200, 200, 200, 200, 200, 200, 200, 200, 200};
        // none, bad, revoked, expired, publish:tools, publish:demo, carol (owner elsewhere), bob (owner), admin
        int[] releaseDemo = {401, 401, 401, 401, 403, 200, 403, 200, 200};
        int[] manageDemo = {401, 401, 401, 401, 403, 403, 403, 200, 200};
        String blob = registry.versions("demo").getFirst().integrity().hex();
        return List.of(
                new Row("PUT /api/v1/plugins", () -> new Call("PUT", "/api/v1/plugins",
                        RegistryServerTest.plugin("demo", "1.1." + versions.getAndIncrement()), "application/gzip"),
                        401, 401, 401, 401, 403, 201, 403, 201, 201),
                new Row("POST /api/v1/plugins/demo/versions/1.0.0/yank", () -> call("POST", "/api/v1/plugins/demo/versions/1.0.0/yank"), releaseDemo),
                new Row("DELETE /api/v1/plugins/demo/versions/1.0.0/yank", () -> call("DELETE", "/api/v1/plugins/demo/versions/1.0.0/yank"), releaseDemo),
                new Row("PUT /api/v1/plugins/demo/deprecation", () -> json("PUT", "/api/v1/plugins/demo/deprecation", "{\"message\":\"\"}"), releaseDemo),
                new Row("GET /api/v1/plugins/demo/advisories", () -> call("GET", "/api/v1/plugins/demo/advisories"), anyone),
                new Row("POST /api/v1/plugins/demo/advisories", () -> json("POST", "/api/v1/plugins/demo/advisories",
                        "{\"range\":\"<1.0.0\",\"severity\":\"low\",\"summary\":\"Old.\"}"), 401, 401, 401, 401, 403, 201, 403, 201, 201),
                new Row("DELETE /api/v1/plugins/demo/advisories/ID", () -> call("DELETE", "/api/v1/plugins/demo/advisories/"
                        + registry.addAdvisory(bob, "demo", null, "<1.0.0", "low", "Old.", null).id()), releaseDemo),
                // the audit log is for admins alone: not even the owner of every plugin in it
                new Row("GET /api/v1/audit", () -> call("GET", "/api/v1/audit"), 401, 401, 401, 401, 403, 403, 403, 403, 200),
                new Row("GET /api/v1/plugins/demo/owners", () -> call("GET", "/api/v1/plugins/demo/owners"), anyone),
                new Row("PUT /api/v1/plugins/demo/owners/erin", () -> call("PUT", "/api/v1/plugins/demo/owners/erin"), manageDemo),
                new Row("DELETE /api/v1/plugins/demo/owners/dave", () -> {
                    registry.addOwner(bob, "demo", "dave");
                    return call("DELETE", "/api/v1/plugins/demo/owners/dave");
                }, manageDemo),
                new Row("GET /api/v1/plugins/demo", () -> call("GET", "/api/v1/plugins/demo"), anyone),
                new Row("GET /api/v1/blobs/HEX", () -> call("GET", "/api/v1/blobs/" + blob), anyone),
                new Row("GET /api/v1/search", () -> call("GET", "/api/v1/search?q=demo"), anyone),
                new Row("GET /api/v1/me", () -> call("GET", "/api/v1/me"), 401, 401, 401, 401, 200, 200, 200, 200, 200),
                new Row("POST /api/v1/tokens", () -> json("POST", "/api/v1/tokens", "{\"scopes\":[\"publish:demo\"]}"),
                        401, 401, 401, 401, 403, 403, 201, 201, 201),
                new Row("GET /api/v1/tokens", () -> call("GET", "/api/v1/tokens"), 401, 401, 401, 401, 403, 403, 200, 200, 200),
                // another token of bob's: carol's token does not see it (404), a publish token may not touch it
                new Row("DELETE /api/v1/tokens/ID", () -> call("DELETE", "/api/v1/tokens/"
                        + registry.createToken(null, "bob", List.of(Caller.OWNER), null, null).id()),
                        401, 401, 401, 401, 403, 403, 404, 200, 200),
                new Row("GET /codex/marketplace.git/HEAD", () -> call("GET", "/codex/marketplace.git/HEAD"), anyone),
                new Row("GET /api/v1/registry", () -> call("GET", "/api/v1/registry"), anyone),
                new Row("GET /health", () -> call("GET", "/health"), anyone),
                new Row("GET /healthz", () -> call("GET", "/healthz"), anyone),
                new Row("GET /readyz", () -> call("GET", "/readyz"), anyone),
                // from this machine: no token needed, and none grants more (docs/SECURITY.md, who reads /metrics)
                new Row("GET /metrics", () -> call("GET", "/metrics"), anyone),
                new Row("GET /.well-known/cxpm-keys.json", () -> call("GET", "/.well-known/cxpm-keys.json"), anyone),
                new Row("GET /", () -> call("GET", "/?q=demo"), anyone),
                new Row("GET /plugins/demo", () -> call("GET", "/plugins/demo"), anyone),
                new Row("GET /plugins/demo/1.0.0", () -> call("GET", "/plugins/demo/1.0.0"), anyone),
                // demo has no icon: what matters is that no caller gets more than another
                new Row("GET /plugins/demo/1.0.0/icon", () -> call("GET", "/plugins/demo/1.0.0/icon"), 404, 404, 404, 404, 404, 404, 404, 404, 404),
                new Row("GET /owners/bob", () -> call("GET", "/owners/bob"), anyone),
                // this server hands out no cxpm release (ClientDownloadsTest has one): the same 404 for every caller
                new Row("GET /install.sh", () -> call("GET", "/install.sh"), 404, 404, 404, 404, 404, 404, 404, 404, 404),
                new Row("GET /downloads/NAME", () -> call("GET", "/downloads/cxpm-1.0.0-linux-x64.tar.gz"), 404, 404, 404, 404, 404, 404, 404, 404, 404),
                new Row("GET /assets/registry.css", () -> call("GET", "/assets/registry.css"), anyone),
                new Row("GET /assets/registry.js", () -> call("GET", "/assets/registry.js"), anyone),
                new Row("GET /assets/icon.svg", () -> call("GET", "/assets/icon.svg"), anyone),
                new Row("GET /assets/accent/112233.css", () -> call("GET", "/assets/accent/112233.css"), anyone));
    }

    @Test
    void everyCallerGetsExactlyWhatItsScopeAllowsOnEveryRoute() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Row row : table()) {
            assertThat(row.statuses()).as(row.route()).hasSize(CALLERS.size());
            for (int i = 0; i < CALLERS.size(); i++) {
                HttpResponse<String> r = send(row.call().get(), tokens.get(CALLERS.get(i)));
                if (r.statusCode() != row.statuses()[i]) {
                    wrong.add(row.route() + " as " + CALLERS.get(i) + ": " + r.statusCode() + " (expected " + row.statuses()[i] + ") " + r.body().substring(0, Math.min(120, r.body().length())));
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theTableCoversEveryRouteTheServerHas() {
        List<String> tested = table().stream().map(Row::route).toList();
        for (RegistryServer.Route route : server.routes()) {
            assertThat(tested).as("a row for " + route).anyMatch(t -> route.methods().contains(t.split(" ")[0])
                    && route.path().matcher(t.split(" ")[1].replace("HEX", "0".repeat(128)).replace("ID", "abc123")).matches());
        }
    }

    @Test
    void aPublishTokenMayRevokeItselfButNotTheUsersOtherTokens() throws Exception {
        Registry.CreatedToken ci = registry.createToken(null, "bob", List.of("publish:demo"), null, null);
        assertThat(send(call("DELETE", "/api/v1/tokens/" + registry.createToken(null, "bob", List.of(Caller.OWNER), null, null).id()), ci.token())
                .statusCode()).isEqualTo(403);
        assertThat(send(call("DELETE", "/api/v1/tokens/" + ci.id()), ci.token()).statusCode()).isEqualTo(200);
        assertThat(send(call("GET", "/api/v1/me"), ci.token()).statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> send(Call c, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve(c.path()))
                .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            b.header("Content-Type", c.contentType());
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
