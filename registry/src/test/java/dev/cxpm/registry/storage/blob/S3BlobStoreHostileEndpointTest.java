package dev.cxpm.registry.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cxpm.core.pack.Integrity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An S3 endpoint that answers with more than any real answer holds, or lists forever: the registry stops reading and
 * fails the request with a message, rather than holding the answer in memory whole or asking again without end.
 */
class S3BlobStoreHostileEndpointTest {
    private static final long HUGE = 256L << 20;

    private HttpServer server;
    private final AtomicLong written = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private S3BlobStore storeAnswering(int status, boolean hugeBody, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> answer(exchange, status, hugeBody, body));
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new S3BlobStore("s3://bucket/blobs", endpoint, "us-east-1", "key", "secret");
    }

    private void answer(HttpExchange exchange, int status, boolean hugeBody, String body) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (requests.incrementAndGet() > 10) { // (so a store that would ask without end ends, and the test can tell)
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            if (!hugeBody) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
                return;
            }
            exchange.sendResponseHeaders(status, HUGE);
            byte[] chunk = new byte[64 << 10];
            OutputStream out = exchange.getResponseBody();
            try {
                for (long sent = 0; sent < HUGE; sent += chunk.length) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // the client hung up: what the test wants
            }
        }
    }

    @Test
    void aHugeListingIsCutOffNotReadWhole() throws IOException {
        S3BlobStore store = storeAnswering(200, true, null);
        assertThatThrownBy(store::check).isInstanceOf(UncheckedIOException.class).hasMessageContaining("more than");
        assertThat(written.get()).as("bytes the endpoint could send before cxpm hung up").isLessThan(HUGE / 4);
    }

    @Test
    void aHugeErrorAnswerToADownloadIsCutOffNotReadWhole() throws IOException {
        S3BlobStore store = storeAnswering(500, true, null);
        Integrity blob = Integrity.ofHex("ab".repeat(64)).orElseThrow();
        assertThatThrownBy(() -> store.open(blob)).isInstanceOf(UncheckedIOException.class).hasMessageContaining("500");
        assertThat(written.get()).as("bytes the endpoint could send before cxpm hung up").isLessThan(HUGE / 4);
    }

    @Test
    void aListingThatNamesTheSamePageAgainIsAnErrorNotALoop() throws IOException {
        String page = "<ListBucketResult><IsTruncated>true</IsTruncated>"
                + "<NextContinuationToken>again</NextContinuationToken></ListBucketResult>";
        S3BlobStore store = storeAnswering(200, false, page);
        assertThatThrownBy(store::list).isInstanceOf(UncheckedIOException.class).hasMessageContaining("again");
        assertThat(requests.get()).as("the first page and the one that repeated its token").isEqualTo(2);
    }

    @Test
    void aListedKeyOutsideThePrefixIsSkippedNotACrash() throws IOException {
        String page = "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>x</Key></Contents>"
                + "<Contents><Key>blobs/" + "cd".repeat(64) + ".tgz</Key></Contents></ListBucketResult>";
        S3BlobStore store = storeAnswering(200, false, page);
        assertThat(store.list()).containsExactly(Integrity.ofHex("cd".repeat(64)).orElseThrow());
    }
}
