package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.registry.publish.PluginArchive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one upload may cost the server: its body goes to a file under the data directory (deleted after the
 * request, whatever happens), a few at a time, and a hostile Content-Length or endless chunked body is a clear
 * JSON refusal. Raw sockets to a real server on 127.0.0.1, so the client sends exactly what a hostile one would.
 */
class UploadLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    String admin;

    @BeforeEach
    void start() throws Exception {
        registry = Registry.embedded(data, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        admin = registry.createToken(null, "alice", List.of(Caller.ADMIN), null, null).token();
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    /** An answer read off a raw socket: status and the JSON body (null when the body is not JSON). */
    record Answer(int status, String head, JsonNode json) {
    }

    private Socket connect() throws IOException {
        URI u = server.url();
        Socket s = new Socket(u.getHost(), u.getPort());
        s.setSoTimeout(60_000);
        return s;
    }

    private String head(String... headers) {
        StringBuilder b = new StringBuilder("PUT /api/v1/plugins HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin + "\r\n"
                + "Content-Type: application/gzip\r\nConnection: close\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            // up to the end of the head, then as many bytes as it announces (the server may keep the connection)
            int c;
            while (!all.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n") && (c = in.read()) >= 0) {
                all.write(c);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(all.toString(StandardCharsets.ISO_8859_1));
            all.write(m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : in.readAllBytes());
        } catch (IOException reset) {
            // the server closed while the client still sent: what arrived before is the answer
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
        if (head.toLowerCase().contains("transfer-encoding: chunked")) {
            body = body.substring(body.indexOf("\r\n") + 2); // one chunk is enough for a short JSON answer
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        return new Answer(status, head, json);
    }

    private Answer send(String head, byte[] body) throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return read(s.getInputStream());
        }
    }

    @Test
    void aMalformedContentLengthIsA400NeverA500() throws Exception {
        for (String length : List.of("abc", "-5", "1e3", "99999999999999999999999")) {
            Answer a = send(head("Content-Length: " + length), new byte[0]);
            assertThat(a.status()).as("Content-Length: %s -> %s", length, a.head()).isEqualTo(400);
            if (a.json() != null) { // the JDK's server refuses most of these itself, with a short text page, before cxpm sees them
                assertThat(a.json().path("error").asText()).isEqualTo("invalid-content-length");
            }
        }
        // what the JDK lets through but is no number of bytes reaches cxpm, which says so in JSON
        for (String length : List.of("+5")) {
            Answer a = send(head("Content-Length: " + length), "hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(a.status()).as("Content-Length: %s -> %s", length, a.head()).isEqualTo(400);
            assertThat(a.json()).as("Content-Length: %s -> %s", length, a.head()).isNotNull();
            assertThat(a.json().path("error").asText()).isEqualTo("invalid-content-length");
            assertThat(a.json().path("message").asText()).contains("Content-Length");
        }
    }

    @Test
    void aContentLengthOverTheLimitIsRefusedWith413BeforeAnyBodyIsSent() throws Exception {
        Answer a = send(head("Content-Length: " + (PluginArchive.MAX_COMPRESSED_BYTES + 1L)), new byte[0]);
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.json().path("error").asText()).isEqualTo("too-large");
        assertThat(a.json().path("message").asText()).contains(String.valueOf(PluginArchive.MAX_COMPRESSED_BYTES));
        Answer huge = send(head("Content-Length: " + Long.MAX_VALUE), new byte[0]);
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.json().path("error").asText()).isEqualTo("too-large");
    }

    @Test
    void anEndlessChunkedBodyIsCutOffWith413AndNothingIsLeftOnDisk() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(head("Transfer-Encoding: chunked").getBytes(StandardCharsets.ISO_8859_1));
            CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return read(s.getInputStream());
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] chunk = new byte[1 << 16];
            byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            long sent = 0;
            try {
                while (!answer.isDone() && sent < 4L * PluginArchive.MAX_COMPRESSED_BYTES) {
                    out.write(size);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    sent += chunk.length;
                }
            } catch (IOException closedByServer) {
                // expected: the server stops reading at the limit
            }
            Answer a = answer.get(60, TimeUnit.SECONDS);
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.json().path("error").asText()).isEqualTo("too-large");
            assertThat(sent).as("the server answered without reading everything").isLessThan(4L * PluginArchive.MAX_COMPRESSED_BYTES);
        }
        assertThat(spooled()).isEmpty();
    }

    @Test
    void uploadsBeyondTheLimitInFlightAre503WithRetryAfterAndTheRestStillWork() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < RegistryServer.Options.DEFAULT_MAX_UPLOADS; i++) {
                Socket s = connect();
                s.getOutputStream().write(head("Content-Length: 1000000").getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().write(new byte[1000]);
                s.getOutputStream().flush();
                slow.add(s);
            }
            Thread.sleep(300); // let the server take them in
            Answer busy = send(head("Content-Length: 10"), new byte[10]);
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.head().toLowerCase()).contains("retry-after:");
            assertThat(busy.json().path("error").asText()).isEqualTo("busy");
            assertThat(spooled()).as("each upload in flight has its file under the data directory").hasSize(RegistryServer.Options.DEFAULT_MAX_UPLOADS);
        } finally {
            for (Socket s : slow) {
                s.close(); // clients that give up mid-upload
            }
        }
        byte[] plugin = RegistryServerTest.plugin("demo", "1.0.0");
        Answer ok = null;
        for (int i = 0; i < 50 && (ok == null || ok.status() == 503); i++) {
            Thread.sleep(100);
            ok = send(head("Content-Length: " + plugin.length), plugin);
        }
        assertThat(ok.status()).as("%s", ok.json()).isEqualTo(201);
        assertThat(spooled()).as("aborted, refused and published uploads all leave nothing behind").isEmpty();
    }

    @Test
    void aClientThatStallsMidUploadIsCutOffAndItsPlaceFreed(@TempDir Path own) throws Exception {
        server.close();
        // one place, so a stalled client that kept it would turn the next publish into a 503
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(own.resolve("codex-marketplace.git"),
                "cxpm-registry", java.util.Optional.empty(), own.resolve("uploads"), 1, java.time.Duration.ofSeconds(1)));
        try (Socket stalled = connect()) {
            stalled.setSoTimeout(15_000);
            stalled.getOutputStream().write(head("Content-Length: 1000000").getBytes(StandardCharsets.ISO_8859_1));
            stalled.getOutputStream().write(new byte[1000]);
            stalled.getOutputStream().flush();
            long start = System.nanoTime();
            Answer cut = read(stalled.getInputStream());
            assertThat(cut.status()).as("408 or the connection closed without an answer").isIn(408, -1);
            assertThat(cut.head()).as("no answer but a timeout").doesNotContain("HTTP/1.1 2", "HTTP/1.1 5");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
            byte[] plugin = RegistryServerTest.plugin("demo", "1.0.0");
            Answer ok = send(head("Content-Length: " + plugin.length), plugin);
            assertThat(ok.status()).as("%s", ok.json()).isEqualTo(201);
        }
        try (Stream<Path> left = Files.list(own.resolve("uploads"))) {
            assertThat(left.toList()).as("the stalled upload's file is deleted").isEmpty();
        }
    }

    @Test
    void aRefusedUploadLeavesNoFileBehind() throws Exception {
        Answer bad = send(head("Content-Length: 5"), "hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(spooled()).isEmpty();
    }

    /** The ask: four 40 MiB uploads at once (two raw, two multipart) to a server with a 64 MiB heap. */
    @Test
    void aServerWithA64MiBHeapTakesFourConcurrent40MiBUploadsAndKeepsPublishing(@TempDir Path own) throws Exception {
        byte[] big = new byte[40 << 20];
        new java.util.Random(1).nextBytes(big); // incompressible, and no gzip: every one is refused once read
        String boundary = "cxpm-" + "b".repeat(40);
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.tgz\"\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        form.writeBytes(big);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        byte[] multipart = form.toByteArray();

        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), SmallHeapRegistry.class.getName(), own.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            URI url = URI.create(out.readLine().substring(4));
            String token = out.readLine().substring(6);
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            List<CompletableFuture<java.net.http.HttpResponse<String>>> uploads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                boolean asForm = i % 2 == 1;
                uploads.add(http.sendAsync(java.net.http.HttpRequest.newBuilder(url.resolve("/api/v1/plugins"))
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(asForm ? multipart : big))
                        .header("Content-Type", asForm ? "multipart/form-data; boundary=" + boundary : "application/gzip")
                        .header("Authorization", "Bearer " + token).timeout(java.time.Duration.ofMinutes(2)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()));
            }
            for (var u : uploads) {
                var res = u.get(3, TimeUnit.MINUTES);
                assertThat(res.statusCode()).as(res.body()).isIn(400, 503);
                if (res.statusCode() == 400) {
                    assertThat(JSON.readTree(res.body()).path("problems").get(0).path("code").asText()).isEqualTo("corrupt-archive");
                }
            }
            var ok = http.send(java.net.http.HttpRequest.newBuilder(url.resolve("/api/v1/plugins"))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(RegistryServerTest.plugin("fine", "1.0.0")))
                    .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
            assertThat(p.isAlive()).as("the 64 MiB server is still up (it exits on OutOfMemoryError)").isTrue();
            try (Stream<Path> left = Files.list(own.resolve("uploads"))) {
                assertThat(left.toList()).as("every spooled upload was deleted").isEmpty();
            }
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private List<Path> spooled() throws IOException {
        Path dir = data.resolve("uploads");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
