package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.daemon.LauncherCheckout.Run;
import dev.cxpm.cli.fixtures.Fixtures;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Colour and the progress line through the real launcher and its warm daemon, on a real terminal (a
 * pseudo-terminal from util-linux's {@code script}): the daemon has no terminal of its own, so it must
 * draw on the caller's as a fresh JVM would, while the work goes on, and never on a pipe.
 */
@ExtendWith(LauncherCheckout.Extension.class)
class DaemonTerminalTest {
    private static final String RED_ERROR = "\033[1;31merror:\033[0m ";

    Path tmp;
    LauncherCheckout c;

    @BeforeEach
    void checkout(LauncherCheckout checkout) throws IOException {
        c = checkout;
        tmp = c.tmp;
    }

    @Test
    void colourAndAGitCloneProgressReachTheCallersTerminalThroughTheDaemonAndNeverAPipe() throws Exception {
        Path home = tmp.resolve("home");
        Path market = Fixtures.marketplace(tmp.resolve("market"), "fx", "demo", "1.0.0");
        String url = Fixtures.gitRepo(market, home, "mk");
        // A slow network, played by a git that reports progress for 1.6 s before the real git clones.
        Path realGit = dev.cxpm.core.install.Executables.find("git", System.getenv("PATH"), tmp).orElseThrow();
        Path git = Files.createDirectories(tmp.resolve("slow-bin")).resolve("git");
        Files.writeString(git, "#!/bin/sh\nif [ \"$1\" = clone ]; then\n  for i in 1 2 3 4 5 6 7 8; do printf 'Receiving objects:  50%% (1/2)\\r' >&2; sleep 0.2; done\nfi\n"
                + "exec '" + realGit + "' \"$@\"\n");
        Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
        c.startDaemon();

        Map<String, String> vars = c.noJvm();
        vars.put("PATH", git.getParent() + ":" + System.getenv("PATH"));
        vars.put("TERM", "xterm");
        vars.put("COLUMNS", "200");

        String added = onTerminal(vars, "marketplace", "add", url);
        assertThat(added).contains("\rcloning " + url + "  Receiving objects:  50% (1/2)\033[K", "\r\033[K");
        String missing = onTerminal(vars, "install", "nope@fx");
        assertThat(missing).contains(RED_ERROR + "plugin `nope` was not found").contains("\033[2mhint: ");
        assertThat(c.coldMark).as("both ran in the daemon").doesNotExist();

        Map<String, String> piped = new HashMap<>(vars);
        piped.put("CODEX_HOME", tmp.resolve("other-codex-home").toString());
        Run quiet = c.cxpm(piped, "marketplace", "add", url);
        assertThat(quiet.code()).as(quiet.err()).isZero();
        assertThat(quiet.err()).isEmpty();
        Run plain = c.cxpm(piped, "install", "nope@fx");
        assertThat(plain.code()).isEqualTo(3);
        assertThat(plain.err()).startsWith("error: plugin `nope` was not found").doesNotContain("\033");
        assertThat(c.coldMark).as("both ran in the daemon").doesNotExist();

        Map<String, String> noColour = new HashMap<>(vars);
        noColour.put("NO_COLOR", "1");
        assertThat(onTerminal(noColour, "install", "nope@fx")).contains("error: plugin `nope`").doesNotContain("\033");
    }

    @Test
    void aFreshJvmTellsATerminalFromAPipeByItself() throws Exception {
        Map<String, String> fresh = new HashMap<>(c.env); // the real JDK: no daemon, each command in a JVM of its own
        fresh.put("CXPM_DAEMON", "0");
        fresh.put("TERM", "xterm");
        assertThat(onTerminal(fresh, "install", "nope@fx")).contains(RED_ERROR + "plugin `nope` was not found");
        Run piped = c.cxpm(fresh, "install", "nope@fx");
        assertThat(piped.code()).isEqualTo(3);
        assertThat(piped.err()).startsWith("error: plugin `nope` was not found").doesNotContain("\033");
        assertThat(c.daemons()).isEmpty();
    }

    /** What the terminal showed (stdout and stderr together, as a person sees them) of the command run by the launcher. */
    private String onTerminal(Map<String, String> vars, String... args) throws Exception {
        List<String> words = new ArrayList<>(List.of("bash", c.launcher.toString()));
        words.addAll(List.of(args));
        StringBuilder command = new StringBuilder();
        for (String w : words) {
            command.append(command.isEmpty() ? "" : " ").append('\'').append(w.replace("'", "'\\''")).append('\'');
        }
        // stderr and stdout on the terminal, stdin not: a terminal stdin makes install and sync run outside the daemon (they may ask)
        command.append(" </dev/null");
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", command.toString(), "/dev/null").directory(tmp.toFile());
        pb.environment().clear();
        pb.environment().putAll(vars);
        pb.environment().put("SHELL", "/bin/bash");
        Path out = Files.createTempFile(tmp, "tty", ".txt");
        pb.redirectOutput(out.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("cxpm %s finished", String.join(" ", args)).isTrue();
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
