package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Advisories on a range of a plugin's versions, as owners attach and withdraw them over HTTP: what the index document
 * carries (the shape {@code cxpm audit} reads), what is refused, and the page. Real server and SQLite here;
 * {@link PostgresAdvisoryTest} runs it on PostgreSQL.
 */
class AdvisoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    String bob;

    protected Registry open(Clock clock) {
        return Registry.embedded(data, clock);
    }

    @BeforeEach
    void start() throws Exception {
        registry = open(Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC));
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        bob = registry.createToken(null, "bob", List.of(Caller.OWNER), null, null).token();
        Caller owner = new Caller("bob", List.of(Caller.OWNER), null);
        registry.publish(owner, RegistryServerTest.plugin("demo", "1.0.0"));
        registry.publish(owner, RegistryServerTest.plugin("demo", "1.3.0"));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Authorization", "Bearer " + bob);
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> add(Map<String, String> fields) throws Exception {
        ObjectNode o = JSON.createObjectNode();
        fields.forEach(o::put);
        return send("POST", "/api/v1/plugins/demo/advisories", o.toString());
    }

    JsonNode index() throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins/demo")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void theIndexDocumentCarriesStandingAdvisoriesInTheAgreedShape() throws Exception {
        assertThat(index().has("advisories")).as("absent while there is none").isFalse();
        long before = index().path("sequence").asLong();
        HttpResponse<String> first = add(Map.of("range", "<1.2.3", "severity", "high", "summary", "Sends the API key to the log.",
                "url", "https://example.com/advisories/1"));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(JSON.readTree(first.body()).path("id").asText()).isEqualTo("CXPM-2026-0001");
        assertThat(add(Map.of("range", ">=1.0.0 <1.4.0", "severity", "LOW", "summary", "Slow.", "id", "GHSA-abcd-efgh-ijkl")).statusCode())
                .isEqualTo(201);
        assertThat(add(Map.of("range", "*", "severity", "critical", "summary", "Everything.")).statusCode()).isEqualTo(201);

        assertThat(index().path("sequence").asLong()).as("each advisory is a new signed document, not a replay").isEqualTo(before + 3);
        JsonNode advisories = index().path("advisories");
        assertThat(advisories.toString()).isEqualTo("[{\"id\":\"CXPM-2026-0001\",\"range\":\"<1.2.3\",\"severity\":\"high\","
                + "\"summary\":\"Sends the API key to the log.\",\"url\":\"https://example.com/advisories/1\"},"
                + "{\"id\":\"GHSA-abcd-efgh-ijkl\",\"range\":\">=1.0.0 <1.4.0\",\"severity\":\"low\",\"summary\":\"Slow.\"},"
                + "{\"id\":\"CXPM-2026-0002\",\"range\":\"*\",\"severity\":\"critical\",\"summary\":\"Everything.\"}]");

        assertThat(send("DELETE", "/api/v1/plugins/demo/advisories/CXPM-2026-0001", null).statusCode()).isEqualTo(200);
        assertThat(index().path("sequence").asLong()).as("a withdrawal too").isEqualTo(before + 4);
        assertThat(index().path("advisories").findValuesAsText("id")).containsExactly("GHSA-abcd-efgh-ijkl", "CXPM-2026-0002");
        assertThat(send("DELETE", "/api/v1/plugins/demo/advisories/CXPM-2026-0001", null).statusCode()).as("already withdrawn").isEqualTo(404);
        // the list keeps the withdrawn one, marked; a withdrawn id is not handed out again
        JsonNode list = JSON.readTree(http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins/demo/advisories")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("advisories");
        assertThat(list.get(0).path("withdrawnAt").asText()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(JSON.readTree(add(Map.of("range", "<2", "severity", "moderate", "summary", "More.")).body()).path("id").asText())
                .isEqualTo("CXPM-2026-0003");
    }

    @Test
    void badFieldsAreRefusedAndNothingIsStored() throws Exception {
        String longSummary = "x".repeat(501);
        List<Map<String, String>> bad = List.of(
                Map.of("range", "not a range", "severity", "high", "summary", "s"),
                Map.of("range", "<1.2.3\"><script>", "severity", "high", "summary", "s"),
                Map.of("severity", "high", "summary", "s"),
                Map.of("range", "<1.2.3", "severity", "dire", "summary", "s"),
                Map.of("range", "<1.2.3", "summary", "s"),
                Map.of("range", "<1.2.3", "severity", "high", "summary", longSummary),
                Map.of("range", "<1.2.3", "severity", "high", "summary", "  "),
                Map.of("range", "<1.2.3", "severity", "high", "summary", "two\nlines"),
                Map.of("range", "<1.2.3", "severity", "high", "summary", "bidi \u202e spoof"),
                Map.of("range", "<1.2.3", "severity", "high", "summary", "s", "url", "http://example.com/plain"),
                Map.of("range", "<1.2.3", "severity", "high", "summary", "s", "url", "javascript:alert(1)"),
                Map.of("range", "<1.2.3", "severity", "high", "summary", "s", "url", "https://user:pw@example.com/"),
                Map.of("range", "<1.2.3", "severity", "high", "summary", "s", "url", "https://example.com/" + "a".repeat(2100)),
                Map.of("range", "<1.2.3", "severity", "high", "summary", "s", "id", "../../etc"),
                Map.of("range", "<1.2.3", "severity", "high", "summary", "s", "id", "x".repeat(65)));
        for (Map<String, String> fields : bad) {
            HttpResponse<String> r = add(fields);
            assertThat(r.statusCode()).as(fields + ": " + r.body()).isEqualTo(400);
        }
        assertThat(add(Map.of("range", "<1", "severity", "low", "summary", "s", "id", "CVE-2026-1")).statusCode()).isEqualTo(201);
        assertThat(add(Map.of("range", "<1", "severity", "low", "summary", "s", "id", "CVE-2026-1")).statusCode()).isEqualTo(409);
        assertThat(registry.advisories("demo")).hasSize(1);
        assertThat(send("POST", "/api/v1/plugins/nope/advisories", "{\"range\":\"<1\",\"severity\":\"low\",\"summary\":\"s\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void onlyTheOwnersMayAttachOrWithdraw() throws Exception {
        String carol = registry.createToken(null, "carol", List.of(Caller.OWNER), null, null).token();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins/demo/advisories"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"range\":\"<1\",\"severity\":\"low\",\"summary\":\"s\"}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + carol).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("not-owner");
        String id = registry.addAdvisory(new Caller("bob", List.of(Caller.OWNER), null), "demo", null, "<1", "low", "s", null).id();
        HttpResponse<String> w = http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins/demo/advisories/" + id)).DELETE()
                .header("Authorization", "Bearer " + carol).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(w.statusCode()).isEqualTo(403);
        assertThat(index().path("advisories").size()).isEqualTo(1);
    }

    @Test
    void thePluginPageShowsStandingAdvisoriesEscaped() throws Exception {
        assertThat(add(Map.of("range", "<1.2.3", "severity", "critical", "summary", "Runs <script>alert(1)</script> & more.",
                "url", "https://example.com/a?x=1&y=\"2\"")).statusCode()).as("a quote in a URL").isEqualTo(400);
        assertThat(add(Map.of("range", "<1.2.3", "severity", "critical", "summary", "Runs <script>alert(1)</script> & more.",
                "url", "https://example.com/a?x=1&y=2")).statusCode()).isEqualTo(201);
        String page = http.send(HttpRequest.newBuilder(server.url().resolve("/plugins/demo")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("<h2>Advisories</h2>").contains("Runs &lt;script&gt;alert(1)&lt;/script&gt; &amp; more.")
                .contains("&lt;1.2.3").contains("https://example.com/a?x=1&amp;y=2").doesNotContain("<script>alert(1)");
        // the page of an affected version says so; an unaffected one does not
        String affected = http.send(HttpRequest.newBuilder(server.url().resolve("/plugins/demo/1.0.0")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(affected).contains("Advisory <code>CXPM-2026-0001</code> (critical): Runs &lt;script&gt;");
        String fixed = http.send(HttpRequest.newBuilder(server.url().resolve("/plugins/demo/1.3.0")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(fixed).doesNotContain("CXPM-2026-0001");
    }
}
