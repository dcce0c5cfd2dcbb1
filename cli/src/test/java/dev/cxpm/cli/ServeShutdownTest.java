package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.registry.storage.JdbcDatabase;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxpm serve} as a real process, stopped the way a supervisor stops it: SIGTERM or SIGINT, then exit status 0. */
class ServeShutdownTest {

    @TempDir
    Path tmp;

    record Served(Process process, URI url) {
    }

    private Served serve(Path dir, String... extra) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.cxpm.cli.Main", "serve", "--port", "0", "--data", dir.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("stderr.txt").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("cxpm registry serving ")) {
                Thread.ofVirtual().start(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the process is gone
                    }
                });
                return new Served(p, URI.create(line.split(" ")[3]));
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("cxpm serve printed no URL: " + Files.readString(tmp.resolve("stderr.txt")));
    }

    private static byte[] plugin(String name) {
        return Packer.archive(Map.of(".codex-plugin/plugin.json",
                "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"description\":\"A plugin for " + name + ".\"}"));
    }

    @Test
    void sigtermLetsAnUploadInFlightFinishThenExitsZeroWithThePluginStored() throws Exception {
        Path dir = tmp.resolve("data");
        Served s = serve(dir, "--shutdown-grace", "30");
        String token = CliRun.in(tmp, "token", "create", "--data", dir.toString()).stdout().strip();
        byte[] archive = plugin("hello");
        try (Socket socket = new Socket(s.url().getHost(), s.url().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/v1/plugins HTTP/1.1\r\nHost: " + s.url().getAuthority() + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: " + archive.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(archive, 0, archive.length / 2);
            out.flush();
            Thread.sleep(300);

            s.process().destroy(); // SIGTERM
            Thread.sleep(700);
            assertThat(s.process().isAlive()).as("waiting for the upload in flight").isTrue();
            boolean refused;
            try (Socket late = new Socket(s.url().getHost(), s.url().getPort())) {
                refused = false;
            } catch (ConnectException e) {
                refused = true;
            }
            assertThat(refused).as("no new connections once stopping").isTrue();

            out.write(archive, archive.length / 2, archive.length - archive.length / 2);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 201");
        }
        assertThat(s.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(s.process().exitValue()).isZero();
        String stderr = Files.readString(tmp.resolve("stderr.txt"));
        assertThat(stderr).contains("stopping: finishing requests in flight").contains("stopped");
        assertThat(stderr).as("the access log line of the publish").contains("\"route\":\"/api/v1/plugins\"").contains("\"status\":201")
                .doesNotContain(token);
        try (JdbcDatabase db = JdbcDatabase.sqlite(dir.resolve("registry.db"))) {
            assertThat(db.versions("hello")).hasSize(1);
        }
    }

    @Test
    void sigintOnAnIdleServerExitsZeroAtOnce() throws Exception {
        Served s = serve(tmp.resolve("data"), "--access-log", "off");
        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(s.url().resolve("/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(ready.body()).path("status").asText()).isEqualTo("ready");
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(s.process().pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        assertThat(s.process().waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(s.process().exitValue()).isZero();
        assertThat(Files.readString(tmp.resolve("stderr.txt"))).doesNotContain("\"route\"");
    }

    @Test
    void badOperatorOptionsAreUsageErrors() {
        assertThat(CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--rate-limit", "fast").exitCode()).isEqualTo(2);
        assertThat(CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--max-upload-size", "999999999999").exitCode()).isEqualTo(2);
        assertThat(CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--shutdown-grace", "-1").exitCode()).isEqualTo(2);
        assertThat(CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--metrics-token-file", "missing").exitCode()).isNotZero();
    }
}
