package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.daemon.LauncherCheckout.Run;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A command whose stdout is far larger than what the daemon holds (a search over a marketplace of 20,000 entries prints
 * 8.5 MB) goes through the real daemon in frames of at most {@link DaemonFrames#STDOUT_CHUNK} bytes as it is written,
 * reaches the caller byte for byte, and a caller that hangs up half-way leaves the daemon serving the next command.
 */
@ExtendWith(LauncherCheckout.Extension.class)
class DaemonStreamTest {
    private static final int ENTRIES = 20_000;

    Path tmp;
    LauncherCheckout c;

    @BeforeEach
    void checkout(LauncherCheckout checkout) throws Exception {
        c = checkout;
        tmp = c.tmp;
    }

    /** The real daemon, started, and a Codex home with a marketplace of {@link #ENTRIES} entries. */
    private void bigMarketplace() throws Exception {
        Path market = tmp.resolve("big");
        Files.createDirectories(market.resolve(".agents/plugins"));
        StringBuilder json = new StringBuilder("{\"name\":\"big\",\"plugins\":[");
        for (int i = 1; i <= ENTRIES; i++) {
            json.append(i == 1 ? "" : ",").append(String.format("{\"name\":\"tool-%05d\",\"source\":\"./plugins/tool-%05d\",", i, i))
                    .append("\"description\":\"").append("d".repeat(200)).append("\"}");
        }
        Files.writeString(market.resolve(".agents/plugins/marketplace.json"), json.append("]}"));
        c.startDaemon();
        Run add = c.cxpm(c.noJvm(), "marketplace", "add", market.toString());
        assertThat(add.code()).as(add.err()).isZero();
    }

    @Test
    void aStdoutOfMegabytesReachesTheCallerByteForByteThroughTheDaemon() throws Exception {
        bigMarketplace();
        Run cold = c.cxpm(cold(), "search", "tool", "--json", "--limit", "100000");
        Run warm = c.cxpm(c.noJvm(), "search", "tool", "--json", "--limit", "100000");
        assertThat(cold.code()).as(cold.err()).isZero();
        assertThat(cold.out().length()).isGreaterThan(8 * DaemonFrames.STDOUT_CHUNK);
        assertThat(warm.code()).as(warm.err()).isZero();
        assertThat(warm.out()).as("through the daemon, as in a JVM of its own").isEqualTo(cold.out());
        String started = Files.exists(c.coldMark) ? Files.readString(c.coldMark) : "";
        assertThat(started).as("answered by the daemon").doesNotContain("search");
    }

    /** What the daemon holds of a command's stdout is what it sends in a frame: never the whole output. */
    @Test
    void theDaemonSendsStdoutAsItIsWrittenInFramesOfAtMostAChunk() throws Exception {
        bigMarketplace();
        List<Integer> frames = new ArrayList<>();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (Socket s = c.authenticated()) {
            request(s, "search", "tool", "--json", "--limit", "100000");
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertThat(line(in)).isEqualTo("ACCEPTED");
            while (true) {
                String[] head = line(in).split(" ");
                if (head[0].equals("DONE")) {
                    assertThat(head[1]).isEqualTo("0");
                    byte[] rest = in.readAllBytes();
                    frames.add(rest.length);
                    stdout.writeBytes(rest);
                    break;
                }
                assertThat(head[0]).isIn("TXT", "OUT");
                byte[] b = in.readNBytes(Integer.parseInt(head[1]));
                frames.add(b.length);
                stdout.writeBytes(b);
            }
        }
        Run cold = c.cxpm(cold(), "search", "tool", "--json", "--limit", "100000");
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(cold.out());
        assertThat(frames).hasSizeGreaterThan(8).allMatch(n -> n <= DaemonFrames.STDOUT_CHUNK);
    }

    @Test
    void aCallerThatHangsUpHalfWayLeavesTheDaemonServingTheNext() throws Exception {
        bigMarketplace();
        long daemon = c.daemons().getFirst().pid();
        try (Socket s = acceptedWhenFree("search", "tool", "--json", "--limit", "100000")) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            in.readNBytes(1000);
            s.setSoLinger(true, 0); // hung up at once, with most of the output unread
        }
        // the search runs on to its end for nobody (its output dropped), then the daemon takes the next command
        LauncherCheckout.waitUntil(() -> accepts("--version"));
        assertThat(c.daemons()).extracting(ProcessHandle::pid).containsExactly(daemon);
        Run search = c.cxpm(c.noJvm(), "search", "tool-00001", "--json");
        assertThat(search.code()).as(search.err()).isZero();
        assertThat(search.out()).contains("tool-00001@big");
    }

    /**
     * The launcher copies each frame of stdout as it comes, byte for byte (NUL bytes and all, no newline added), and
     * stdout and stderr reach a caller who has both on one terminal in the order the daemon sent them. Played by a
     * stand-in daemon, with frames of each kind.
     */
    @Test
    void theLauncherWritesEachStdoutFrameAsItComesInOrderWithStderr() throws Exception {
        byte[] big = new byte[3 * DaemonFrames.STDOUT_CHUNK + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7 + i / 251); // every byte value, NUL and newlines included
        }
        byte[] text = "caf\u00e9 \\n %s %% \r\n\tno newline at the end".getBytes(StandardCharsets.UTF_8);
        List<byte[]> frames = List.of("ACCEPTED\nERR 6\nfirst\n".getBytes(StandardCharsets.US_ASCII),
                DaemonFrames.stdout(text, 0, text.length),
                DaemonFrames.stdout(big, 0, DaemonFrames.STDOUT_CHUNK),
                "ERR 7\nsecond\n".getBytes(StandardCharsets.US_ASCII),
                DaemonFrames.stdout(big, DaemonFrames.STDOUT_CHUNK, big.length - 2 * DaemonFrames.STDOUT_CHUNK),
                DaemonFrames.done(5, Arrays.copyOfRange(big, big.length - DaemonFrames.STDOUT_CHUNK, big.length)));
        assertThat(new String(frames.get(1), StandardCharsets.UTF_8)).startsWith("TXT ");
        assertThat(new String(frames.get(2), StandardCharsets.ISO_8859_1)).startsWith("OUT ");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes("first\n".getBytes(StandardCharsets.US_ASCII));
        both.writeBytes(text);
        both.write(big, 0, DaemonFrames.STDOUT_CHUNK);
        both.writeBytes("second\n".getBytes(StandardCharsets.US_ASCII));
        both.write(big, DaemonFrames.STDOUT_CHUNK, big.length - DaemonFrames.STDOUT_CHUNK);
        stdout.writeBytes(text);
        stdout.writeBytes(big);
        try (var fake = c.fakeDaemon((request, out) -> {
            for (byte[] f : frames) {
                out.write(f);
                out.flush();
            }
        })) {
            Path out = tmp.resolve("out");
            Path err = tmp.resolve("err");
            assertThat(launch(out, err, "list")).isEqualTo(5);
            assertThat(Files.readAllBytes(out)).isEqualTo(stdout.toByteArray());
            assertThat(Files.readString(err)).isEqualTo("first\nsecond\n");
            assertThat(launch(out, out, "info")).isEqualTo(5);
            assertThat(Files.readAllBytes(out)).as("stdout and stderr on one file, in order").isEqualTo(both.toByteArray());
        }
        String started = Files.exists(c.coldMark) ? Files.readString(c.coldMark) : "";
        assertThat(started).as("answered by the daemon").doesNotContain("dev.cxpm.cli.Main");
    }

    /**
     * A reader of stdout that is gone before the output is written ends the command with 141 (128 + SIGPIPE, as git) on
     * every path: a JVM of its own (which ignores the signal, so it was exit 0), the daemon's one-write answer (exit 0
     * before) and its streamed frames. So too when the caller ignores SIGPIPE ({@code trap '' PIPE}, which the launcher
     * cannot undo for the head and cat that copy the daemon's frames): their failed write was told as a daemon that
     * stopped, exit 70.
     */
    @Test
    void aReaderThatIsGoneEndsEveryPathWith141() throws Exception {
        bigMarketplace();
        for (String sigpipe : new String[] {"", "trap '' PIPE; "}) {
            for (Map<String, String> vars : List.of(cold(), c.noJvm())) {
                for (List<String> args : List.of(List.of("search", "tool-00001"), List.of("search", "tool", "--json", "--limit", "100000"))) {
                    List<String> cmd = new ArrayList<>(List.of("bash", "-c", sigpipe
                            + "bash \"$0\" \"$@\" 2>/dev/null | { exec 0<&-; sleep 1; }; echo \"${PIPESTATUS[0]}\"", c.launcher.toString()));
                    cmd.addAll(args);
                    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
                    pb.environment().clear();
                    pb.environment().putAll(vars);
                    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                    Process p = pb.start();
                    String status = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
                    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                    assertThat(status).as("%s%s %s", sigpipe, vars.getOrDefault("CXPM_DAEMON", "daemon"), args).isEqualTo("141");
                }
            }
        }
    }

    /** Runs the launcher with no JVM to fall back on, its stdout and stderr to files (the same one: both, in order). */
    private int launch(Path out, Path err, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", c.launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().clear();
        pb.environment().putAll(c.noJvm());
        pb.redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (out.equals(err)) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(err.toFile());
        }
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private Map<String, String> cold() {
        Map<String, String> vars = new HashMap<>(c.env);
        vars.put("CXPM_DAEMON", "0");
        return vars;
    }

    /**
     * A connection whose request the daemon accepted. The command before (bigMarketplace's `marketplace add`) lets go of
     * the daemon a moment after its answer reached the launcher: a request sent in that moment is answered BUSY (the
     * launcher would run it in a JVM of its own), so it is sent again until accepted, for up to 30 s.
     */
    private Socket acceptedWhenFree(String... args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Socket s = c.authenticated();
            request(s, args);
            String answer = line(s.getInputStream());
            if (answer.equals("ACCEPTED")) {
                return s;
            }
            s.close();
            assertThat(answer).isEqualTo("BUSY");
            assertThat(System.nanoTime()).as("the daemon still busy after 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private boolean accepts(String... args) {
        try (Socket s = c.authenticated()) {
            request(s, args);
            return line(s.getInputStream()).equals("ACCEPTED");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request as the launcher sends it: umask, not a terminal, working directory, arguments, variables. */
    private void request(Socket s, String... args) throws IOException {
        List<String> fields = new ArrayList<>(List.of(umask(), "0", tmp.toString(), String.valueOf(args.length)));
        fields.addAll(List.of(args));
        List<String> vars = c.env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        fields.add(String.valueOf(vars.size()));
        fields.addAll(vars);
        s.getOutputStream().write((String.join("\0", fields) + "\0").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    private static String umask() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Umask:"))
                .map(l -> l.substring("Umask:".length()).strip()).findFirst().orElseThrow();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int ch = in.read(); ch != '\n'; ch = in.read()) {
            assertThat(ch).as("a frame's line").isNotNegative();
            b.write(ch);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
