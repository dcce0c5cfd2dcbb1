package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.registry.search.PluginSearch;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile reader or publisher can make one request cost: multipart boundaries, search
 * queries and what the search cache keeps of them. Real server on 127.0.0.1, real SQLite.
 */
class RequestLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    String admin;

    RunningRegistry running;

    @BeforeEach
    void start() throws Exception {
        running = RunningRegistry.embedded(data);
        registry = running.registry;
        server = running.server;
        admin = running.admin;
    }

    @AfterEach
    void stop() {
        running.close();
    }

    private HttpResponse<String> multipart(String boundary, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] form(String boundary, byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.tgz\"\r\n"
                + "Content-Type: application/gzip\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    @Test
    void multipartBoundaryOfSeventyCharactersIsAcceptedAndLongerIsRefused() throws Exception {
        String seventy = "b".repeat(70);
        HttpResponse<String> ok = multipart(seventy, form(seventy, RegistryServerTest.plugin("demo", "1.0.0")));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);

        String seventyOne = "b".repeat(71);
        HttpResponse<String> r = multipart(seventyOne, form(seventyOne, RegistryServerTest.plugin("demo", "1.0.1")));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).isEqualTo("invalid-multipart");
        assertThat(json(r).path("message").asText()).contains("boundary").contains("70");
    }

    @Test
    void multipartBodyBuiltToMakeANaiveSearchQuadraticIsRefusedForItsBoundary() throws Exception {
        // a 20 KB boundary that almost matches at every offset of a 4 MB body: minutes of CPU for a naive search (one
        // whose Content-Type is past the 32 KiB of head a request may have is not read at all: SlowClientsTest)
        String boundary = "-".repeat(20_000) + "b";
        byte[] body = ("-".repeat(4_000_000)).getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> r = multipart(boundary, body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("message").asText()).contains("boundary");
        assertThat(registry.plugin("demo")).isEmpty();
    }

    @Test
    void multipartWhoseBoundaryNeverAppearsIsRefused() throws Exception {
        String boundary = "x".repeat(70);
        HttpResponse<String> r = multipart(boundary, ("a".repeat(1_000_000)).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).isEqualTo("invalid-multipart");
    }

    private HttpResponse<String> search(String q) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void searchQueryLongerThanTheCapOrWithTooManyTermsIsRefusedWithA400() throws Exception {
        assertThat(search("x".repeat(PluginSearch.MAX_QUERY_CHARS)).statusCode()).isEqualTo(200);
        HttpResponse<String> tooLong = search("x".repeat(20_000)); // within the 32 KiB of head a request may have
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).path("error").asText()).isEqualTo("query-too-long");
        assertThat(json(tooLong).path("message").asText()).contains(String.valueOf(PluginSearch.MAX_QUERY_CHARS));

        assertThat(search("a ".repeat(PluginSearch.MAX_QUERY_TERMS)).statusCode()).isEqualTo(200);
        HttpResponse<String> tooMany = search("a ".repeat(PluginSearch.MAX_QUERY_TERMS + 1));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json(tooMany).path("error").asText()).isEqualTo("query-too-long");

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.url().resolve("/?q=" + "x".repeat(20_000))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("at most " + PluginSearch.MAX_QUERY_CHARS);
    }

    @Test
    void searchCacheStaysUnderItsBoundAfterManyDistinctBigQueries() throws Exception {
        registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), RegistryServerTest.plugin("demo", "1.0.0"));
        for (int i = 0; i < 2_000; i++) {
            String q = ("w" + i + "z").repeat(PluginSearch.MAX_QUERY_CHARS).substring(0, PluginSearch.MAX_QUERY_CHARS);
            registry.search(q, "c" + i, 1, 100);
        }
        assertThat(registry.searchCacheBytes()).isPositive().isLessThanOrEqualTo(PluginSearch.MAX_CACHE_BYTES);
        // the same words in another case or spacing are the same entry, not a new one
        long before = registry.searchCacheBytes();
        registry.search("Demo", null, 1, 20);
        long one = registry.searchCacheBytes();
        registry.search("  DEMO  ", null, 1, 20);
        assertThat(registry.searchCacheBytes()).isEqualTo(one).isGreaterThanOrEqualTo(before);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }
}
