package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A launcher that stays alive but stops reading (`cxpm search x | less`, the pager paused and left): the command's
 * thread in the daemon blocks on its next frame, as git blocks on a paused pager. The user may come back and scroll, so
 * that alone is no reason to stop; but it must not hold the daemon for ever: other commands are answered meanwhile
 * (BUSY, and the launcher runs them in a JVM of its own), and a reader that has taken nothing for the daemon's idle
 * time is given up (its connection closed: the launcher says the daemon stopped), the command runs to its end for
 * nobody, and the daemon exits when idle as it would have. Before, the blocked command kept its one-at-a-time permit,
 * so the idle exit, which waits for it, never came. A daemon in this JVM, with an idle time of seconds.
 */
@ExtendWith(LauncherCheckout.Extension.class)
class DaemonPausedReaderTest {
    /** About 430 bytes of output each: more than twice what the kernel may buffer for the daemon's side (tcp_wmem's largest), so the command blocks. */
    private static final int ENTRIES = Math.max(20_000, 2 * largestSendBuffer() / 430 + 1);
    private static final Duration IDLE = Duration.ofSeconds(3);

    Path tmp;
    LauncherCheckout c;
    Path daemonFile;

    @BeforeEach
    void checkout(LauncherCheckout checkout) throws Exception {
        c = checkout;
        tmp = c.tmp;
        daemonFile = LauncherCheckout.daemonDir().resolve(DaemonFile.PREFIX + "paused-" + ProcessHandle.current().pid());
    }

    @AfterEach
    void cleanUp() throws Exception {
        Files.deleteIfExists(daemonFile);
        Files.deleteIfExists(daemonFile.resolveSibling(daemonFile.getFileName() + ".lock"));
    }

    @Test
    void aReaderThatStopsReadingDoesNotHoldTheDaemonForEver() throws Exception {
        Path market = tmp.resolve("big");
        Files.createDirectories(market.resolve(".agents/plugins"));
        StringBuilder json = new StringBuilder("{\"name\":\"big\",\"plugins\":[");
        for (int i = 1; i <= ENTRIES; i++) {
            json.append(i == 1 ? "" : ",").append(String.format("{\"name\":\"tool-%05d\",\"source\":\"./plugins/tool-%05d\",", i, i))
                    .append("\"description\":\"").append("d".repeat(200)).append("\"}");
        }
        Files.writeString(market.resolve(".agents/plugins/marketplace.json"), json.append("]}"));
        CompletableFuture<Void> daemon = CompletableFuture.runAsync(() -> {
            try {
                Daemon.serve(new String[] {daemonFile.toString(), c.jar.toString(), umask()}, IDLE, Duration.ofMillis(200));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        LauncherCheckout.waitUntil(() -> Files.isRegularFile(daemonFile));
        try (Socket add = connect(0)) {
            assertThat(request(add, "marketplace", "add", market.toString())).isEqualTo("ACCEPTED");
            add.getInputStream().readAllBytes();
        }
        try (Socket paused = connect(4096)) {
            assertThat(request(paused, "search", "tool", "--json", "--limit", "100000")).isEqualTo("ACCEPTED");
            InputStream in = paused.getInputStream();
            byte[] first = in.readNBytes(1000); // a screenful, then the pager waits for the user
            assertThat(first).hasSize(1000);
            // meanwhile another command is answered at once: BUSY, and its launcher runs it in a JVM of its own
            LauncherCheckout.waitUntil(() -> {
                try (Socket other = connect(0)) {
                    return request(other, "--version").equals("BUSY");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // the daemon gives the reader up after its idle time, finishes the command and exits as it does when idle,
            // while this reader is still there and has not read on
            daemon.get(120, TimeUnit.SECONDS);
            assertThat(daemonFile).doesNotExist();
            // what the reader then reads is a part of the output, its connection closed before any DONE
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            try {
                in.transferTo(rest);
            } catch (IOException reset) {
                // closed with bytes unread on the daemon's side: as a daemon that died
            }
            String seen = new String(first, StandardCharsets.ISO_8859_1) + rest.toString(StandardCharsets.ISO_8859_1);
            assertThat(seen).doesNotContain("DONE");
        }
    }

    /** A connection to the daemon, presenting the client secret; receiveBuffer: its size, small for a reader that lags (0: the system's). */
    private Socket connect(int receiveBuffer) throws IOException {
        String[] fields = Files.readString(daemonFile).strip().split(" ");
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(fields[0])));
        s.setSoTimeout(120_000);
        s.getOutputStream().write((fields[1] + "\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(s.getInputStream().readNBytes(33), StandardCharsets.US_ASCII)).isEqualTo(fields[2] + "\n");
        return s;
    }

    /** Sends the request as the launcher does and returns the daemon's first line. */
    private String request(Socket s, String... args) throws IOException {
        List<String> fields = new ArrayList<>(List.of(umask(), "0", tmp.toString(), String.valueOf(args.length)));
        fields.addAll(List.of(args));
        List<String> vars = c.env.entrySet().stream().map(Map.Entry::getKey).map(k -> k + "=" + c.env.get(k)).toList();
        fields.add(String.valueOf(vars.size()));
        fields.addAll(vars);
        s.getOutputStream().write((String.join("\0", fields) + "\0").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int ch = s.getInputStream().read(); ch != '\n' && ch >= 0; ch = s.getInputStream().read()) {
            b.write(ch);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** The most the kernel buffers of what a TCP socket sends (tcp_wmem's third field), 4 MiB when it cannot be read. */
    private static int largestSendBuffer() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem")).strip().split("\\s+")[2]);
        } catch (IOException | RuntimeException e) {
            return 4 << 20;
        }
    }

    private static String umask() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Umask:"))
                    .map(l -> l.substring("Umask:".length()).strip()).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
