package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.registry.ops.AccessLog;
import dev.cxpm.registry.ops.Metrics;
import dev.cxpm.registry.ops.Operations;
import dev.cxpm.registry.ops.RateLimits.Rate;
import dev.cxpm.registry.publish.PluginArchive;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing a server with requests in flight: it stops accepting at once, lets them finish within the grace, never half-writes. */
class GracefulShutdownTest {

    @TempDir
    Path data;

    private RegistryServer start(Registry registry, Duration grace) throws IOException {
        Operations ops = new Operations(AccessLog.OFF, Optional.empty(), Rate.NONE, Rate.NONE, false, grace,
                PluginArchive.MAX_COMPRESSED_BYTES, new Metrics());
        return RegistryServer.start(registry, "127.0.0.1", 0,
                new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry").with(ops));
    }

    /** A publish whose body is sent in two halves: the first now, the second when the test says. */
    static final class SlowPublish implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final byte[] archive;

        SlowPublish(URI url, String token, byte[] archive) throws IOException {
            this.socket = new Socket(url.getHost(), url.getPort());
            this.out = socket.getOutputStream();
            this.archive = archive;
            out.write(("PUT /api/v1/plugins HTTP/1.1\r\nHost: " + url.getAuthority() + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/gzip\r\nContent-Length: " + archive.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(archive, 0, archive.length / 2);
            out.flush();
        }

        /** Sends the rest and returns the status line of the answer. */
        String finish() throws IOException {
            out.write(archive, archive.length / 2, archive.length - archive.length / 2);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\n'; ) {
                line.append((char) c);
            }
            return line.toString().strip();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aPublishInFlightWhenTheServerClosesCompletesAndNewConnectionsAreRefused() throws Exception {
        Registry registry = Registry.embedded(data, Clock.systemUTC());
        RegistryServer server = start(registry, Duration.ofSeconds(30));
        URI url = server.url();
        String token = registry.createToken(null, "alice", List.of("admin"), null, null).token();
        try (SlowPublish publish = new SlowPublish(url, token, RegistryServerTest.plugin("hello", "1.0.0"))) {
            Thread.sleep(200); // the server has the request and is reading its body
            Thread closing = Thread.ofPlatform().start(server::close);
            Thread.sleep(300);
            assertThat(closing.isAlive()).as("close waits for the publish in flight").isTrue();
            assertThatThrownBy(() -> new Socket(url.getHost(), url.getPort()).close()).isInstanceOf(ConnectException.class);
            assertThat(publish.finish()).isEqualTo("HTTP/1.1 201 Created");
            closing.join(10_000);
            assertThat(closing.isAlive()).isFalse();
        }
        assertThat(registry.versions("hello")).hasSize(1);
        registry.close();
    }

    @Test
    void aPublishStillArrivingWhenTheGraceEndsLeavesNoVersionAndNoBlob() throws Exception {
        Registry registry = Registry.embedded(data, Clock.systemUTC());
        RegistryServer server = start(registry, Duration.ofSeconds(1));
        String token = registry.createToken(null, "alice", List.of("admin"), null, null).token();
        try (SlowPublish publish = new SlowPublish(server.url(), token, RegistryServerTest.plugin("hello", "1.0.0"))) {
            Thread.sleep(200);
            long started = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the grace, not forever").isLessThan(Duration.ofSeconds(20));
            String answer;
            try {
                answer = publish.finish();
            } catch (IOException e) {
                answer = "connection closed"; // under the half-sent body: what a client of a stopped server sees
            }
            assertThat(answer).doesNotContain("201");
        }
        assertThat(registry.plugin("hello")).isEmpty();
        assertThat(new FileBlobStore(data.resolve("blobs")).list()).isEmpty();
        registry.close();
    }
}
