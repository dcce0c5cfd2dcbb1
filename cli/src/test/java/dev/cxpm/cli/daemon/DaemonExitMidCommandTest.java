package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A daemon that finds its jar rebuilt (or, told by a command, its checkout's sources changed) stops taking commands and
 * exits; but its JVM exited with the command it was running, whose threads do not keep it alive: a sync stopped
 * half-way, its launcher told the daemon stopped. The command running is now let finish (its launcher gets its whole
 * answer) before the daemon exits. The real daemon, in a JVM of its own; its command held by a reader that waits.
 */
@ExtendWith(LauncherCheckout.Extension.class)
class DaemonExitMidCommandTest {
    Path tmp;
    LauncherCheckout c;

    @BeforeEach
    void checkout(LauncherCheckout checkout) throws Exception {
        c = checkout;
        tmp = c.tmp;
    }

    @Test
    void aDaemonWhoseJarChangedLetsTheCommandItIsRunningFinishBeforeItExits() throws Exception {
        Path market = tmp.resolve("big");
        Files.createDirectories(market.resolve(".agents/plugins"));
        StringBuilder json = new StringBuilder("{\"name\":\"big\",\"plugins\":[");
        for (int i = 1; i <= 20_000; i++) {
            json.append(i == 1 ? "" : ",").append(String.format("{\"name\":\"tool-%05d\",\"source\":\"./plugins/tool-%05d\",", i, i))
                    .append("\"description\":\"").append("d".repeat(200)).append("\"}");
        }
        Files.writeString(market.resolve(".agents/plugins/marketplace.json"), json.append("]}"));
        c.startDaemon();
        LauncherCheckout.Run add = c.cxpm(c.noJvm(), "marketplace", "add", market.toString());
        assertThat(add.code()).as(add.err()).isZero();
        try (Socket s = connect()) {
            request(s, "search", "tool", "--json", "--limit", "100000");
            InputStream in = s.getInputStream();
            assertThat(line(in)).isEqualTo("ACCEPTED");
            in.readNBytes(1000); // then it waits, and the command with it
            Files.setLastModifiedTime(c.jar, FileTime.from(Instant.now())); // rebuilt
            LauncherCheckout.waitUntil(() -> !Files.exists(c.daemonFile)); // the daemon saw it: it takes no more commands
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            try {
                in.transferTo(rest);
            } catch (IOException reset) {
                // the daemon died with its connection's bytes unread
            }
            String answer = rest.toString(StandardCharsets.ISO_8859_1);
            assertThat(answer).as("the whole answer, to its last frame").contains("DONE 0\n").endsWith("}\n");
        }
        LauncherCheckout.waitUntil(() -> c.daemons().isEmpty()); // and then it exits
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096); // a reader that lags: the daemon's writes wait for it
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), c.port()));
        s.setSoTimeout(120_000);
        s.getOutputStream().write((c.clientSecret() + "\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(s.getInputStream().readNBytes(33), StandardCharsets.US_ASCII)).isEqualTo(c.daemonSecret() + "\n");
        return s;
    }

    private void request(Socket s, String... args) throws IOException {
        List<String> fields = new ArrayList<>(List.of(umask(), "0", tmp.toString(), String.valueOf(args.length)));
        fields.addAll(List.of(args));
        List<String> vars = c.env.entrySet().stream().map(Map.Entry::getKey).map(k -> k + "=" + c.env.get(k)).toList();
        fields.add(String.valueOf(vars.size()));
        fields.addAll(vars);
        s.getOutputStream().write((String.join("\0", fields) + "\0").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int ch = in.read(); ch != '\n' && ch >= 0; ch = in.read()) {
            b.write(ch);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static String umask() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Umask:"))
                .map(l -> l.substring("Umask:".length()).strip()).findFirst().orElseThrow();
    }
}
