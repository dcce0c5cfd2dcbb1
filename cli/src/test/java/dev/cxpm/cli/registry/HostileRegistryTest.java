package dev.cxpm.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry's answers are untrusted: a real cxpm registry on 127.0.0.1 behind a forwarding server on
 * 127.0.0.1 that rewrites one plugin's index document (as a compromised or hostile registry would answer)
 * to carry a version or dependency name that is path syntax. cxpm refuses the answer, names the registry,
 * and installs and writes nothing. The forwarder hides the registry's keys and the marketplace is added with
 * {@code --insecure-unsigned}, so these defences are shown to hold on their own, without the signature check
 * ({@link SignedRegistryTest}) that would refuse any rewritten answer first.
 */
class HostileRegistryTest {

    @TempDir
    Path tmp;
    Path codexHome;
    Map<String, String> env;
    Registry registry;
    RegistryServer server;
    HttpServer forwarder;
    volatile UnaryOperator<String> rewrite = UnaryOperator.identity();
    String url;
    Path sentinel;

    @BeforeEach
    void start() throws Exception {
        Path data = tmp.resolve("data");
        registry = Registry.embedded(data, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        forwarder = forwardTo(server.url());
        url = "http://127.0.0.1:" + forwarder.getAddress().getPort();
        codexHome = tmp.resolve("codex-home");
        env = new HashMap<>(Fixtures.env(codexHome, tmp.resolve("home")));
        CliRun token = cxpm("token", "create", "--data", data.toString());
        assertThat(cxpm("login", "--registry", server.url().toString(), "--token", token.stdout().strip()).exitCode()).isZero();
        Path src = tmp.resolve("src/app");
        Fixtures.plugin(src, "{\"name\": \"app\", \"version\": \"1.0.0\", \"description\": \"The app plugin\"}");
        CliRun publish = cxpm("publish", src.toString(), "--registry", server.url().toString());
        assertThat(publish.exitCode()).as(publish.stderr()).isZero();
        CliRun add = cxpm("marketplace", "add", url, "--insecure-unsigned");
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        sentinel = Files.createDirectories(tmp.resolve("sentinel"));
        Files.writeString(sentinel.resolve("keep.txt"), "keep");
    }

    @AfterEach
    void stop() {
        forwarder.stop(0);
        server.close();
        registry.close();
    }

    CliRun cxpm(String... args) {
        return CliRun.in(tmp, env, args);
    }

    /** Forwards every request to target; the index document of `app` goes through rewrite. */
    private HttpServer forwardTo(URI target) throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        Set<String> notForwarded = Set.of("host", "content-length", "connection", "transfer-encoding", "upgrade", "expect");
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", (HttpExchange ex) -> {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                if (ex.getRequestURI().getPath().equals(dev.cxpm.core.registry.RegistryKey.KEYS_PATH)) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                HttpRequest.Builder req = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().toString()))
                        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                boolean index = ex.getRequestURI().getPath().equals("/api/v1/plugins/app");
                ex.getRequestHeaders().forEach((k, vs) -> {
                    // the index is always answered afresh, so a rewrite is not hidden behind cxpm's ETag revalidation
                    if (!notForwarded.contains(k.toLowerCase()) && !(index && k.equalsIgnoreCase("if-none-match"))) {
                        vs.forEach(v -> req.header(k, v));
                    }
                });
                HttpResponse<byte[]> res = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                byte[] out = res.body();
                if (index && res.statusCode() == 200) {
                    out = rewrite.apply(new String(out, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                }
                res.headers().map().forEach((k, vs) -> {
                    if (!notForwarded.contains(k.toLowerCase()) && !k.startsWith(":")) {
                        ex.getResponseHeaders().put(k, vs);
                    }
                });
                ex.sendResponseHeaders(res.statusCode(), out.length == 0 ? -1 : out.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.start();
        return s;
    }

    private void assertNothingInstalled() {
        assertThat(codexHome.resolve("plugins/cache/cxpm-registry")).doesNotExist();
        assertThat(sentinel.resolve("keep.txt")).hasContent("keep");
    }

    @Test
    void theForwardedRegistryServesInstallsUnchanged() {
        CliRun r = cxpm("install", "app@cxpm-registry");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(codexHome.resolve("plugins/cache/cxpm-registry/app/1.0.0/.codex-plugin/plugin.json")).exists();
    }

    @Test
    void anIndexAnswerWithAVersionThatIsPathSyntaxIsRefused() {
        rewrite = json -> json.replaceFirst("\"versions\"\\s*:\\s*\\[", "\"versions\": [{\"version\": \"..\", \"integrity\": \"sha512-"
                + "A".repeat(86) + "==\", \"size\": 1, \"tarball\": \"/api/v1/blobs/00\", \"dependencies\": {}, \"yanked\": false}, ");
        CliRun r = cxpm("install", "app@cxpm-registry");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("the index document from " + url, "invalid plugin version `..`: path traversal is not allowed",
                "tell the registry's operators");
        assertNothingInstalled();
    }

    /** On main each was an internal error (exit 70): the tarball became a URI only at the download, which threw. */
    @Test
    void anIndexAnswerWhoseTarballIsNoPathOrUrlIsRefusedWithTheDocument() throws Exception {
        for (String tarball : List.of("/api/v1/blobs/a b", "//elsewhere.example/x.tgz", "file:///etc/passwd", "/api/v1/blobs/%zz")) {
            rewrite = json -> json.replaceFirst("\"tarball\"\\s*:\\s*\"[^\"]*\"", "\"tarball\": \"" + tarball + "\"");
            CliRun r = cxpm("install", "app@cxpm-registry");
            assertThat(r.exitCode()).as(tarball + ": " + r.stdout() + r.stderr()).isEqualTo(4);
            assertThat(r.stderr()).contains("the index document from " + url + "/api/v1/plugins/app cannot be read: a release's tarball `" + tarball
                    + "` is neither a path on the registry nor an http(s) URL");
            assertNothingInstalled();
        }
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\ncxpm-registry = \"" + url + "\"\n\n[plugins]\napp = \"^1\"\n");
        CliRun sync = CliRun.in(project, env, "sync");
        assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isEqualTo(4);
        assertThat(project.resolve("cxpm.lock")).doesNotExist();
        assertNothingInstalled();
    }

    @Test
    void anIndexAnswerWithADependencyOrNameThatIsPathSyntaxIsRefusedBySync() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\ncxpm-registry = \"" + url + "\"\n\n[plugins]\napp = \"^1\"\n");
        rewrite = json -> json.replaceAll("\"dependencies\"\\s*:\\s*\\{\\s*}", "\"dependencies\":{\"../../sentinel\":\"*\"}");
        CliRun r = CliRun.in(project, env, "sync");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("the index document from " + url, "invalid plugin name `../../sentinel`");
        assertThat(project.resolve("cxpm.lock")).doesNotExist();
        assertNothingInstalled();

        rewrite = json -> json.replaceFirst("\"name\"\\s*:\\s*\"app\"", "\"name\": \"..\"");
        CliRun named = CliRun.in(project, env, "sync");
        assertThat(named.exitCode()).as(named.stdout() + named.stderr()).isEqualTo(1);
        assertThat(named.stderr()).contains("invalid plugin name `..`");
        assertNothingInstalled();
    }
}
