package dev.cxpm.core.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.pack.PackLimits;
import dev.cxpm.core.pack.Packer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * npm tokens go only where npm sends them: two real HTTP servers on 127.0.0.1, the registry the token
 * is configured for and another host (another port: npm keys tokens by host and port), each recording
 * the Authorization header of every request it gets.
 */
class NpmFetcherTest {

    @TempDir
    Path tmp;
    Server registry;
    Server other;
    Path home;

    /** A tiny HTTP server: fixed routes, each request's path and Authorization header recorded. */
    static final class Server {
        final HttpServer http;
        final Map<String, Route> routes = new ConcurrentHashMap<>();
        final List<String> seen = new CopyOnWriteArrayList<>();

        record Route(int status, String location, byte[] body, long streamBytes) {
        }

        Server() throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/", ex -> {
                seen.add(ex.getRequestURI().getRawPath() + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
                Route r = routes.get(ex.getRequestURI().getRawPath());
                try (ex) {
                    if (r == null) {
                        ex.sendResponseHeaders(404, -1);
                    } else if (r.location != null) {
                        ex.getResponseHeaders().add("Location", r.location);
                        ex.sendResponseHeaders(r.status, -1);
                    } else if (r.streamBytes > 0) {
                        ex.sendResponseHeaders(200, 0); // chunked: no length announced, only the bytes tell
                        byte[] chunk = new byte[1 << 16];
                        try (OutputStream out = ex.getResponseBody()) {
                            for (long sent = 0; sent < r.streamBytes; sent += chunk.length) {
                                out.write(chunk);
                            }
                        } catch (IOException clientGone) {
                            // the client stopped reading: what a cap should do
                        }
                    } else {
                        ex.sendResponseHeaders(200, r.body.length);
                        ex.getResponseBody().write(r.body);
                    }
                }
            });
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
        }

        void serve(String path, byte[] body) {
            routes.put(path, new Route(200, null, body, 0));
        }

        List<String> authorizations() {
            return seen.stream().map(s -> s.substring(s.indexOf(" auth=") + 6)).toList();
        }
    }

    @BeforeEach
    void servers() throws IOException {
        registry = new Server();
        other = new Server();
        home = Files.createDirectories(tmp.resolve("home"));
    }

    @AfterEach
    void stop() {
        registry.http.stop(0);
        other.http.stop(0);
    }

    private NpmFetcher fetcher(String npmrc) throws IOException {
        Files.writeString(home.resolve(".npmrc"), npmrc);
        return new NpmFetcher(Map.of("HOME", home.toString()), Files.createDirectories(tmp.resolve("cwd")));
    }

    private Packer.Result packed() throws IOException {
        Path p = tmp.resolve("src");
        Files.createDirectories(p.resolve(".codex-plugin"));
        Files.writeString(p.resolve(".codex-plugin/plugin.json"), "{\"name\": \"demo\", \"version\": \"1.0.0\"}");
        return new Packer().pack(p, tmp.resolve("demo-1.0.0.tgz"));
    }

    /** The packument of demo-plugin 1.0.0 with its tarball at the given URL (and integrity, when not null). */
    private void packument(String tarball, String integrity) {
        String dist = "\"tarball\": \"" + tarball + "\"" + (integrity == null ? "" : ", \"integrity\": \"" + integrity + "\"");
        registry.serve("/demo-plugin", ("{\"name\": \"demo-plugin\", \"dist-tags\": {\"latest\": \"1.0.0\"},"
                + " \"versions\": {\"1.0.0\": {\"dist\": {" + dist + "}}}}").getBytes(StandardCharsets.UTF_8));
    }

    private static PluginSource.Npm demo() {
        return new PluginSource.Npm("demo-plugin", Optional.empty(), Optional.empty());
    }

    /** A marketplace entry's npm range picks as cxpm's own ranges do: SemVer precedence, where rc2 ranks above rc10. */
    @Test
    void aRangePicksTheHighestVersionBySemverPrecedence() throws IOException {
        Packer.Result p = packed();
        registry.serve("/demo-plugin-1.0.0.tgz", Files.readAllBytes(p.file()));
        String dist = "{\"dist\": {\"tarball\": \"" + registry.url() + "demo-plugin-1.0.0.tgz\"}}";
        registry.serve("/demo-plugin", ("{\"name\": \"demo-plugin\", \"dist-tags\": {\"latest\": \"0.9.0\"}, \"versions\": {"
                + "\"0.9.0\": " + dist + ", \"1.0.0-rc10\": " + dist + ", \"1.0.0-rc2\": " + dist + ", \"1.0.0-rc1\": " + dist
                + ", \"1.0.1-rc9\": " + dist + "}}").getBytes(StandardCharsets.UTF_8));
        NpmFetcher npm = fetcher("registry=" + registry.url() + "\n");

        NpmFetcher.Fetched f = npm.fetch(new PluginSource.Npm("demo-plugin", Optional.of(">=1.0.0-rc1 <1.0.1"), Optional.empty()),
                Files.createDirectories(tmp.resolve("work")));

        assertThat(f.version()).isEqualTo("1.0.0-rc2");
    }

    @Test
    void tokenForTheRegistryIsNotSentToATarballOnAnotherHost() throws IOException {
        Packer.Result p = packed();
        other.serve("/demo-plugin-1.0.0.tgz", Files.readAllBytes(p.file()));
        packument(other.url() + "demo-plugin-1.0.0.tgz", p.integrity().toString());
        String regHostPort = registry.url().substring("http:".length());
        NpmFetcher npm = fetcher("registry=" + registry.url() + "\n" + regHostPort + ":_authToken=s3cret\n");

        NpmFetcher.Fetched f = npm.fetch(demo(), Files.createDirectories(tmp.resolve("work")));

        assertThat(f.dir().resolve(".codex-plugin/plugin.json")).exists();
        assertThat(registry.authorizations()).containsExactly("Bearer s3cret");
        assertThat(other.authorizations()).containsExactly("null");
    }

    @Test
    void tokenForAnotherHostIsNotSentToTheRegistry() throws IOException {
        Packer.Result p = packed();
        registry.serve("/demo-plugin-1.0.0.tgz", Files.readAllBytes(p.file()));
        packument(registry.url() + "demo-plugin-1.0.0.tgz", p.integrity().toString());
        // A token for the other port, and one whose key is a mere text prefix of the registry's host:port.
        String registryPort = String.valueOf(registry.http.getAddress().getPort());
        NpmFetcher npm = fetcher("registry=" + registry.url() + "\n" + other.url().substring(5) + ":_authToken=other\n"
                + "//127.0.0.1:" + registryPort.substring(0, registryPort.length() - 1) + ":_authToken=prefix\n");

        npm.fetch(demo(), Files.createDirectories(tmp.resolve("work")));

        assertThat(registry.authorizations()).containsOnly("null").hasSize(2);
    }

    @Test
    void pathScopedTokenIsSentOnlyUnderItsPath() throws IOException {
        Packer.Result p = packed();
        registry.serve("/public/demo-plugin-1.0.0.tgz", Files.readAllBytes(p.file()));
        registry.serve("/private/demo-plugin", ("{\"name\": \"demo-plugin\", \"dist-tags\": {\"latest\": \"1.0.0\"}, \"versions\": {\"1.0.0\":"
                + " {\"dist\": {\"tarball\": \"" + registry.url() + "public/demo-plugin-1.0.0.tgz\", \"integrity\": \"" + p.integrity() + "\"}}}}")
                .getBytes(StandardCharsets.UTF_8));
        NpmFetcher npm = fetcher("registry=" + registry.url() + "private/\n" + registry.url().substring(5) + "private/:_authToken=scoped\n");

        npm.fetch(demo(), Files.createDirectories(tmp.resolve("work")));

        assertThat(registry.seen).containsExactly("/private/demo-plugin auth=Bearer scoped", "/public/demo-plugin-1.0.0.tgz auth=null");
    }

    @Test
    void redirectToAnotherHostDropsTheToken() throws IOException {
        Packer.Result p = packed();
        other.serve("/demo-plugin-1.0.0.tgz", Files.readAllBytes(p.file()));
        registry.routes.put("/-/demo-plugin-1.0.0.tgz", new Server.Route(302, other.url() + "demo-plugin-1.0.0.tgz", null, 0));
        packument(registry.url() + "-/demo-plugin-1.0.0.tgz", p.integrity().toString());
        NpmFetcher npm = fetcher("registry=" + registry.url() + "\n" + registry.url().substring(5) + ":_authToken=s3cret\n");

        npm.fetch(demo(), Files.createDirectories(tmp.resolve("work")));

        assertThat(registry.authorizations()).containsExactly("Bearer s3cret", "Bearer s3cret");
        assertThat(other.authorizations()).containsExactly("null");
    }

    @Test
    void tarballWithoutIntegrityIsCappedAndNothingIsLeftBehind() throws IOException {
        long cap = PackLimits.DEFAULT.maxArchiveBytes();
        other.routes.put("/huge.tgz", new Server.Route(200, null, null, cap + (4 << 20)));
        packument(other.url() + "huge.tgz", null);
        NpmFetcher npm = fetcher("registry=" + registry.url() + "\n");
        Path work = Files.createDirectories(tmp.resolve("work"));

        assertThatThrownBy(() -> npm.fetch(demo(), work))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("huge.tgz")
                .hasMessageContaining("more than")
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
        try (var files = Files.list(work)) {
            assertThat(files).isEmpty();
        }
    }
}
