package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.cli.LauncherCheckout.Run;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What another local process can get from the warm daemon and its launcher: nothing without the secret
 * in the user's 0600 file, and no more than a few bytes of its memory before it proves that secret.
 */
class DaemonSecrecyTest {

    @TempDir
    Path tmp;
    LauncherCheckout c;

    @BeforeEach
    void checkout() throws IOException {
        c = new LauncherCheckout(tmp);
    }

    @AfterEach
    void cleanUp() throws Exception {
        c.cleanUp();
    }

    @Test
    void aProcessThatTakesADeadDaemonsPortAndReplaysWhatItHeardIsSentNothing() throws Exception {
        c.startDaemon();
        int port = c.port();
        // Anyone may connect to 127.0.0.1: record what the daemon says to a stranger's challenge.
        String heard;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("0123456789abcdef0123456789abcdef\n".getBytes(StandardCharsets.US_ASCII));
            heard = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
        assertThat(heard).isNotBlank();
        c.daemons().forEach(ProcessHandle::destroyForcibly); // SIGKILL: its file stays, naming the port
        LauncherCheckout.waitUntil(() -> c.daemons().isEmpty());

        try (ServerSocket impostor = new ServerSocket()) {
            impostor.setReuseAddress(true);
            LauncherCheckout.waitUntil(() -> { // the kernel closes a killed process's sockets a moment after it is gone
                try {
                    impostor.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    return true;
                } catch (IOException stillHeld) {
                    return false;
                }
            });
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = impostor.accept()) {
                    s.setSoTimeout(5_000);
                    s.getOutputStream().write((heard + "\n").getBytes(StandardCharsets.US_ASCII));
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    try {
                        s.getInputStream().transferTo(got); // until the launcher hangs up
                    } catch (SocketTimeoutException waitingForAnAnswer) {
                        // a launcher that was taken in waits for the command's outcome: what it sent is what counts
                    }
                    return got.toString(StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Map<String, String> noJvm = c.noJvm();
            noJvm.put("CXPM_TOKEN", "do-not-leak");
            String secret = c.secret();
            Run r = c.cxpm(noJvm, "list");
            assertThat(r.code()).as("ran in a JVM of its own").isEqualTo(99);
            String got = received.get(30, TimeUnit.SECONDS);
            assertThat(got).as("the impostor got a fresh challenge and nothing else").matches("[0-9a-f]{32}\n")
                    .doesNotContain(secret).doesNotContain("do-not-leak");
            assertThat(c.daemonFile).as("the file naming that port is dropped").doesNotExist();
        }
    }

    @Test
    void aClientThatHasNotProvedTheSecretCannotMakeTheDaemonReadMoreThanAFewBytes() throws Exception {
        c.startDaemon();
        byte[] field = new byte[64 * 1024];
        Arrays.fill(field, (byte) 'a');
        field[field.length - 1] = 0;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), c.port())) {
            OutputStream out = s.getOutputStream();
            assertThatThrownBy(() -> {
                out.write(("a-guess\0/\0" + "4096\0").getBytes(StandardCharsets.US_ASCII)); // then 64 MiB of arguments
                for (int i = 0; i < 1024; i++) {
                    out.write(field);
                }
            }).as("the daemon hangs up instead of reading it").isInstanceOf(IOException.class);
        }
        assertThat(c.cxpm(c.noJvm(), "list").code()).as("and still serves the user").isZero();
    }

    @Test
    void noDaemonStartsInADirectoryThatIsALinkOrThatOthersCanOpen() throws Exception {
        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"),
                Files.createDirectories(tmp.resolve("private"), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------"))));
        for (Path dir : List.of(open, link)) {
            Path file = dir.resolve("daemon-test");
            CompletableFuture.runAsync(() -> {
                try {
                    Daemon.main(new String[] {file.toString(), c.jar.toString()});
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(20, TimeUnit.SECONDS); // returns at once instead of serving
            assertThat(file).as(dir.toString()).doesNotExist();
        }
    }

    @Test
    void anAuthenticatedRequestLargerThanOneMebibyteIsRefusedAndTheCommandRunsInItsOwnJvm() throws Exception {
        c.startDaemon();
        try (Socket s = c.authenticated()) {
            OutputStream out = s.getOutputStream();
            byte[] field = new byte[64 * 1024];
            Arrays.fill(field, (byte) 'a');
            field[field.length - 1] = 0;
            out.write(("0022\0" + "/\0" + "40\0").getBytes(StandardCharsets.US_ASCII));
            try {
                for (int i = 0; i < 40; i++) { // 2.5 MiB of arguments
                    out.write(field);
                }
                out.flush();
            } catch (IOException hungUp) {
                // what a daemon may do on the way
            }
            assertThat(s.getInputStream().readAllBytes()).as("no answer: nothing ran").isEmpty();
        } catch (IOException reset) {
            // the connection reset while reading: nothing ran either
        }

        // The launcher's own big request: 12 variables of 100 KB (the kernel allows 128 KB each).
        Map<String, String> big = c.noJvm();
        for (int i = 0; i < 12; i++) {
            big.put("BIG" + i, "x".repeat(100_000));
        }
        assertThat(c.cxpm(big, "list").code()).as("run in a JVM of its own").isEqualTo(99);
        assertThat(c.cxpm(c.noJvm(), "list").code()).as("the daemon still serves the user").isZero();
    }
    @Test
    void strangersHoldingEveryHandshakeDelayNoCommandAndAreHungUpOnWithinSeconds() throws Exception {
        c.startDaemon();
        int port = c.port();
        CliRun expected = CliRun.in(tmp, c.env, "list", "--json");
        List<Socket> strangers = new java.util.ArrayList<>();
        List<CompletableFuture<Duration>> hungUpAfter = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) { // 8 hold every handshake slot, the rest are closed unread
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                long connected = System.nanoTime();
                strangers.add(s);
                hungUpAfter.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        s.setSoTimeout(60_000);
                        assertThat(s.getInputStream().read()).as("hung up on without a word").isEqualTo(-1);
                    } catch (IOException reset) {
                        // hung up on all the same
                    }
                    return Duration.ofNanos(System.nanoTime() - connected);
                }));
            }
            Run r = c.cxpm(c.env, "list", "--json");
            assertThat(r.code()).as(r.err()).isEqualTo(expected.exitCode()).isZero();
            assertThat(r.out()).as("the right answer, in a JVM of its own").isEqualTo(expected.stdout());

            for (CompletableFuture<Duration> f : hungUpAfter) {
                assertThat(f.get(90, TimeUnit.SECONDS)).as("a stranger holds a handshake slot a few seconds at most")
                        .isLessThan(Duration.ofSeconds(8));
            }
        } finally {
            for (Socket s : strangers) {
                s.close();
            }
        }
        LauncherCheckout.waitUntil(() -> Files.isRegularFile(c.daemonFile)); // the launcher dropped it; the daemon writes it again
        assertThat(c.cxpm(c.noJvm(), "list").code()).as("the daemon serves again").isZero();
    }

    @Test
    void aSlowLorisThatTricklesItsChallengeIsHungUpOnWithinSeconds() throws Exception {
        c.startDaemon();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), c.port())) {
            OutputStream out = s.getOutputStream();
            long started = System.nanoTime();
            boolean hungUp = false;
            try {
                for (int i = 0; i < 32 && !hungUp; i++) { // one hex digit a second: each read is quick, the whole is not
                    out.write('a');
                    out.flush();
                    Thread.sleep(1_000);
                    s.setSoTimeout(1);
                    try {
                        hungUp = s.getInputStream().read() == -1;
                    } catch (SocketTimeoutException stillOpen) {
                        // nothing said and not closed: go on trickling
                    }
                }
            } catch (IOException reset) {
                hungUp = true;
            }
            assertThat(hungUp).as("hung up on before the challenge was complete").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
        assertThat(c.cxpm(c.noJvm(), "list").code()).as("and the daemon still serves the user").isZero();
    }
}
