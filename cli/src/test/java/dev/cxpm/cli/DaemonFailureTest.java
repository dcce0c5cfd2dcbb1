package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.LauncherCheckout.Run;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the warm daemon dies in the middle of a command (out of memory: it runs with a capped heap and exits rather
 * than limp on), the caller is never left hanging: a command that only reads runs again in a JVM of its own, one
 * that writes says the daemon stopped, so the user can check before running it again.
 */
class DaemonFailureTest {

    @TempDir
    Path tmp;
    LauncherCheckout c;
    ServerSocket dying;
    final List<List<String>> taken = new CopyOnWriteArrayList<>();

    @BeforeEach
    void checkout() throws IOException {
        c = new LauncherCheckout(tmp);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (dying != null) {
            dying.close();
        }
        c.cleanUp();
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

    /**
     * Plays the daemon's side of the launcher's protocol (the secret's proof, then the request), answers ACCEPTED
     * and hangs up before DONE, as a daemon that ran out of memory mid-command does.
     */
    private void daemonThatDiesAfterAccepting() throws IOException {
        dying = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        String secret = "ab".repeat(32);
        Path dir = LauncherCheckout.daemonDir();
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.writeString(c.daemonFile, dying.getLocalPort() + " " + secret + "\n");
        Files.setPosixFilePermissions(c.daemonFile, PosixFilePermissions.fromString("rw-------"));
        Thread.ofVirtual().start(() -> {
            try (Socket s = dying.accept(); InputStream in = new BufferedInputStream(s.getInputStream());
                 OutputStream out = s.getOutputStream()) {
                String theirs = line(in);
                String ours = "0123456789abcdef0123456789abcdef";
                String mac = LauncherCheckout.sha256(secret + " " + theirs + " " + ours + "\n");
                out.write((ours + " " + mac.substring(0, 32) + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (!line(in).equals(mac.substring(32))) {
                    return;
                }
                taken.add(Daemon.Request.read(in, Daemon.MAX_REQUEST).args());
                out.write("ACCEPTED\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the test's assertions tell what was missing
            }
        });
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int ch = in.read(); ch >= 0 && ch != '\n'; ch = in.read()) {
            b.append((char) ch);
        }
        return b.toString();
    }
}
