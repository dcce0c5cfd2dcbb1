package dev.cxpm.cli.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.core.pack.PackLimits;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** publish of a .tgz over the archive size limit: refused with exit 1 before the registry is asked anything, not read into memory. */
class PublishTooLargeTest {
    @TempDir
    Path dir;

    @Test
    void anArchiveOverTheLimitIsRefusedBeforeTheRegistryIsAsked() throws Exception {
        Path tgz = dir.resolve("huge-1.0.0.tgz");
        try (RandomAccessFile f = new RandomAccessFile(tgz.toFile(), "rw")) {
            f.setLength(PackLimits.DEFAULT.maxArchiveBytes() + 1); // sparse: its size is what matters
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
            CliRun r = CliRun.in(dir, Map.of("CXPM_TOKEN", "cxpm_test_token"),
                    "publish", "huge-1.0.0.tgz", "--registry", "http://127.0.0.1:" + server.getLocalPort());
            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
            assertThat(r.stderr()).contains("huge-1.0.0.tgz").contains("over the limit").contains("nothing was sent");
            server.close();
            counter.join();
        }
        assertThat(connections.get()).as("connections to the registry").isZero();
    }
}
