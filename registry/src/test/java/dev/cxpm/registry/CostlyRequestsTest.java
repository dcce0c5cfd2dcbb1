package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.registry.ops.CostlyRequests;
import dev.cxpm.registry.ops.Operations;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches and pages run among a few threads with a bounded queue: while every one of those threads is busy and the
 * queue is full, index documents, blobs and the probe still answer, and one search more is refused with 503 and
 * Retry-After rather than left to hang. Real server on 127.0.0.1, real SQLite, real concurrent HTTP requests.
 */
class CostlyRequestsTest {

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    String admin;
    private final HttpClient http = HttpClient.newHttpClient();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        registry = Registry.embedded(data, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry")
                .with(Operations.defaults().with(new CostlyRequests.Limits(2, 3))));
        admin = registry.createToken(null, "alice", List.of("admin"), null, "test").token();
        HttpResponse<String> published = http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(RegistryServerTest.plugin("demo", "1.0.0")))
                .header("Content-Type", "application/gzip").header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
        registry.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> getLater(String path) {
        return http.sendAsync(HttpRequest.newBuilder(server.url().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Holds every thread of the costly requests until {@link #release}; returns once they are all held. */
    private void holdEveryThread(int threads) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            server.costlyRequests().submit(() -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        held.await();
    }

    private void awaitWaiting(int n) throws InterruptedException {
        while (server.costlyRequests().waiting() < n) {
            Thread.sleep(5);
        }
    }

    @Test
    void indexReadsAnswerWhileEverySearchThreadIsBusyAndTheOverflowGets503WithRetryAfter() throws Exception {
        holdEveryThread(2);
        List<CompletableFuture<HttpResponse<String>>> searches = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            searches.add(getLater("/api/v1/search?q=demo&perPage=" + (i + 1)));
        }
        awaitWaiting(3);

        HttpResponse<String> refused = get("/api/v1/search?q=demo&perPage=50");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).contains("\"error\":\"busy\"");
        HttpResponse<String> page = get("/plugins/demo");
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));

        // the cheap reads do not wait for the searches: they answer while every search is still held
        HttpResponse<String> index = get("/api/v1/plugins/demo");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("\"demo\"");
        assertThat(get("/api/v1/registry").statusCode()).isEqualTo(200);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(searches).noneMatch(CompletableFuture::isDone);

        release.countDown();
        for (CompletableFuture<HttpResponse<String>> s : searches) {
            HttpResponse<String> answered = s.get();
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
            assertThat(answered.body()).contains("\"demo\"");
        }
        assertThat(get("/api/v1/search?q=demo").statusCode()).isEqualTo(200);
    }

    @Test
    void aSearchThatFailsAnswersItsOwnErrorFromTheThreadItRanOn() throws Exception {
        HttpResponse<String> r = get("/api/v1/search?q=" + "a+".repeat(40));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("busy");
    }

    @Test
    void closingTheServerWithSearchesQueuedAnswersOrClosesThemAndReturns() throws Exception {
        holdEveryThread(2);
        CompletableFuture<HttpResponse<String>> queued = getLater("/api/v1/search?q=demo");
        awaitWaiting(1);
        Future<?> closing = CompletableFuture.runAsync(server::close);
        release.countDown();
        closing.get();
        assertThat(queued.handle((r, e) -> e != null || r.statusCode() == 200).get()).isTrue();
    }

    @Test
    void limitsOutsideTheirRangeAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CostlyRequests.Limits(0, 10)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CostlyRequests.Limits(2, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CostlyRequests.Limits.defaults().atOnce()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }
}
