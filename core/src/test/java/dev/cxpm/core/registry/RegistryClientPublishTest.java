package dev.cxpm.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.cxpm.core.Progress;
import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.PackLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * publish streams the archive from its file (issue 12: bounded memory whatever the archive holds): the registry
 * receives exactly the file's bytes, and an archive over the size limit is refused before anything is sent.
 */
class RegistryClientPublishTest {
    @TempDir
    Path dir;

    @Test
    void theRegistryReceivesExactlyTheFileAndProgressCountsItAll() throws Exception {
        Path tgz = dir.resolve("demo-1.0.0.tgz");
        byte[] content = new byte[3 << 20];
        new Random(12).nextBytes(content);
        Files.write(tgz, content);
        AtomicReference<byte[]> received = new AtomicReference<>();
        AtomicReference<String> type = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/plugins", ex -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try (InputStream in = ex.getRequestBody()) {
                in.transferTo(body);
            }
            received.set(body.toByteArray());
            type.set(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type"));
            byte[] answer = ("{\"name\": \"demo\", \"version\": \"1.0.0\", \"integrity\": \"sha512-x\", \"size\": " + body.size() + "}")
                    .getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(201, answer.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        AtomicLong lastDone = new AtomicLong();
        AtomicLong lastTotal = new AtomicLong();
        Progress progress = what -> new Progress.Step() {
            @Override
            public void transferred(long done, long total) {
                lastDone.set(done);
                lastTotal.set(total);
            }
        };
        try {
            RegistryClient.Published p = new RegistryClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    "cxpm_test_token", progress).publish(tgz);
            assertThat(received.get()).as("the bytes the registry received").isEqualTo(content);
            assertThat(type.get()).isEqualTo("PUT application/gzip");
            assertThat(p.name()).isEqualTo("demo");
            assertThat(p.size()).isEqualTo(content.length);
            assertThat(lastDone.get()).isEqualTo(content.length);
            assertThat(lastTotal.get()).isEqualTo(content.length);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anArchiveOverTheLimitIsRefusedBeforeAnyConnection() throws Exception {
        Path tgz = dir.resolve("huge-1.0.0.tgz");
        long size = PackLimits.DEFAULT.maxArchiveBytes() + 1;
        try (RandomAccessFile f = new RandomAccessFile(tgz.toFile(), "rw")) {
            f.setLength(size); // sparse: the size is what matters, not the disk
        }
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(200);
            Thread counter = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        connections.incrementAndGet();
                    } catch (SocketTimeoutException e) {
                        // keep listening
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            RegistryClient client = new RegistryClient(URI.create("http://127.0.0.1:" + server.getLocalPort()), "cxpm_test_token");
            assertThatThrownBy(() -> client.publish(tgz)).isInstanceOfSatisfying(UserError.class, e -> {
                assertThat(e.kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
                assertThat(e.getMessage()).contains(tgz.toString()).contains("over the limit");
            });
            server.close();
            counter.join();
        }
        assertThat(connections.get()).as("connections to the registry").isZero();
    }
}
