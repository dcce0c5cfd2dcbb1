package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install command a plugin page shows works on a machine that never saw the registry, so it names
 * the registry; the address in it is one a shell reads as one word, whatever Host header a client sent.
 * (OneCommandInstallTest in the cli module runs the command shown against a real server and the real Codex CLI.)
 */
class PageInstallCommandTest {

    @TempDir
    Path tmp;

    @Test
    void pluginPageShowsTheCommandThatAddsThisRegistryAndInstalls() throws Exception {
        try (RunningRegistry r = RunningRegistry.embedded(tmp)) {
            assertThat(r.publish(r.admin, RegistryServerTest.plugin("demo", "1.0.0")).statusCode()).isEqualTo(201);
            assertThat(r.get("/plugins/demo").body())
                    .contains("<code id=install-command>cxpm install demo --registry " + r.server.url() + "</code>");
        }
    }

    @Test
    void aHostHeaderAShellWouldRunIsNeverShownAndAPlainOneIs() throws Exception {
        try (RunningRegistry r = RunningRegistry.embedded(tmp)) {
            r.publish(r.admin, RegistryServerTest.plugin("demo", "1.0.0"));
            for (String host : new String[] {"x$(touch${IFS}pwned)", "a;b", "a'b", "a b", "user@evil.example", "evil.example/x", ""}) {
                assertThat(page(r.server.url(), host)).as(host)
                        .contains("<code id=install-command>cxpm install demo --registry " + r.server.url() + "</code>");
            }
            assertThat(page(r.server.url(), "plugins.example.com:8443"))
                    .contains("<code id=install-command>cxpm install demo --registry http://plugins.example.com:8443</code>");
        }
    }

    @Test
    void thePublicUrlTheOperatorGaveIsShownWhateverTheHost() throws Exception {
        Registry registry = Registry.embedded(tmp, Clock.systemUTC());
        RegistryServer server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(tmp.resolve("codex-marketplace.git"),
                "cxpm-registry", Optional.of(URI.create("https://plugins.example.com"))));
        try {
            String admin = registry.createToken(null, "alice", java.util.List.of("admin"), null, "test").token();
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins"))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(RegistryServerTest.plugin("demo", "1.0.0")))
                    .header("Content-Type", "application/gzip").header("Authorization", "Bearer " + admin).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            assertThat(page(server.url(), "evil.example"))
                    .contains("<code id=install-command>cxpm install demo --registry https://plugins.example.com</code>")
                    .contains("codex plugin marketplace add https://plugins.example.com/codex/marketplace.git");
        } finally {
            server.close();
            registry.close();
        }
        assertThatThrownBy(() -> new RegistryServer.Options(tmp, "cxpm-registry", Optional.of(URI.create("https://a$(id).example"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** GET /plugins/demo with this exact Host header (the JDK client will not send a chosen one). */
    private static String page(URI server, String host) throws IOException {
        try (Socket s = new Socket(server.getHost(), server.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /plugins/demo HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
