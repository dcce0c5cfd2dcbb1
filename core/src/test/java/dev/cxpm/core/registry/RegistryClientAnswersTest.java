package dev.cxpm.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.cxpm.core.UserError;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registry (or whatever answers at its URL) that sends an endless, oversized or never-finished JSON answer
 * costs the client a bounded amount of memory and time: the read stops at the cap or the deadline, and the user
 * is told which registry misbehaved. A real HttpServer on 127.0.0.1.
 */
class RegistryClientAnswersTest {

    private static final long SERVER_GIVES_UP = 256L << 20;

    HttpServer server;
    final AtomicLong sent = new AtomicLong();

    @BeforeEach
    void hostileRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/plugins/", ex -> { // an index document that never ends, with no length announced
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            byte[] chunk = " ".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = ex.getResponseBody()) {
                out.write("{\"name\": \"demo\", \"versions\": [], \"padding\": \"".getBytes(StandardCharsets.US_ASCII));
                while (sent.get() < SERVER_GIVES_UP) {
                    out.write(chunk);
                    sent.addAndGet(chunk.length);
                }
                out.write("\"}".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException clientGone) {
                // the client stopped reading, as it should
            }
        });
        server.createContext("/api/v1/registry", ex -> { // a probe answer far bigger than any registry sends
            byte[] body = ("{\"registry\": \"cxpm\", \"api\": 1, \"marketplace\": \"" + "m".repeat(2 << 20) + "\"}").getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            } catch (IOException clientGone) {
                // expected
            }
        });
        server.createContext("/api/v1/search", ex -> { // a byte now and then, forever
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write('{');
                for (int i = 0; i < 600; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException clientGone) {
                // expected
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void anEndlessIndexDocumentIsCutOffAtItsCapNamingTheRegistry() {
        RegistryClient client = new RegistryClient(url(), null);
        assertThatThrownBy(() -> client.index("demo", Optional.empty()))
                .isInstanceOf(UserError.class)
                .hasMessageContaining(url().toString())
                .hasMessageContaining("more than 32.0 MiB")
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
        assertThat(sent.get()).as("the client stopped reading near the cap").isLessThan(RegistryClient.MAX_INDEX_BYTES + (16L << 20));
    }

    @Test
    void anOversizedProbeAnswerIsRefusedNotRead() {
        RegistryClient client = new RegistryClient(url(), null);
        assertThatThrownBy(client::probe)
                .isInstanceOf(UserError.class)
                .hasMessageContaining(url().toString())
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
    }

    @Test
    void anAnswerThatNeverFinishesTimesOutNamingTheRegistry() {
        RegistryClient client = new RegistryClient(url(), null, Duration.ofSeconds(2));
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.search("x", null, 1, 20))
                .isInstanceOf(UserError.class)
                .hasMessageContaining(url().toString())
                .hasMessageContaining("did not finish answering")
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.NETWORK);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
}
