package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.daemon.LauncherCheckout.Run;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When the warm daemon dies in the middle of a command (out of memory: it runs with a capped heap and exits rather
 * than limp on), the caller is never left hanging: a command that only reads runs again in a JVM of its own, one
 * that writes says the daemon stopped, so the user can check before running it again.
 */
@ExtendWith(LauncherCheckout.Extension.class)
class DaemonFailureTest {

    Path tmp;
    LauncherCheckout c;
    ServerSocket dying;
    final List<List<String>> taken = new CopyOnWriteArrayList<>();

    @BeforeEach
    void checkout(LauncherCheckout checkout) throws IOException {
        c = checkout;
        tmp = c.tmp;
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (dying != null) {
            dying.close();
        }
    }

    @Test
    void aCommandThatOnlyReadsRunsInItsOwnJvmWhenTheDaemonDiesWhileRunningIt() throws Exception {
        daemonThatDiesAfterAccepting();
        Run list = c.cxpm(c.env, "list");
        assertThat(taken).as("the daemon took the command").containsExactly(List.of("list"));
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("No plugins installed");
        assertThat(list.err()).isEmpty();
    }

    @Test
    void aCommandThatWritesSaysTheDaemonStoppedInsteadOfRunningTwice() throws Exception {
        daemonThatDiesAfterAccepting();
        Run install = c.cxpm(c.noJvm(), "install", "demo@fx");
        assertThat(taken).containsExactly(List.of("install", "demo@fx"));
        assertThat(install.code()).isEqualTo(ExitCodes.INTERNAL);
        assertThat(install.err()).contains("the cxpm daemon stopped while running the command", "CXPM_DAEMON=0");
        String started = Files.exists(c.coldMark) ? Files.readString(c.coldMark) : "";
        assertThat(started).as("not run a second time (only the start-up cache's training ran)").doesNotContain("demo@fx");
    }

    @Test
    void theDaemonRunsWithACappedHeapAndExitsWhenItRunsOut() throws Exception {
        c.startDaemon();
        List<String> args = c.daemons().getFirst().info().arguments().map(List::of).orElseThrow();
        assertThat(args).anyMatch(a -> a.startsWith("-Xmx")).contains("-XX:+ExitOnOutOfMemoryError");
    }

    /** A daemon that takes the command (ACCEPTED) and hangs up before DONE, as a daemon that ran out of memory mid-command does. */
    private void daemonThatDiesAfterAccepting() throws IOException {
        dying = c.fakeDaemon((request, out) -> {
            taken.add(request.args());
            out.write("ACCEPTED\n".getBytes(StandardCharsets.US_ASCII));
        });
    }
}
