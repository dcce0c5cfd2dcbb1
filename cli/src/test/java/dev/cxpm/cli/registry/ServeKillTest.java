package dev.cxpm.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.CxpmProcess;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Packer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single {@code cxpm serve} on SQLite killed with SIGKILL at random points while clients publish, then started again
 * on the same data directory, round after round. After each restart every version the index lists has its blob, whose
 * bytes match its integrity (no half version visible), every publish answered 201 before the kill is still there, the
 * upload spool is empty, and publishing works.
 */
class ServeKillTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    Process server;

    @AfterEach
    void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor();
        }
    }

    private URI serve(Path data, int round) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port);
        Path log = tmp.resolve("serve-" + round + ".log");
        server = CxpmProcess.start(tmp, Map.of("HOME", tmp.resolve("home").toString(), "PATH", System.getenv("PATH")), log,
                "serve", "--port", String.valueOf(port), "--data", data.toString());
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            if (!server.isAlive()) {
                fail("cxpm serve exited with " + server.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(url.resolve("/readyz")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return url;
                }
            } catch (IOException notYet) {
                // still starting
            }
            assertThat(deadline - System.nanoTime()).as("cxpm serve ready").isPositive();
            Thread.sleep(50);
        }
    }

    private static byte[] plugin(String name, String version) {
        return Packer.archive(Map.of(".codex-plugin/plugin.json",
                "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"description\":\"A plugin for " + name + ".\"}",
                "skills/hello/SKILL.md", "---\nname: hello\ndescription: Says hello.\n---\n" + ("Hello " + version + ". ").repeat(20_000) + "\n"));
    }

    private int publish(URI url, String token, byte[] archive) {
        try {
            return http.send(HttpRequest.newBuilder(url.resolve("/api/v1/plugins")).PUT(HttpRequest.BodyPublishers.ofByteArray(archive))
                    .header("Content-Type", "application/gzip").header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException killed) {
            return -1;
        }
    }

    @Test
    void aServerKilledMidPublishRestartsCleanWithEveryAnsweredPublishAndNoHalfVersion() throws Exception {
        Path data = tmp.resolve("data");
        URI url = serve(data, 0);
        CliRun token = CliRun.in(tmp, Map.of("HOME", tmp.resolve("home").toString()), "token", "create", "--data", data.toString());
        assertThat(token.exitCode()).as(token.stderr()).isZero();
        String admin = token.stdout().strip();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        Random random = new Random(3);
        int patch = 0;
        for (int round = 1; round <= 6; round++) {
            ExecutorService clients = Executors.newFixedThreadPool(3);
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                String name = "p" + c;
                int first = patch;
                URI at = url;
                running.add(clients.submit(() -> {
                    for (int v = first; v < first + 50; v++) {
                        String version = "1.0." + v;
                        int status = publish(at, admin, plugin(name, version));
                        if (status == 201) {
                            answered.add(name + "@" + version);
                        } else if (status == -1) {
                            return; // the server is gone
                        }
                    }
                }));
            }
            patch += 50;
            Thread.sleep(300 + random.nextInt(1500));
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback from the process
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (var f : running) {
                f.get(2, TimeUnit.MINUTES);
            }
            clients.shutdown();

            url = serve(data, round);
            try (Stream<Path> left = Files.list(data.resolve("uploads"))) {
                assertThat(left.toList()).as("round %d: the spool is emptied at start", round).isEmpty();
            }
            for (int c = 0; c < 3; c++) {
                final int n = c;
                HttpResponse<String> index = http.send(HttpRequest.newBuilder(url.resolve("/api/v1/plugins/p" + c)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (index.statusCode() == 404) {
                    assertThat(answered).as("round %d: nothing of p%d was answered 201", round, c).noneMatch(a -> a.startsWith("p" + n + "@"));
                    continue;
                }
                assertThat(index.statusCode()).as(index.body()).isEqualTo(200);
                List<String> listed = new ArrayList<>();
                for (JsonNode v : JSON.readTree(index.body()).path("versions")) {
                    listed.add("p" + c + "@" + v.path("version").asText());
                    HttpResponse<byte[]> blob = http.send(HttpRequest.newBuilder(url.resolve(v.path("tarball").asText())).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(blob.statusCode()).as("round %d: p%d %s has its blob", round, c, v.path("version").asText()).isEqualTo(200);
                    assertThat(Integrity.sha512(blob.body()).sri()).isEqualTo(v.path("integrity").asText());
                }
                assertThat(listed).as("round %d: every publish of p%d answered 201 survived the kill", round, c)
                        .containsAll(answered.stream().filter(a -> a.startsWith("p" + n + "@")).toList());
            }
        }
        assertThat(publish(url, admin, plugin("after", "1.0.0"))).isEqualTo(201);
        System.out.println("serve kill test: " + answered.size() + " publishes answered 201 across 6 kills, all kept");
    }
}
