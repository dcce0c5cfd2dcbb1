package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.registry.web.ClientRelease;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry hands out the cxpm client: {@code /install.sh} names this registry and the archive's SHA-512, the
 * archives are served by exact name only, and the home page's first line is the one command, only when there is a
 * release to serve. (ReleaseInstallTest in dist/ runs the script for real.)
 */
class ClientDownloadsTest {

    @TempDir
    Path tmp;

    @Test
    void theScriptNamesThisRegistryTheArchiveAndItsSha512AndTheArchivesAreServed() throws Exception {
        Path releases = Files.createDirectories(tmp.resolve("releases"));
        String sum = release(releases, "1.2.0", "self-contained bytes");
        release(releases, "1.0.0", "older");
        Files.writeString(releases.resolve("cxpm-1.2.0.tar.gz"), "portable bytes");
        Files.writeString(releases.resolve("cxpm-1.2.0.tar.gz.sha512"), sha512("portable bytes") + "  cxpm-1.2.0.tar.gz\n");
        Files.writeString(releases.resolve("notes.txt"), "not a release");
        try (Served s = serve(releases)) {
            String script = s.get("/install.sh").body();
            assertThat(script).startsWith("#!/bin/sh\n").contains("base='" + s.url + "'", "version='1.2.0'",
                    "archive='cxpm-1.2.0-linux-x64.tar.gz'", "sha512='" + sum + "'");
            assertThat(s.get("/downloads/cxpm-1.2.0-linux-x64.tar.gz").body()).isEqualTo("self-contained bytes");
            assertThat(s.get("/downloads/cxpm-1.2.0-linux-x64.tar.gz.sha512").body()).isEqualTo(sum + "  cxpm-1.2.0-linux-x64.tar.gz\n");
            assertThat(s.get("/downloads/cxpm-1.2.0.tar.gz").body()).isEqualTo("portable bytes");
            assertThat(s.get("/").body()).contains("<code id=install-cxpm>curl -fsSL " + s.url + "/install.sh | sh</code>");
            for (String path : new String[] {"/downloads/notes.txt", "/downloads/cxpm-1.0.0-linux-x64.tar.gz", "/downloads/..%2Fnotes.txt",
                    "/downloads/%2E%2E", "/downloads/cxpm-1.2.0-linux-x64.tar.gz/", "/downloads/releases/notes.txt", "/downloads/"}) {
                assertThat(s.get(path).statusCode()).as(path).isEqualTo(404);
            }
        }
    }

    @Test
    void ofSeveralVersionsTheNewestByVersionOrderIsServed() throws Exception {
        Path releases = Files.createDirectories(tmp.resolve("releases"));
        release(releases, "1.9.0", "nine");
        String sum = release(releases, "1.10.0", "ten");
        release(releases, "1.10.0-rc.1", "ten, release candidate");
        release(releases, "1.10.0-rc2", "ten, candidate 2");
        release(releases, "1.10.0-rc10", "ten, candidate 10");
        Files.writeString(releases.resolve("cxpm-1.11.0-linux-x64.tar.gz"), "no sum beside it: not a release");
        try (Served s = serve(releases)) {
            assertThat(s.get("/install.sh").body()).contains("version='1.10.0'", "archive='cxpm-1.10.0-linux-x64.tar.gz'", "sha512='" + sum + "'");
            assertThat(s.get("/downloads/cxpm-1.10.0-linux-x64.tar.gz").body()).isEqualTo("ten");
            for (String older : new String[] {"1.9.0", "1.10.0-rc.1", "1.11.0"}) {
                assertThat(s.get("/downloads/cxpm-" + older + "-linux-x64.tar.gz").statusCode()).as(older).isEqualTo(404);
            }
        }
    }

