package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route and method of the registry against every kind of caller, on a real server on 127.0.0.1: the
 * status each one gets is the scope table of docs/REGISTRY.md. The table must name exactly the routes and methods the
 * server registers ({@link RegistryServer#routes()}), so a new route cannot go untested. A malformed
 * {@code Authorization} header (another scheme, a valid token without {@code Bearer }, two tokens, a cut one) is
 * tried in each of its forms, each carrying the admin's valid token, and must be treated as no header. bob owns {@code demo} and
 * {@code tools}, carol owns {@code weather}, alice is an admin.
 */
class TokenScopesTest {

    /** The callers, in the order of the status columns below. */
    private static final List<String> CALLERS = List.of("none", "malformed header", "bad token", "revoked", "expired", "publish:tools",
            "publish:demo", "owner of another plugin", "owner", "admin");

    private record Call(String method, String path, byte[] body, String contentType) {
    }

    /**
     * One route of the server's table, as it registers it (its methods, separated by spaces, and its template), how to
     * call it with each method (fresh for each caller), and the status each caller must get, whatever the method.
     */
    private record Row(String methods, String template, Function<String, Call> call, int... statuses) {
        Stream<String> keys() {
            return Stream.of(methods.split(" ")).map(m -> m + " " + template);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger versions = new AtomicInteger(1);

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    Caller bob;
    final Map<String, String> tokens = new LinkedHashMap<>();
    /**
     * Authorization headers that are not {@code Bearer TOKEN}: each one, with the admin's valid token in it, is as no
     * header. ({@code Bearer<TAB>TOKEN} is not among them: the JDK's server turns every tab of a header line into a space.)
     */
    final List<String> malformed = new ArrayList<>();

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
        String admin = tokens.get("admin");
        malformed.addAll(List.of("Basic " + java.util.Base64.getEncoder().encodeToString(("alice:" + admin).getBytes(StandardCharsets.UTF_8)),
                "Token " + admin, admin, "Bearer", "Bearer ", "Bearer " + admin + " " + admin, "Bearer " + admin + ",Bearer " + admin,
                "Bearer=" + admin, "Bearer " + admin.substring(0, admin.length() - 1), "Bearer " + admin + "x",
                "Bearer " + "A".repeat(8_000), "Bearer " + admin.toUpperCase(java.util.Locale.ROOT)));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private static Function<String, Call> call(String path) {
        return m -> new Call(m, path, null, null);
    }

    private static Function<String, Call> json(String path, String body) {
        return m -> new Call(m, path, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    List<Row> table() {
        int[] anyone = {200, 200, 200, 200, 200, 200, 200, 200, 200, 200};
        // none, malformed header, bad, revoked, expired, publish:tools, publish:demo, carol (owner elsewhere), bob (owner), admin
        int[] releaseDemo = {401, 401, 401, 401, 401, 403, 200, 403, 200, 200};
        int[] manageDemo = {401, 401, 401, 401, 401, 403, 403, 403, 200, 200};
        int[] nothingHere = {404, 404, 404, 404, 404, 404, 404, 404, 404, 404};
        String blob = registry.versions("demo").getFirst().integrity().hex();
        String plugin = "/api/v1/plugins/{name}";
        return List.of(
                new Row("PUT POST", "/api/v1/plugins", m -> new Call(m, "/api/v1/plugins",
                        RegistryServerTest.plugin("demo", "1.1." + versions.getAndIncrement()), "application/gzip"),
                        401, 401, 401, 401, 401, 403, 201, 403, 201, 201),
                new Row("POST DELETE", plugin + "/versions/{version}/yank", call("/api/v1/plugins/demo/versions/1.0.0/yank"), releaseDemo),
                new Row("PUT", plugin + "/deprecation", json("/api/v1/plugins/demo/deprecation", "{\"message\":\"\"}"), releaseDemo),
                new Row("GET HEAD", plugin + "/advisories", call("/api/v1/plugins/demo/advisories"), anyone),
                new Row("POST", plugin + "/advisories", json("/api/v1/plugins/demo/advisories",
                        "{\"range\":\"<1.0.0\",\"severity\":\"low\",\"summary\":\"Old.\"}"), 401, 401, 401, 401, 401, 403, 201, 403, 201, 201),
                new Row("DELETE", plugin + "/advisories/{advisory}", m -> call("/api/v1/plugins/demo/advisories/"
                        + registry.addAdvisory(bob, "demo", null, "<1.0.0", "low", "Old.", null).id()).apply(m), releaseDemo),
                // the audit log is for admins alone: not even the owner of every plugin in it
                new Row("GET HEAD", "/api/v1/audit", call("/api/v1/audit"), 401, 401, 401, 401, 401, 403, 403, 403, 403, 200),
                new Row("GET HEAD", plugin + "/owners", call("/api/v1/plugins/demo/owners"), anyone),
                new Row("PUT", plugin + "/owners/{user}", call("/api/v1/plugins/demo/owners/erin"), manageDemo),
                new Row("DELETE", plugin + "/owners/{user}", m -> {
                    registry.addOwner(bob, "demo", "dave");
                    return call("/api/v1/plugins/demo/owners/dave").apply(m);
                }, manageDemo),
                new Row("GET HEAD", plugin, call("/api/v1/plugins/demo"), anyone),
                new Row("GET HEAD", "/api/v1/blobs/{sha512}", call("/api/v1/blobs/" + blob), anyone),
                new Row("GET HEAD", "/api/v1/search", call("/api/v1/search?q=demo"), anyone),
                new Row("GET HEAD", "/api/v1/me", call("/api/v1/me"), 401, 401, 401, 401, 401, 200, 200, 200, 200, 200),
                new Row("POST", "/api/v1/tokens", json("/api/v1/tokens", "{\"scopes\":[\"publish:demo\"]}"),
                        401, 401, 401, 401, 401, 403, 403, 201, 201, 201),
                new Row("GET HEAD", "/api/v1/tokens", call("/api/v1/tokens"), 401, 401, 401, 401, 401, 403, 403, 200, 200, 200),
                // another token of bob's: carol's token does not see it (404), a publish token may not touch it
                new Row("DELETE", "/api/v1/tokens/{id}", m -> call("/api/v1/tokens/"
                        + registry.createToken(null, "bob", List.of(Caller.OWNER), null, null).id()).apply(m),
                        401, 401, 401, 401, 401, 403, 403, 404, 200, 200),
                new Row("GET HEAD", "/codex/marketplace.git/{file}", call("/codex/marketplace.git/HEAD"), anyone),
                new Row("GET HEAD", "/api/v1/registry", call("/api/v1/registry"), anyone),
                new Row("GET HEAD POST PUT DELETE PATCH OPTIONS", "/health", call("/health"), anyone),
                new Row("GET HEAD", "/healthz", call("/healthz"), anyone),
                new Row("GET HEAD", "/readyz", call("/readyz"), anyone),
                // from this machine: no token needed, and none grants more (docs/SECURITY.md, who reads /metrics)
                new Row("GET HEAD", "/metrics", call("/metrics"), anyone),
                new Row("GET HEAD", "/.well-known/cxpm-keys.json", call("/.well-known/cxpm-keys.json"), anyone),
                new Row("GET HEAD", "/", call("/?q=demo"), anyone),
                new Row("GET HEAD", "/plugins/{name}", call("/plugins/demo"), anyone),
                new Row("GET HEAD", "/plugins/{name}/{version}", call("/plugins/demo/1.0.0"), anyone),
                // demo has no icon: what matters is that no caller gets more than another
                new Row("GET HEAD", "/plugins/{name}/{version}/icon", call("/plugins/demo/1.0.0/icon"), nothingHere),
                new Row("GET HEAD", "/owners/{user}", call("/owners/bob"), anyone),
                // this server hands out no cxpm release (ClientDownloadsTest has one): the same 404 for every caller
                new Row("GET HEAD", "/install.sh", call("/install.sh"), nothingHere),
                new Row("GET HEAD", "/downloads/{download}", call("/downloads/cxpm-1.0.0-linux-x64.tar.gz"), nothingHere),
                new Row("GET HEAD", "/assets/registry.css", call("/assets/registry.css"), anyone),
                new Row("GET HEAD", "/assets/registry.js", call("/assets/registry.js"), anyone),
                new Row("GET HEAD", "/assets/icon.svg", call("/assets/icon.svg"), anyone),
                new Row("GET HEAD", "/assets/accent/{color}.css", call("/assets/accent/112233.css"), anyone));
    }

    @Test
    void everyCallerGetsExactlyWhatItsScopeAllowsOnEveryRouteAndMethod() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Row row : table()) {
            assertThat(row.statuses()).as(row.template()).hasSize(CALLERS.size());
            for (String method : row.methods().split(" ")) {
                for (int i = 0; i < CALLERS.size(); i++) {
                    String caller = CALLERS.get(i);
                    List<String> headers = caller.equals("malformed header") ? malformed
                            : Collections.singletonList(tokens.get(caller) == null ? null : "Bearer " + tokens.get(caller));
                    for (String authorization : headers) {
                        HttpResponse<String> r = send(row.call().apply(method), authorization);
                        if (r.statusCode() != row.statuses()[i]) {
                            wrong.add(method + " " + row.template() + " as " + caller + (caller.equals("malformed header") ? " (" + abbreviated(authorization) + ")" : "")
                                    + ": " + r.statusCode() + " (expected " + row.statuses()[i] + ") " + abbreviated(r.body()));
                        }
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /**
     * The table has one row for each method of each route the server registers, no more: a route added without a row,
     * a method added to a route, or a row left behind by a removed route fails here.
     */
    @Test
    void theTableCoversEveryRouteAndMethodTheServerHasAndNothingElse() {
        List<String> registered = server.routes().stream().flatMap(r -> r.methods().stream().map(m -> m + " " + r.template())).sorted().toList();
        List<String> tested = table().stream().flatMap(Row::keys).sorted().toList();
        assertThat(tested).doesNotHaveDuplicates().containsExactlyElementsOf(registered);
    }

    private static String abbreviated(String s) {
        return s == null ? "" : s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    @Test
    void aPublishTokenMayRevokeItselfButNotTheUsersOtherTokens() throws Exception {
        Registry.CreatedToken ci = registry.createToken(null, "bob", List.of("publish:demo"), null, null);
        assertThat(send(call("/api/v1/tokens/" + registry.createToken(null, "bob", List.of(Caller.OWNER), null, null).id()).apply("DELETE"), "Bearer " + ci.token())
                .statusCode()).isEqualTo(403);
        assertThat(send(call("/api/v1/tokens/" + ci.id()).apply("DELETE"), "Bearer " + ci.token()).statusCode()).isEqualTo(200);
        assertThat(send(call("/api/v1/me").apply("GET"), "Bearer " + ci.token()).statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> send(Call c, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve(c.path()))
                .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            b.header("Content-Type", c.contentType());
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
