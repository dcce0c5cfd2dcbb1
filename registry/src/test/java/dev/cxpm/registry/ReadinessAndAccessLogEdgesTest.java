package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.ops.AccessLog;
import dev.cxpm.registry.ops.Metrics;
import dev.cxpm.registry.ops.Operations;
import dev.cxpm.registry.ops.RateLimits.Rate;
import dev.cxpm.registry.publish.PluginArchive;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.BlobStore;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promises of docs/OPERATIONS.md that need a dependency that hangs or a client that goes away: a readiness check
 * past its 2 s deadline answers {@code timeout}, a check's result is reused for 0.5 s, and a request whose client
 * left before any answer is logged with status -1.
 */
class ReadinessAndAccessLogEdgesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    final StringWriter log = new StringWriter();
    /** Released at the end of each test, so a check still hanging finishes. */
    final CountDownLatch release = new CountDownLatch(1);

    /** The real blob directory, whose readiness check counts itself and can be made to hang until released. */
    final class HangingBlobs implements BlobStore {
        final BlobStore store = new FileBlobStore(data.resolve("blobs"));
        final AtomicInteger checks = new AtomicInteger();
        volatile boolean hang;

        @Override public void put(Integrity integrity, byte[] content) { store.put(integrity, content); }
        @Override public void put(Integrity integrity, Path file) { store.put(integrity, file); }
        @Override public Optional<InputStream> open(Integrity integrity) { return store.open(integrity); }
        @Override public boolean exists(Integrity integrity) { return store.exists(integrity); }
        @Override public void delete(Integrity integrity) { store.delete(integrity); }
        @Override public Set<Integrity> list() { return store.list(); }

        @Override
        public void check() {
            checks.incrementAndGet();
            if (hang) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            store.check();
        }
    }

    HangingBlobs blobs;

    private void start() throws Exception {
        blobs = new HangingBlobs();
        registry = new Registry(JdbcDatabase.sqlite(data.resolve("registry.db")), blobs, data.resolve("uploads"), Clock.systemUTC());
        Operations ops = new Operations(AccessLog.to(log), Optional.empty(), Rate.NONE, Rate.NONE, false, Duration.ZERO,
                PluginArchive.MAX_COMPRESSED_BYTES, new Metrics());
        server = RegistryServer.start(registry, "127.0.0.1", 0,
                new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry").with(ops));
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
            registry.close();
        }
    }

    private HttpResponse<String> readyz() throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve("/readyz")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBlobStoreThatNeverAnswersMakesReadyz503WithTimeoutWhileTheDatabaseIsOk() throws Exception {
        start();
        blobs.hang = true;
        HttpResponse<String> r = readyz(); // the request's own 30 s timeout: /readyz does not wait for the hanging check
        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asText()).isEqualTo("unready");
        assertThat(body.path("checks").path("blobs").asText()).isEqualTo("timeout");
        assertThat(body.path("checks").path("database").asText()).isEqualTo("ok");
        assertThat(blobs.checks.get()).isEqualTo(1);
    }

    @Test
    void probesArrivingWhileACheckRunsShareItsResultAndALaterProbeChecksAgain() throws Exception {
        start();
        blobs.hang = true;
        List<CompletableFuture<HttpResponse<String>>> probes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            probes.add(http.sendAsync(HttpRequest.newBuilder(server.url().resolve("/readyz")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        // the first probe's check hangs until its deadline; the other four wait for it, then take its result
        for (CompletableFuture<HttpResponse<String>> p : probes) {
            HttpResponse<String> r = p.get();
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(r.body()).path("checks").path("blobs").asText()).isEqualTo("timeout");
        }
        assertThat(blobs.checks.get()).as("five probes while one check ran: one check").isEqualTo(1);

        blobs.hang = false;
        Thread.sleep(600); // past the 0.5 s a result is reused for
        assertThat(readyz().statusCode()).isEqualTo(200);
        assertThat(blobs.checks.get()).isEqualTo(2);
    }

    @Test
    void aClientThatLeavesMidUploadIsLoggedWithStatusMinusOne() throws Exception {
        start();
        String token = registry.createToken(null, "alice", List.of("admin"), null, "test").token();
        try (Socket s = new Socket("127.0.0.1", server.url().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT /api/v1/plugins HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/gzip\r\nContent-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1000]);
            out.flush();
        } // gone, 99,000 bytes short
        String line = "";
        for (int i = 0; i < 600 && line.isEmpty(); i++) {
            Thread.sleep(50);
            line = log.toString().lines().filter(l -> l.contains("\"/api/v1/plugins\"")).findFirst().orElse("");
        }
        JsonNode entry = JSON.readTree(line);
        assertThat(entry.path("method").asText()).isEqualTo("PUT");
        assertThat(entry.path("status").asInt()).as("no answer was sent").isEqualTo(-1);
        assertThat(entry.path("bytes").asLong()).isZero();
        assertThat(entry.path("user").asText()).isEqualTo("alice");
    }
}
