package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every answer tells the browser not to guess its type, not to be framed, and what a page may
 * load; the pages need nothing the policy forbids (no inline script or style). The browser's own
 * verdict is in {@link WebUiBrowserTest}.
 */
class SecurityHeadersTest {

    private static final Pattern INLINE = Pattern.compile("(?i)<style|<script(?![^>]*\\ssrc=)|\\sstyle=|\\son[a-z]+=|javascript:");

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;

    @BeforeEach
    void start() throws Exception {
        registry = Registry.embedded(data, Clock.systemUTC());
        DemoPlugins.seed(registry, new Caller("cxpm-demo", List.of(Caller.ADMIN), null));
        registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), RegistryServerTest.plugin("demo", "1.0.0"));
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pagesBlobsAndApiAnswersForbidSniffingFramingAndForeignContent() throws Exception {
        String blob = "/api/v1/blobs/" + registry.versions("demo").getFirst().integrity().hex();
        for (String path : List.of("/", "/?q=postgres", "/?q=postgrs", "/plugins/demo", "/plugins/postgres-explorer", "/plugins/demo/1.0.0",
                "/plugins/demo/1.0.0/icon", "/owners/alice", "/owners/nobody", "/plugins/nope",
                "/no/such/page", "/?q=" + "x".repeat(300), blob, "/api/v1/plugins/demo", "/api/v1/search?q=demo", "/api/v1/nope",
                "/codex/marketplace.git/HEAD", "/assets/registry.css", "/assets/registry.js")) {
            HttpResponse<String> r = get(path);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("default-src 'none'").contains("script-src 'self'").contains("style-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline"));
        }
        assertThat(get(blob).headers().firstValue("Content-Type")).hasValue("application/gzip");
    }

    @Test
    void pagesHaveNoInlineScriptOrStyleAndTheirAssetsAreServedWithTheRightTypes() throws Exception {
        for (String path : List.of("/", "/plugins/demo", "/plugins/postgres-explorer", "/plugins/postgres-explorer/2.1.0", "/owners/alice",
                "/owners/nobody", "/plugins/nope", "/?q=postgrs", "/?q=" + "x".repeat(300))) {
            String html = get(path).body();
            assertThat(INLINE.matcher(html).find()).as(path + ": " + html).isFalse();
            assertThat(html).as(path).contains("<link rel=stylesheet href=\"/assets/registry.css\">");
        }
        String plugin = get("/plugins/postgres-explorer").body();
        assertThat(plugin).contains("<script src=\"/assets/registry.js\" defer></script>")
                .contains("<link rel=stylesheet href=\"/assets/accent/336791.css\">");
        assertThat(get("/assets/registry.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/assets/registry.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        HttpResponse<String> accent = get("/assets/accent/336791.css");
        assertThat(accent.body()).isEqualTo(":root{--accent:#336791}\n");
        assertThat(get("/assets/accent/33679z.css").statusCode()).isEqualTo(404);
        assertThat(get("/assets/accent/336791;x.css").statusCode()).isEqualTo(404);
    }
}
