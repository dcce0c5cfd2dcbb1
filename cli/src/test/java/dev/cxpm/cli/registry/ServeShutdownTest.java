package dev.cxpm.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
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
    void sigtermLetsASlowDownloadInFlightFinishThenExitsZero() throws Exception {
        Path dir = tmp.resolve("data");
        Path accessLog = tmp.resolve("access.jsonl");
        Served s = serve(dir, "--shutdown-grace", "30", "--access-log", accessLog.toString());
        String token = CliRun.in(tmp, "token", "create", "--data", dir.toString()).stdout().strip();
        byte[] noise = new byte[8 << 20];
        new java.util.Random(14).nextBytes(noise);
        // incompressible, and far more than the socket buffers hold: the server is still writing while the client waits
        byte[] archive = Packer.archive(Map.of(".codex-plugin/plugin.json",
                "{\"name\":\"big\",\"version\":\"1.0.0\",\"description\":\"A big plugin.\"}",
                "data/noise.txt", java.util.Base64.getEncoder().encodeToString(noise)));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> published = http.send(HttpRequest.newBuilder(s.url().resolve("/api/v1/plugins"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(archive)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        var version = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(s.url().resolve("/api/v1/plugins/big")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("versions").get(0);

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new java.net.InetSocketAddress(s.url().getHost(), s.url().getPort()));
            socket.getOutputStream().write(("GET " + version.path("tarball").asText() + " HTTP/1.1\r\nHost: " + s.url().getAuthority()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] first = in.readNBytes(64 * 1024);
            assertThat(first).hasSize(64 * 1024);

            s.process().destroy(); // SIGTERM
            Thread.sleep(700);
            assertThat(s.process().isAlive()).as("waiting for the download in flight").isTrue();
            boolean refused;
            try (Socket late = new Socket(s.url().getHost(), s.url().getPort())) {
                refused = false;
            } catch (ConnectException e) {
                refused = true;
            }
            assertThat(refused).as("no new connections once stopping").isTrue();

            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            all.write(first);
            in.transferTo(all);
            byte[] answer = all.toByteArray();
            int body = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
            String head = new String(answer, 0, body, StandardCharsets.US_ASCII);
            assertThat(head).startsWith("HTTP/1.1 200");
            byte[] blob = java.util.Arrays.copyOfRange(answer, body, answer.length);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                blob = dechunked(blob);
            }
            assertThat(blob).as("the whole archive, after SIGTERM").hasSize(archive.length);
            assertThat(dev.cxpm.core.pack.Integrity.sha512(blob).sri()).isEqualTo(version.path("integrity").asText());
        }
        assertThat(s.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(s.process().exitValue()).isZero();
        // --access-log FILE: the lines go to the file (the download's with every byte sent), none to stderr
        assertThat(Files.readAllLines(accessLog)).anyMatch(l -> l.contains("\"method\":\"GET\"") && l.contains("\"status\":200")
                && l.contains("\"bytes\":" + archive.length + ","));
        assertThat(Files.readString(tmp.resolve("stderr.txt"))).doesNotContain("\"route\"");
    }

    private static byte[] dechunked(byte[] chunked) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(chunked.length);
        int at = 0;
        while (true) {
            int eol = indexOf(java.util.Arrays.copyOfRange(chunked, at, Math.min(chunked.length, at + 32)), "\r\n".getBytes(StandardCharsets.US_ASCII));
            int size = Integer.parseInt(new String(chunked, at, eol, StandardCharsets.US_ASCII).split(";")[0].strip(), 16);
            at += eol + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(chunked, at, size);
            at += size + 2;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (java.util.Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
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
    void badOperatorOptionsAreUsageErrors() throws Exception {
        assertThat(CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--rate-limit", "fast").exitCode()).isEqualTo(2);
        assertThat(CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--max-upload-size", "999999999999").exitCode()).isEqualTo(2);
        assertThat(CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--shutdown-grace", "-1").exitCode()).isEqualTo(2);
        for (String costly : new String[] {"0/10", "2", "2/-1", "many", "2000/10"}) {
            CliRun r = CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--costly-requests", costly);
            assertThat(r.exitCode()).as(costly).isEqualTo(2);
            assertThat(r.stderr()).as(costly).contains("--costly-requests must be AT_ONCE/WAITING");
        }
        assertThat(CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--metrics-token-file", "missing").exitCode()).isNotZero();
        Files.createSymbolicLink(tmp.resolve("endless"), Path.of("/dev/zero")); // 0 bytes by its size; read whole, it never ends
        CliRun endless = CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--metrics-token-file", "endless");
        assertThat(endless.exitCode()).as(endless.stderr()).isEqualTo(2);
        assertThat(endless.stderr()).contains("endless must be a regular file; it is a named pipe, socket or device");
        Path large = Files.writeString(tmp.resolve("large"), "t".repeat(5000));
        CliRun tooLarge = CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--metrics-token-file", large.toString());
        assertThat(tooLarge.exitCode()).as(tooLarge.stderr()).isEqualTo(2);
        assertThat(tooLarge.stderr()).contains("large is larger than 4096 bytes");
    }
}