    /** Of pre-releases alone, SemVer's order: rc10 ranks below rc2 (identifiers with letters compare as text). */
    @Test
    void ofPreReleasesTheNewestBySemverPrecedenceIsServed() throws Exception {
        Path releases = Files.createDirectories(tmp.resolve("releases"));
        release(releases, "1.10.0-rc10", "ten, candidate 10");
        String sum = release(releases, "1.10.0-rc2", "ten, candidate 2");
        try (Served s = serve(releases)) {
            assertThat(s.get("/install.sh").body()).contains("version='1.10.0-rc2'", "sha512='" + sum + "'");
        }
    }

    @Test
    void aHostHeaderAShellWouldRunNeverReachesTheScript() throws Exception {
        Path releases = Files.createDirectories(tmp.resolve("releases"));
        release(releases, "1.2.0", "bytes");
        try (Served s = serve(releases)) {
            for (String host : new String[] {"x$(touch${IFS}pwned)", "a'b", "a;b", "a b", "evil.example/x"}) {
                assertThat(raw(s.url, "/install.sh", host)).as(host).contains("base='" + s.url + "'").doesNotContain("pwned", "a'b", "a;b");
            }
            assertThat(raw(s.url, "/install.sh", "plugins.example.com:8443")).contains("base='http://plugins.example.com:8443'");
        }
    }

    @Test
    void withoutAReleaseThereIsNoScriptNoDownloadAndNoInstallLine() throws Exception {
        Path releases = Files.createDirectories(tmp.resolve("releases"));
        Files.writeString(releases.resolve("cxpm-1.2.0-linux-x64.tar.gz"), "no sum beside it");
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(bad.resolve("cxpm-1.2.0-linux-x64.tar.gz"), "bytes");
        Files.writeString(bad.resolve("cxpm-1.2.0-linux-x64.tar.gz.sha512"), sha512("bytes") + "  other-name.tar.gz\n");
        Path linked = Files.createDirectories(tmp.resolve("linked"));
        release(tmp, "1.2.0", "bytes");
        Files.createSymbolicLink(linked.resolve("cxpm-1.2.0-linux-x64.tar.gz"), tmp.resolve("cxpm-1.2.0-linux-x64.tar.gz"));
        Files.copy(tmp.resolve("cxpm-1.2.0-linux-x64.tar.gz.sha512"), linked.resolve("cxpm-1.2.0-linux-x64.tar.gz.sha512"));
        for (Path dir : new Path[] {releases, bad, linked, tmp.resolve("missing")}) {
            assertThat(ClientRelease.find(dir)).as(dir.toString()).isEmpty();
        }
        try (Served s = serve(releases)) {
            assertThat(s.get("/install.sh").statusCode()).isEqualTo(404);
            assertThat(s.get("/downloads/cxpm-1.2.0-linux-x64.tar.gz").statusCode()).isEqualTo(404);
            assertThat(s.get("/").body()).doesNotContain("install.sh");
        }
    }

    /** Writes cxpm-VERSION-linux-x64.tar.gz with these bytes and its .sha512; returns the SHA-512. */
    private static String release(Path dir, String version, String bytes) throws Exception {
        String name = "cxpm-" + version + "-linux-x64.tar.gz";
        Files.writeString(dir.resolve(name), bytes);
        String sum = sha512(bytes);
        Files.writeString(dir.resolve(name + ".sha512"), sum + "  " + name + "\n");
        return sum;
    }

    private static String sha512(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private Served serve(Path releases) throws IOException {
        Registry registry = Registry.embedded(tmp.resolve("data"), Clock.systemUTC());
        RegistryServer server = RegistryServer.start(registry, "127.0.0.1", 0,
                new RegistryServer.Options(tmp.resolve("data/codex-marketplace.git"), "cxpm-registry").withClient(ClientRelease.find(releases)));
        return new Served(registry, server, server.url().toString());
    }

    private record Served(Registry registry, RegistryServer server, String url) implements AutoCloseable {
        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path)).build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() {
            server.close();
            registry.close();
        }
    }

    /** GET path with this exact Host header (the JDK client will not send a chosen one). */
    private static String raw(String url, String path, String host) throws IOException {
        URI u = URI.create(url);
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
