package dev.cxpm.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.cxpm.core.Progress;
import dev.cxpm.core.UserError;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry (or whatever an index document's tarball URL names) that sends a blob's headers and then nothing, or a
 * few bytes now and then: the request's timeout ends with the headers, so on main the download waited for ever (the
 * timeouts below only end such a run). A slow download that keeps coming is not given up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RegistryClientStalledBlobTest {
    @TempDir
    Path tmp;
    HttpServer server;
    final CountDownLatch over = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/v1/blobs/silent", ex -> {
            ex.sendResponseHeaders(200, 1_000_000);
            try (OutputStream out = ex.getResponseBody()) {
                out.write("\u001f\u008b\u0008".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                out.flush();
                over.await();
            } catch (IOException | InterruptedException gone) {
                // the client hung up, or the test is over
            }
        });
        server.createContext("/api/v1/blobs/trickle", ex -> send(ex, 10, Duration.ofMillis(200), 1_000_000)); // 50 bytes a second
        server.createContext("/api/v1/blobs/slow", ex -> send(ex, 4_000, Duration.ofMillis(200), 60_000)); // 20 kB a second, 3 s
        server.start();
    }

    private void send(com.sun.net.httpserver.HttpExchange ex, int chunk, Duration every, int size) {
        try (OutputStream out = ex.getResponseBody()) {
            ex.sendResponseHeaders(200, size);
            for (int sent = 0; sent < size && over.getCount() > 0; sent += chunk) {
                out.write(new byte[Math.min(chunk, size - sent)]);
                out.flush();
                Thread.sleep(every);
            }
        } catch (IOException | InterruptedException gone) {
            // the client hung up, or the test is over
        }
    }

    @AfterEach
    void stop() {
        over.countDown();
        server.stop(0);
    }

    private RegistryClient client() {
        return new RegistryClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null, Duration.ofMinutes(2),
                Progress.NONE, Duration.ofSeconds(1));
    }

    @Test
    void aBlobWhoseBytesStopComingIsGivenUpAndNothingIsKept() {
        Path dest = tmp.resolve("blob.tgz");

        assertThatThrownBy(() -> client().download("/api/v1/blobs/silent", dest))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("stopped sending /api/v1/blobs/silent: less than 1000 bytes a second came for 1 seconds")
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.NETWORK);
        assertThat(dest).doesNotExist();
    }

    @Test
    void aBlobThatComesAtATrickleIsGivenUp() {
        Path dest = tmp.resolve("blob.tgz");

        assertThatThrownBy(() -> client().download("/api/v1/blobs/trickle", dest))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("stopped sending /api/v1/blobs/trickle");
        assertThat(dest).doesNotExist();
    }

    @Test
    void aSlowBlobThatKeepsComingIsDownloadedWhole() throws IOException {
        Path dest = tmp.resolve("blob.tgz");

        client().download("/api/v1/blobs/slow", dest);

        assertThat(Files.size(dest)).isEqualTo(60_000);
    }
}
