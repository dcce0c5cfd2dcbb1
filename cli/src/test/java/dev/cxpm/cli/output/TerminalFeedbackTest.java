package dev.cxpm.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.core.Progress;
import dev.cxpm.core.registry.RegistryClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person at a terminal sees beyond the plain lines: red {@code error:}, yellow {@code warning:}, dim
 * {@code hint:}, and one progress line for work that lasts over a second; and that a pipe, {@code --json},
 * {@code NO_COLOR}, {@code CI} and {@code TERM=dumb} get none of it, byte for byte what they got before.
 */
class TerminalFeedbackTest {
    private static final String RED_ERROR = "\033[1;31merror:\033[0m ";
    private static final String DIM = "\033[2m";

    @TempDir
    Path dir;

    /** A clock that moves 400 ms each time it is read: work "lasts" over a second after a few reports, without waiting. */
    static Clock ticking() {
        return new Clock() {
            private Instant now = Instant.parse("2026-11-25T00:00:00Z");

            @Override
            public synchronized Instant instant() {
                now = now.plusMillis(400);
                return now;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
    }

    private Map<String, String> vars(String... more) {
        Map<String, String> vars = new HashMap<>(Fixtures.env(dir.resolve("codex-home"), dir.resolve("home")));
        vars.remove("CI");
        vars.put("TERM", "xterm-256color");
        for (int i = 0; i < more.length; i += 2) {
            vars.put(more[i], more[i + 1]);
        }
        return vars;
    }

    private CliRun onTerminal(Map<String, String> vars, String... args) {
        return CliRun.in(dir, vars, Env.Stderr.TERMINAL, ticking(), args);
    }

    private CliRun inPipe(Map<String, String> vars, String... args) {
        return CliRun.in(dir, vars, Env.Stderr.OTHER, ticking(), args);
    }

    @Test
    void errorsAreRedAndHintsDimOnATerminalAndPlainInAPipeWithNoColorOrWithJson() throws IOException {
        Path mk = Fixtures.marketplace(dir.resolve("mk"), "fx", "demo", "1.0.0");
        assertThat(inPipe(vars(), "marketplace", "add", mk.toString()).exitCode()).isZero();

        CliRun pipe = inPipe(vars(), "install", "nope@fx");
        assertThat(pipe.exitCode()).isEqualTo(3);
        assertThat(pipe.stderr()).startsWith("error: plugin `nope` was not found").contains("\nhint: ").doesNotContain("\033");

        CliRun terminal = onTerminal(vars(), "install", "nope@fx");
        assertThat(terminal.exitCode()).isEqualTo(3);
        assertThat(terminal.stderr()).startsWith(RED_ERROR + "plugin `nope` was not found").contains("\n" + DIM + "hint: ");
        assertThat(terminal.stderr().replaceAll("\033\\[[0-9;]*m", "")).as("the same words").isEqualTo(pipe.stderr());

        assertThat(onTerminal(vars("NO_COLOR", "1"), "install", "nope@fx").stderr()).isEqualTo(pipe.stderr());
        assertThat(onTerminal(vars("NO_COLOR", ""), "install", "nope@fx").stderr()).as("an empty NO_COLOR is not set").startsWith(RED_ERROR);
        assertThat(onTerminal(vars("TERM", "dumb"), "install", "nope@fx").stderr()).isEqualTo(pipe.stderr());
        assertThat(inPipe(vars("FORCE_COLOR", "1"), "install", "nope@fx").stderr()).startsWith(RED_ERROR);
        assertThat(inPipe(vars("CLICOLOR_FORCE", "1"), "install", "nope@fx").stderr()).startsWith(RED_ERROR);
        assertThat(inPipe(vars("FORCE_COLOR", "0"), "install", "nope@fx").stderr()).isEqualTo(pipe.stderr());
        assertThat(inPipe(vars("FORCE_COLOR", "1", "NO_COLOR", "1"), "install", "nope@fx").stderr()).isEqualTo(pipe.stderr());

        CliRun json = onTerminal(vars("FORCE_COLOR", "1"), "install", "nope@fx", "--json");
        assertThat(json.exitCode()).isEqualTo(3);
        assertThat(json.stdout()).isEqualTo(inPipe(vars(), "install", "nope@fx", "--json").stdout()).doesNotContain("\033");
        assertThat(json.stderr()).isEmpty();

        CliRun usage = onTerminal(vars(), "instal", "demo@fx");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.stderr()).startsWith(RED_ERROR).contains(DIM + "hint: did you mean");
    }

    @Test
    void warningsAreYellowOnATerminal() throws IOException {
        Path plugin = Fixtures.plugin(dir.resolve("p"), "{\"name\": \"p\", \"version\": \"1.0.0\", \"description\": \"The p plugin\"}");
        assertThat(inPipe(vars(), "pack", plugin.toString(), "-o", dir.resolve("p.tgz").toString()).exitCode()).isZero();
        Files.delete(plugin.resolve("skills/hello/SKILL.md")); // a breaking change since the last pack
        CliRun pipe = inPipe(vars(), "version", "patch", plugin.toString(), "--force");
        assertThat(pipe.stderr()).startsWith("warning: ");
        Files.writeString(plugin.resolve(".codex-plugin/plugin.json"), "{\"name\": \"p\", \"version\": \"1.0.0\", \"description\": \"The p plugin\"}\n");
        CliRun terminal = onTerminal(vars(), "version", "patch", plugin.toString(), "--force");
        assertThat(terminal.stderr()).startsWith("\033[1;33mwarning:\033[0m ");
        assertThat(terminal.stdout()).isEqualTo(pipe.stdout());
    }

    @Test
    void syncOfManyPluginsDrawsOneCountedLineOnATerminalAndPipesGetExactlyWhatTheyGotBefore() {
        TeamFixture onTty = many(new TeamFixture(dir.resolve("tty")));
        TeamFixture piped = many(new TeamFixture(dir.resolve("pipe")));
        CliRun pipe = CliRun.in(piped.project, withTerm(piped.env("codex-home")), Env.Stderr.OTHER, ticking(), "sync");
        assertThat(pipe.exitCode()).as(pipe.stderr()).isZero();
        assertThat(pipe.stderr()).isEmpty();

        CliRun terminal = CliRun.in(onTty.project, withTerm(onTty.env("codex-home")), Env.Stderr.TERMINAL, ticking(), "sync");
        assertThat(terminal.exitCode()).as(terminal.stderr()).isZero();
        assertThat(terminal.stdout()).isEqualTo(pipe.stdout());
        assertThat(terminal.stderr()).contains("/12] checking p", "\r[12/12] unpacking p12@fx 1.0.0", "\r[12/12] installing p12@fx 1.0.0")
                .endsWith("\r\033[K") // erased at the end: what stays on the screen is what a pipe gets
                .doesNotContain("\n");

        TeamFixture ci = many(new TeamFixture(dir.resolve("ci")));
        Map<String, String> inCi = withTerm(ci.env("codex-home"));
        inCi.put("CI", "true");
        assertThat(CliRun.in(ci.project, inCi, Env.Stderr.TERMINAL, ticking(), "sync").stderr()).isEmpty();

        TeamFixture dumb = many(new TeamFixture(dir.resolve("dumb")));
        Map<String, String> dumbTerm = dumb.env("codex-home");
        dumbTerm.put("TERM", "dumb");
        assertThat(CliRun.in(dumb.project, dumbTerm, Env.Stderr.TERMINAL, ticking(), "sync").stderr()).isEmpty();

        TeamFixture json = many(new TeamFixture(dir.resolve("json")));
        CliRun jsonRun = CliRun.in(json.project, withTerm(json.env("codex-home")), Env.Stderr.TERMINAL, ticking(), "sync", "--json");
        assertThat(jsonRun.exitCode()).isZero();
        assertThat(jsonRun.stderr()).isEmpty();
        assertThat(jsonRun.stdout()).doesNotContain("\r", "\033");
    }

    private static TeamFixture many(TeamFixture t) {
        String[] needs = new String[24];
        for (int i = 1; i <= 12; i++) {
            String name = String.format("p%02d", i);
            t.plugin(name, "1.0.0");
            needs[2 * i - 2] = name;
            needs[2 * i - 1] = "^1";
        }
        return t.needs(needs);
    }

    private static Map<String, String> withTerm(Map<String, String> vars) {
        Map<String, String> out = new HashMap<>(vars);
        out.put("TERM", "xterm");
        return out;
    }

    @Test
    void aDownloadThatLastsOverASecondShowsBytesAndRateOnATerminalOnly() throws Exception {
        byte[] blob = new byte[128 * 1024];
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/blobs/slow", exchange -> { // 8 chunks, 200 ms apart: 1.6 s in all
            exchange.sendResponseHeaders(200, blob.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 8; i++) {
                    out.write(blob, i * 16 * 1024, 16 * 1024);
                    out.flush();
                    sleep(Duration.ofMillis(200));
                }
            }
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            StringWriter terminal = new StringWriter();
            download(url, Env.Stderr.TERMINAL, terminal, dir.resolve("a.tgz"));
            assertThat(dir.resolve("a.tgz")).hasSize(blob.length);
            assertThat(terminal.toString()).startsWith("\rdownloading demo 1.0.0  ").contains(" / 128.0 KiB  ", "KiB/s\033[K")
                    .endsWith("\r\033[K").doesNotContain("\n");

            StringWriter pipe = new StringWriter();
            download(url, Env.Stderr.OTHER, pipe, dir.resolve("b.tgz"));
            assertThat(dir.resolve("b.tgz")).hasSize(blob.length);
            assertThat(pipe.toString()).isEmpty();
        } finally {
            server.stop(0);
        }
    }

    private void download(URI registry, Env.Stderr stderr, StringWriter err, Path dest) {
        Env env = new Env(vars(), dir, new PrintWriter(new StringWriter()), new PrintWriter(err, true), Clock.systemUTC(), stderr);
        new RegistryClient(registry, null, Terminal.of(env).progress()).download("/api/v1/blobs/slow", dest, "downloading demo 1.0.0");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void quickWorkDrawsNothingAndUntrustedWordsCannotSendEscapesToTheTerminal() {
        StringWriter out = new StringWriter();
        Clock still = Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC);
        try (Progress.Step quick = new TerminalProgress(new PrintWriter(out), still, 80).begin("cloning x")) {
            quick.status("Receiving objects:  50% (1/2)");
        }
        assertThat(out.toString()).as("work within a second").isEmpty();

        try (Progress.Step step = new TerminalProgress(new PrintWriter(out), ticking(), 40).begin("cloning \033]0;title\007x")) {
            for (int i = 0; i < 4; i++) {
                step.status("remote: \033[2J\033[1;1Hgotcha\u009b31m and a very long line that does not fit the terminal");
            }
        }
        assertThat(out.toString()).as("drawn once it lasted a second").contains("\rcloning ").endsWith("\r\033[K");
        for (String drawn : out.toString().replace("\033[K", "").split("\r")) {
            assertThat(drawn).doesNotContain("\033", "\007", "\u009b");
            assertThat(drawn.length()).as("never wider than the terminal, which would break the redraw").isLessThan(40);
        }
        assertThat(out.toString()).contains("cloning ]0;titlex  remote: [2J[1;1Hgot");
    }
}
