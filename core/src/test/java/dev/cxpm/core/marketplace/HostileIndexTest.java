package dev.cxpm.core.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexHome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index document a registry (of a marketplace added with --insecure-unsigned) answers with hostile JSON ends in one
 * user error naming the marketplace and the registry, of a bounded length: never a stack trace, never a reading that
 * picks one of two values. A real HttpServer on 127.0.0.1.
 */
class HostileIndexTest {
    private static final String RELEASE = "{\"version\":\"1.0.0\",\"integrity\":\"sha512-" + "A".repeat(86)
            + "==\",\"tarball\":\"/api/v1/blobs/x\"}";

    @TempDir
    Path home;
    HttpServer server;
    final AtomicReference<byte[]> answer = new AtomicReference<>();
    URI url;

    @BeforeEach
    void registry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/plugins/", ex -> {
            byte[] body = answer.get();
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        Path reg = home.resolve(".cxpm/registries/reg/registry.json");
        Files.createDirectories(reg.getParent());
        Files.writeString(reg, "{\"url\": \"" + url + "\", \"codexMarketplace\": \"" + url + "/codex/marketplace.git\", \"unsigned\": true}");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private UserError refused(String doc) {
        answer.set(doc.getBytes(StandardCharsets.UTF_8));
        Throwable t = catchThrowable(() -> new RegistryMarketplaces(new CodexHome(home)).index("reg", url, "demo"));
        assertThat(t).as(doc.length() > 200 ? doc.substring(0, 200) : doc).isInstanceOf(UserError.class);
        assertThat(t.getMessage()).startsWith("marketplace `reg`: ").contains(url + "/api/v1/plugins/demo").hasSizeLessThan(400);
        return (UserError) t;
    }

    @Test
    void aWellFormedIndexIsRead() {
        answer.set(("{\"name\":\"demo\",\"versions\":[" + RELEASE + "]}").getBytes(StandardCharsets.UTF_8));
        assertThat(new RegistryMarketplaces(new CodexHome(home)).index("reg", url, "demo").index().releases()).hasSize(1);
    }

    @Test
    void nestingDeeperThanJacksonReadsIsRefused() {
        assertThat(refused("{\"name\":\"demo\",\"versions\":" + "[".repeat(5000) + "]".repeat(5000) + "}").getMessage())
                .contains("nesting depth");
    }

    @Test
    void aNumberPastALongIsRefused() {
        assertThat(refused("{\"name\":\"demo\",\"sequence\":99999999999999999999999,\"versions\":[]}").getMessage())
                .contains("not a whole number from 0 to 9223372036854775807");
        refused("{\"name\":\"demo\",\"sequence\":" + "9".repeat(5000) + ",\"versions\":[]}");
    }

    @Test
    void anEightMebibyteStringIsRefusedInABoundedMessage() {
        refused("{\"name\":\"demo\",\"versions\":[" + RELEASE.replace("1.0.0", "1.0.0-" + "x".repeat(8 << 20)) + "]}");
    }

    @Test
    void aNameGivenTwiceIsRefusedNotReadAsTheLast() {
        assertThat(refused("{\"name\":\"demo\",\"name\":\"other\",\"versions\":[]}").getMessage()).contains("name");
    }

    @Test
    void aVersionListedTwiceIsRefused() {
        assertThat(refused("{\"name\":\"demo\",\"versions\":[" + RELEASE + "," + RELEASE.replace("AAAA", "BBBB") + "]}").getMessage())
                .contains("version 1.0.0 is listed twice");
    }
}
