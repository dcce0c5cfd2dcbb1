package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.ExitCodes;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A daemon whose connection is reset part-way through a command's stdout (killed, out of memory: the kernel resets a
 * connection whose socket still held unread bytes) is a daemon that died, exit 70 with what to check, as when it dies
 * between frames. The launcher said 141, the status of a reader of stdout that went away, whenever the copy of the
 * rest of stdout ({@code cat}) or of a frame ({@code head -c}) failed, which sent a script looking for the wrong cause.
 * Played by a stand-in daemon that resets the connection; DaemonStreamTest holds a reader that is gone to 141.
 */
@ExtendWith(LauncherCheckout.Extension.class)
class DaemonResetTest {
    Path tmp;
    LauncherCheckout c;

    @BeforeEach
    void checkout(LauncherCheckout checkout) throws Exception {
        c = checkout;
        tmp = c.tmp;
    }

    @Test
    void aConnectionResetInTheStdoutSentToTheEndIsADaemonThatStopped() throws Exception {
        byte[] part = "x".repeat(DaemonFrames.STDOUT_WITH_LENGTH * 2).getBytes(StandardCharsets.US_ASCII);
        assertResetIsExit70(part, "ACCEPTED\nDONE 0\n");
    }

    @Test
    void aConnectionResetInAFrameOfStdoutIsADaemonThatStopped() throws Exception {
        byte[] part = "y".repeat(DaemonFrames.STDOUT_WITH_LENGTH * 2).getBytes(StandardCharsets.US_ASCII);
        assertResetIsExit70(part, "ACCEPTED\nOUT " + (part.length * 4) + "\n");
    }

    /**
     * The last frame of a small stdout comes with its length ({@code DONE <code> <n>}): a connection that ends short of n
     * bytes (reset, or closed) printed what came and exited with the code, a cut output told as a success.
     */
    @Test
    void aLastFrameCutShortOfItsLengthIsADaemonThatStoppedNotASuccess() throws Exception {
        byte[] part = "z".repeat(100).getBytes(StandardCharsets.US_ASCII);
        for (boolean reset : new boolean[] {true, false}) {
            assertThat(launch(part, "ACCEPTED\nDONE 0 1000\n", reset, "sync")).isEqualTo(ExitCodes.INTERNAL);
            assertThat(Files.readString(tmp.resolve("err"))).contains("the cxpm daemon stopped while running the command");
        }
        // a command that only reads, none of whose output was shown, runs again in a JVM of its own
        assertThat(launch(part, "ACCEPTED\nDONE 0 1000\n", false, "list")).isEqualTo(99);
        assertThat(Files.readString(c.coldMark)).contains("list");
    }

    private void assertResetIsExit70(byte[] part, String head) throws Exception {
        assertThat(launch(part, head, true, "list")).as(Files.readString(tmp.resolve("err"))).isEqualTo(ExitCodes.INTERNAL);
        assertThat(Files.readString(tmp.resolve("err"))).contains("the cxpm daemon stopped while running the command");
        assertThat(Files.size(tmp.resolve("out"))).as("what came before the reset was shown").isPositive();
    }

    /** The launcher's exit code, its stdout and stderr in tmp's out and err (a fake JVM would exit 99). */
    private int launch(byte[] part, String head, boolean reset, String command) throws Exception {
        try (var fake = c.fakeDaemonOnSocket((request, socket) -> {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.flush();
            sleep(300); // what was sent reaches the launcher first
            socket.setSoLinger(reset, 0);
            socket.close(); // reset, or a clean end short of what was announced
        })) {
            Path out = tmp.resolve("out");
            Path err = tmp.resolve("err");
            List<String> cmd = new ArrayList<>(List.of("bash", c.launcher.toString(), command));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
            pb.environment().clear();
            pb.environment().putAll(c.noJvm());
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return p.exitValue();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
