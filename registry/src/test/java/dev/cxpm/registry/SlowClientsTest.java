package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's HTTP server reads a request's line and headers before any of cxpm's handlers, and by default lets a client
 * take for ever and hold up to 380 KiB of head per connection, on as many connections as it opens. A real server in a
 * JVM of its own (the JDK reads these limits once per JVM, at its first server), started with a 1 s upload time, so
 * that every request must arrive whole within the least time a request has, 30 s.
 */
class SlowClientsTest {

    @TempDir
    Path data;

    @Test
    void aClientTricklingItsHeadersIsHungUpOnAndAHugeHeadIsNotReadWhileOthersAreServed() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), SmallHeapRegistry.class.getName(), data.toString(), "1")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            URI url = URI.create(out.readLine().substring(4));
            try (Socket loris = new Socket(url.getHost(), url.getPort())) {
                // never a timed assertion: the read timeout only keeps a regression from hanging the build
                loris.setSoTimeout(500);
                OutputStream o = loris.getOutputStream();
                o.write("GET /api/v1/search HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                boolean hungUp = false;
                for (int i = 0; i < 240 && !hungUp; i++) { // up to 2 minutes, one header byte each half second
                    try {
                        o.write('X');
                        o.flush();
                        hungUp = loris.getInputStream().read() == -1;
                    } catch (SocketTimeoutException stillOpen) {
                        // the server is still waiting for the rest: trickle on
                    } catch (SocketException reset) {
                        hungUp = true;
                    }
                    assertThat(status(url, "")).as("others are served meanwhile").isEqualTo(200);
                }
                assertThat(hungUp).as("a request still arriving past its time is hung up on").isTrue();
            }
            assertThat(status(url, "X-Big: " + "a".repeat(40 * 1024) + "\r\n")).as("a 40 KiB head is refused unread").isNotEqualTo(200);
            assertThat(status(url, "")).isEqualTo(200);
        } finally {
            p.getOutputStream().close();
            p.waitFor();
        }
    }

    /**
     * A client that asks for a blob and never reads it: on main the server's answer waited on the full socket for ever,
     * holding the connection (one of the 2,048) and its thread; now the answer has the time a request has (30 s with an upload time of 20 s),
     * then the connection is closed, and the client gets what was in flight and the end, not the blob.
     */
    @Test
    void aClientThatStopsReadingAnAnswerIsHungUpOnWhileOthersAreServed() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), SmallHeapRegistry.class.getName(), data.toString(), "20")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            URI url = URI.create(out.readLine().substring(4));
            String token = out.readLine().substring(6);
            // 12 MB of random base64: some 9 MB gzipped, more than the socket buffers of both ends hold
            byte[] random = new byte[9 << 20];
            new java.util.Random(17).nextBytes(random);
            byte[] archive = TestArchive.plugin("big", "1.0.0").file("package/data.txt", java.util.Base64.getEncoder().encodeToString(random)).bytes();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            var published = http.send(java.net.http.HttpRequest.newBuilder(url.resolve("/api/v1/plugins"))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(archive)).header("Authorization", "Bearer " + token).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
            String tarball = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(java.net.http.HttpRequest.newBuilder(
                    url.resolve("/api/v1/plugins/big")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body())
                    .path("versions").path(0).path("tarball").asText();

            try (Socket reader = new Socket()) {
                reader.setReceiveBufferSize(4096);
                reader.connect(new java.net.InetSocketAddress(url.getHost(), url.getPort()));
                reader.getOutputStream().write(("GET " + tarball + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 9; i++) { // 45 s of not reading: past the 30 s an answer has (a wait, not a measure)
                    Thread.sleep(5_000);
                    assertThat(status(url, "")).as("others are served meanwhile").isEqualTo(200);
                }
                reader.setSoTimeout(10_000); // only keeps a regression from hanging the build: main's answer kept coming
                long got = 0;
                boolean hungUp = false;
                byte[] buf = new byte[1 << 16];
                try {
                    for (int n; (n = reader.getInputStream().read(buf)) >= 0; ) {
                        got += n;
                    }
                    hungUp = true;
                } catch (SocketTimeoutException stillOpen) {
                    // the whole answer came and the connection waits for the next request
                } catch (SocketException reset) {
                    hungUp = true;
                }
                assertThat(hungUp).as("the server hung up on a client that stopped reading").isTrue();
                assertThat(got).as("what was in flight, not the blob").isLessThan(archive.length);
            }
            assertThat(status(url, "")).isEqualTo(200);
        } finally {
            p.getOutputStream().close();
            p.waitFor();
        }
    }

    /** The status of a search sent with these extra header lines, or -1 when the connection is closed without one. */
    private static int status(URI url, String headers) throws IOException {
        try (Socket s = new Socket(url.getHost(), url.getPort())) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write(("GET /api/v1/search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1)).readLine();
            return line == null ? -1 : Integer.parseInt(line.split(" ")[1]);
        } catch (SocketException reset) {
            return -1;
        }
    }
}
