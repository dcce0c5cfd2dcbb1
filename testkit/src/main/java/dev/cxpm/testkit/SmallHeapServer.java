package dev.cxpm.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server in a JVM of its own with a small heap that exits on OutOfMemoryError, so a test can see whether what it
 * sends exhausts it: {@code main} runs on the test's class path and prints {@code URL <url>} and {@code TOKEN <token>}
 * on its first two lines, and stops when its stdin closes ({@link #close}).
 */
public final class SmallHeapServer implements AutoCloseable {
    private final Process process;
    private final URI url;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();

    private SmallHeapServer(Process process, URI url, String token) {
        this.process = process;
        this.url = url;
        this.token = token;
    }

    /** Starts {@code main} with {@code -Xmx<heap>} and {@code args}, and reads its URL and token. */
    public static SmallHeapServer start(Class<?> main, String heap, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String urlLine = out.readLine();
        String tokenLine = out.readLine();
        if (urlLine == null || !urlLine.startsWith("URL ") || tokenLine == null || !tokenLine.startsWith("TOKEN ")) {
            p.destroyForcibly();
            throw new IOException(main.getName() + " printed no URL and TOKEN lines: " + urlLine + " / " + tokenLine);
        }
        return new SmallHeapServer(p, URI.create(urlLine.substring(4)), tokenLine.substring(6));
    }

    public URI url() {
        return url;
    }

    public String token() {
        return token;
    }

    /** Whether it still runs: one that ran out of heap has exited. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** PUTs {@code body} to {@code path} with the token, waiting up to 2 minutes for the answer. */
    public HttpResponse<String> put(String path, byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url.resolve(path)).PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
