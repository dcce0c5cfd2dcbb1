package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.registry.ops.AccessLog;
import dev.cxpm.registry.ops.Metrics;
import dev.cxpm.registry.ops.Operations;
import dev.cxpm.registry.ops.RateLimits.Rate;
import dev.cxpm.registry.ops.WatchedBlobStore;
import dev.cxpm.registry.publish.PluginArchive;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator relies on: /healthz, /readyz, /metrics, the access log and the request limits, each on a real
 * server on 127.0.0.1 over real SQLite and a real blob directory.
 */
class OperationsEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    Metrics metrics = new Metrics();
    final java.io.StringWriter log = new java.io.StringWriter();

    private void start(Rate perAddress, Rate perToken, boolean trustProxy, Optional<String> metricsToken, long maxPublishBytes) throws Exception {
        registry = new Registry(JdbcDatabase.sqlite(data.resolve("registry.db")),
                new WatchedBlobStore(new FileBlobStore(data.resolve("blobs")), metrics), data.resolve("uploads"), Clock.systemUTC());
        Operations ops = new Operations(AccessLog.to(log), metricsToken, perAddress, perToken, trustProxy, Duration.ZERO, maxPublishBytes, metrics);
        server = RegistryServer.start(registry, "127.0.0.1", 0,
                new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry").with(ops));
    }

    private void start() throws Exception {
        start(Rate.NONE, Rate.NONE, false, Optional.empty(), PluginArchive.MAX_COMPRESSED_BYTES);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
            registry.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url().resolve(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private HttpResponse<String> publish(String token, byte[] archive) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins")).PUT(HttpRequest.BodyPublishers.ofByteArray(archive))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String admin() {
        return registry.createToken(null, "alice", List.of("admin"), null, "test").token();
    }

    /** /readyz until its answer satisfies the test (a check's result is reused for half a second). */
    private HttpResponse<String> readyzUntil(Predicate<HttpResponse<String>> done) throws Exception {
        HttpResponse<String> r = get("/readyz");
        for (int i = 0; i < 100 && !done.test(r); i++) {
            Thread.sleep(50);
            r = get("/readyz");
        }
        return r;
    }

    private static long value(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).map(l -> l.substring(series.length() + 1))
                .mapToLong(v -> (long) Double.parseDouble(v)).findFirst().orElse(-1);
    }

    @Test
    void healthzAnswersWhileTheDatabaseAndBlobsAreGone() throws Exception {
        start();
        Files.move(data.resolve("registry.db"), data.resolve("moved.db"));
        Files.move(data.resolve("blobs"), data.resolve("moved-blobs"));
        HttpResponse<String> r = get("/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void readyzFailsNamingTheDatabaseWhenItsFileIsMovedAwayAndRecoversWhenItIsBack() throws Exception {
        start();
        HttpResponse<String> ok = get("/readyz");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).path("checks").path("database").asText()).isEqualTo("ok");

        Files.move(data.resolve("registry.db"), data.resolve("moved.db"));
        HttpResponse<String> down = readyzUntil(r -> r.statusCode() == 503);
        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(down.body());
        assertThat(body.path("status").asText()).isEqualTo("unready");
        assertThat(body.path("checks").path("database").asText()).isEqualTo("unreachable");
        assertThat(body.path("checks").path("blobs").asText()).isEqualTo("ok");
        assertThat(down.body()).as("no internals leak").doesNotContain(data.toString()).doesNotContain("registry.db").doesNotContain("Exception");

        Files.move(data.resolve("moved.db"), data.resolve("registry.db"));
        assertThat(readyzUntil(r -> r.statusCode() == 200).statusCode()).isEqualTo(200);
    }

    @Test
    void readyzFailsNamingTheBlobStoreWhenItsDirectoryIsMovedAway() throws Exception {
        start();
        Files.move(data.resolve("blobs"), data.resolve("moved-blobs"));
        HttpResponse<String> down = readyzUntil(r -> r.statusCode() == 503);
        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode checks = JSON.readTree(down.body()).path("checks");
        assertThat(checks.path("blobs").asText()).isEqualTo("unreachable");
        assertThat(checks.path("database").asText()).isEqualTo("ok");
        assertThat(down.body()).doesNotContain("moved-blobs").doesNotContain(data.toString());
    }

    @Test
    void metricsCountRequestsByRouteTemplatePublishesSearchesAndShowThePoolsAndMemory() throws Exception {
        start();
        String before = get("/metrics").body();
        assertThat(value(before, "cxpm_http_requests_total{route=\"/api/v1/plugins/{name}\",method=\"GET\",status=\"404\"}")).isEqualTo(-1);
        get("/api/v1/plugins/nothing-here");
        get("/api/v1/plugins/nor-here");
        assertThat(publish(admin(), RegistryServerTest.plugin("hello", "1.0.0")).statusCode()).isEqualTo(201);
        assertThat(publish(admin(), RegistryServerTest.plugin("hello", "1.0.0")).statusCode()).isEqualTo(409);
        get("/api/v1/search?q=hello");

        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        String m = r.body();
        assertThat(value(m, "cxpm_http_requests_total{route=\"/api/v1/plugins/{name}\",method=\"GET\",status=\"404\"}")).isEqualTo(2);
        assertThat(value(m, "cxpm_http_requests_total{route=\"/api/v1/plugins\",method=\"PUT\",status=\"201\"}")).isEqualTo(1);
        assertThat(value(m, "cxpm_http_request_duration_seconds_count{route=\"/api/v1/plugins/{name}\"}")).isEqualTo(2);
        assertThat(value(m, "cxpm_http_request_duration_seconds_bucket{route=\"/api/v1/plugins/{name}\",le=\"+Inf\"}")).isEqualTo(2);
        assertThat(value(m, "cxpm_publishes_total{outcome=\"published\"}")).isEqualTo(1);
        assertThat(value(m, "cxpm_publishes_total{outcome=\"refused\"}")).isEqualTo(1);
        assertThat(value(m, "cxpm_search_duration_seconds_count")).isEqualTo(1);
        assertThat(value(m, "cxpm_db_pool_connections{pool=\"read\",state=\"idle\"}")).isPositive();
        assertThat(value(m, "cxpm_db_pool_waiting{pool=\"read\"}")).isZero();
        assertThat(value(m, "cxpm_jvm_memory_bytes{area=\"heap\",kind=\"used\"}")).isPositive();
        assertThat(value(m, "cxpm_blob_store_errors_total")).isZero();
        assertThat(m).contains("# TYPE cxpm_http_request_duration_seconds histogram");
    }

    @Test
    void aThousandRandomPathsAndMethodsCreateNoNewSeries() throws Exception {
        start();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String r = UUID.randomUUID().toString();
            paths.add(switch (i % 5) {
                case 0 -> "/" + r;
                case 1 -> "/api/v1/" + r;
                case 2 -> "/plugins/" + r;
                case 3 -> "/api/v1/plugins/" + r + "?q=" + r;
                default -> "/codex/marketplace.git/" + r;
            });
        }
        for (String p : paths.subList(0, 10)) {
            send(p.hashCode() % 2 == 0 ? "GET" : "X" + p.substring(1, 6).replaceAll("[^a-z0-9]", "a").toUpperCase(), p);
            send("GET", p);
        }
        get("/metrics");
        String warm = get("/metrics").body();
        for (String p : paths) {
            send("GET", p);
            send("M" + p.substring(1, 8).replaceAll("[^a-z0-9]", "a").toUpperCase(), p);
        }
        String after = get("/metrics").body();
        assertThat(series(after)).as("the same series, only their values grew").isEqualTo(series(warm));
        assertThat(after).doesNotContain(paths.get(999).substring(paths.get(999).lastIndexOf('/') + 1));
    }

    private static List<String> series(String metrics) {
        return metrics.lines().filter(l -> !l.startsWith("#")).map(l -> l.substring(0, l.lastIndexOf(' '))).toList();
    }

    @Test
    void metricsAreRefusedToAClientElsewhereAndNeedTheTokenWhenOneIsSet() throws Exception {
        start(Rate.NONE, Rate.NONE, true, Optional.empty(), PluginArchive.MAX_COMPRESSED_BYTES);
        assertThat(get("/metrics").statusCode()).as("loopback").isEqualTo(200);
        HttpResponse<String> remote = get("/metrics", "X-Forwarded-For", "203.0.113.9");
        assertThat(remote.statusCode()).isEqualTo(403);
        assertThat(remote.body()).doesNotContain("cxpm_http_requests_total");
        server.close();
        registry.close();

        start(Rate.NONE, Rate.NONE, false, Optional.of("s3cret-scrape"), PluginArchive.MAX_COMPRESSED_BYTES);
        assertThat(get("/metrics").statusCode()).as("with a token set, loopback needs it too").isEqualTo(403);
        assertThat(get("/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(403);
        assertThat(get("/metrics", "Authorization", "Bearer s3cret-scrape").statusCode()).isEqualTo(200);
    }

    @Test
    void accessLogHasOneJsonLinePerRequestWithTheRouteTemplateAndUserButNoTokenOrQuery() throws Exception {
        start();
        String token = admin();
        HttpResponse<String> search = get("/api/v1/search?q=secret-query-words", "Authorization", "Bearer " + token);
        HttpResponse<String> me = get("/api/v1/me", "Authorization", "Bearer " + token);
        get("/plugins/some-name");
        String text = log.toString();
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(text).doesNotContain(token).doesNotContain("secret-query-words").doesNotContain("some-name");
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.path("route").asText()).isEqualTo("/api/v1/search");
        assertThat(first.path("method").asText()).isEqualTo("GET");
        assertThat(first.path("status").asInt()).isEqualTo(200);
        assertThat(first.path("bytes").asLong()).isEqualTo(search.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(first.path("remote").asText()).isEqualTo("127.0.0.1");
        assertThat(first.path("requestId").asText()).isEqualTo(search.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(first.has("user")).as("search does not authenticate").isFalse();
        assertThat(first.path("durationMs").isNumber()).isTrue();
        assertThat(first.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.path("user").asText()).isEqualTo("alice");
        assertThat(second.path("requestId").asText()).isEqualTo(me.headers().firstValue("X-Request-Id").orElseThrow())
                .isNotEqualTo(first.path("requestId").asText());
        assertThat(JSON.readTree(lines.get(2)).path("route").asText()).isEqualTo("/plugins/{name}");
    }

    @Test
    void anAddressPastItsBurstGets429WithRetryAfterAndProbesStillAnswer() throws Exception {
        start(new Rate(1, 3), Rate.NONE, false, Optional.empty(), PluginArchive.MAX_COMPRESSED_BYTES);
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/v1/search?q=x").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = get("/api/v1/search?q=x");
        assertThat(refused.statusCode()).isEqualTo(429);
        long wait = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(wait).isBetween(1L, 60L);
        assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("rate-limited");
        assertThat(get("/plugins/x").statusCode()).as("web pages share the address's bucket").isEqualTo(429);
        assertThat(get("/api/v1/search?q=x", "X-Forwarded-For", "198.51.100.7").statusCode())
                .as("a spoofed X-Forwarded-For is ignored without --trust-proxy").isEqualTo(429);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
        assertThat(value(get("/metrics").body(), "cxpm_rate_limited_total")).isEqualTo(3);
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnBucket() throws Exception {
        start(new Rate(1, 2), Rate.NONE, true, Optional.empty(), PluginArchive.MAX_COMPRESSED_BYTES);
        for (int i = 0; i < 2; i++) {
            assertThat(get("/api/v1/search", "X-Forwarded-For", "198.51.100.7").statusCode()).isEqualTo(200);
        }
        assertThat(get("/api/v1/search", "X-Forwarded-For", "198.51.100.7").statusCode()).isEqualTo(429);
        // the proxy appends the address it saw: what the client wrote before it does not choose the bucket
        assertThat(get("/api/v1/search", "X-Forwarded-For", "10.9.9.9, 198.51.100.7").statusCode()).isEqualTo(429);
        assertThat(get("/api/v1/search", "X-Forwarded-For", "198.51.100.8").statusCode()).isEqualTo(200);
        // the hosts of one IPv6 /64 share a bucket
        assertThat(get("/api/v1/search", "X-Forwarded-For", "2001:db8:1:2::1").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/search", "X-Forwarded-For", "2001:db8:1:2::ffff").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/search", "X-Forwarded-For", "2001:db8:1:2:abcd::9").statusCode()).isEqualTo(429);
        // a value that is no address (or a name to look up) falls back to the proxy's own address
        assertThat(get("/api/v1/search", "X-Forwarded-For", "evil.example.test").statusCode()).isEqualTo(200);
        assertThat(log.toString()).contains("\"remote\":\"198.51.100.8\"").doesNotContain("evil");
    }

    @Test
    void aTokenPastItsBurstGets429WhileAnotherTokenGoesOn() throws Exception {
        start(Rate.NONE, new Rate(1, 2), false, Optional.empty(), PluginArchive.MAX_COMPRESSED_BYTES);
        String first = admin();
        String second = admin();
        assertThat(get("/api/v1/me", "Authorization", "Bearer " + first).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/me", "Authorization", "Bearer " + first).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = get("/api/v1/me", "Authorization", "Bearer " + first);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(get("/api/v1/me", "Authorization", "Bearer " + second).statusCode()).isEqualTo(200);
    }

    @Test
    void thePublishSizeOptionRefusesALargerBodyWith413() throws Exception {
        start(Rate.NONE, Rate.NONE, false, Optional.empty(), 1000);
        byte[] archive = RegistryServerTest.plugin("big", "1.0.0",
                java.util.stream.IntStream.range(0, 100).mapToObj(i -> UUID.randomUUID().toString()).collect(java.util.stream.Collectors.joining()), "Coding");
        assertThat(archive.length).isGreaterThan(1000);
        HttpResponse<String> r = publish(admin(), archive);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("too-large");
        assertThat(registry.plugin("big")).isEmpty();
    }

    @Test
    void blobStoreFailuresAreCountedAndThePublishAsFailed() throws Exception {
        start();
        Path blobs = data.resolve("blobs");
        Files.move(blobs, data.resolve("moved-blobs"));
        Files.writeString(blobs, "not a directory");
        HttpResponse<String> r = publish(admin(), RegistryServerTest.plugin("hello", "1.0.0"));
        assertThat(r.statusCode()).isEqualTo(500);
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(JSON.readTree(r.body()).path("message").asText()).contains(id);
        String m = get("/metrics").body();
        assertThat(value(m, "cxpm_blob_store_errors_total")).isPositive();
        assertThat(value(m, "cxpm_publishes_total{outcome=\"failed\"}")).isEqualTo(1);
        assertThat(log.toString()).contains("\"requestId\":\"" + id + "\"");
    }

}
