package dev.cxpm.cli.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pack and publish in a directory that is no plugin: refused before anything is packed or sent, naming the fix. */
class NotAPluginTest {
    @TempDir
    Path dir;

    @Test
    void packInADirectoryWithoutAManifestNamesItAndTheFix() throws IOException {
        Path project = Files.createDirectories(dir.resolve("my-project"));
        Files.writeString(project.resolve("notes.md"), "# notes\n");
        CliRun r = CliRun.in(project, "pack");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains(project.toString()).contains("is not a plugin").contains("cxpm init")
                .doesNotContain("\n: ");
        try (var files = Files.list(project)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("notes.md");
        }
        CliRun named = CliRun.in(dir, "pack", "my-project");
        assertThat(named.exitCode()).isEqualTo(1);
        assertThat(named.stderr()).contains(project.toString()).contains("is not a plugin");
    }

    @Test
    void publishInADirectoryWithoutAManifestSendsNothing() throws Exception {
        Path project = Files.createDirectories(dir.resolve("my-project"));
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
            CliRun r = CliRun.in(project, Map.of("CXPM_TOKEN", "cxpm_test_token"),
                    "publish", "--registry", "http://127.0.0.1:" + server.getLocalPort());
            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
            assertThat(r.stderr()).contains(project.toString()).contains("is not a plugin").contains("cxpm init");
            server.close();
            counter.join();
        }
        assertThat(connections.get()).as("requests sent to the registry").isZero();
    }
}
