package dev.cxpm.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.PackLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry that sends an endless blob (no length announced) cannot fill the disk: the download stops at the archive limit. */
class RegistryClientDownloadTest {

    @TempDir
    Path tmp;
    HttpServer server;

    @BeforeEach
    void endlessBlob() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/blobs/", ex -> {
            ex.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[1 << 16];
            try (OutputStream out = ex.getResponseBody()) {
                for (long sent = 0; sent < PackLimits.DEFAULT.maxArchiveBytes() + (8 << 20); sent += chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException clientGone) {
                // the client stopped reading, as it should
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void blobLargerThanAnyArchiveIsCutOffAndNotKept() {
        RegistryClient client = new RegistryClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null);
        Path dest = tmp.resolve("blob.tgz");

        assertThatThrownBy(() -> client.download("/api/v1/blobs/abc", dest))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("sent more than")
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
        assertThat(dest).doesNotExist();
    }
}
