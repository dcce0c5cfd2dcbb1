package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.cli.daemon.LauncherCheckout.Run;
import dev.cxpm.cli.fixtures.CliRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What another local process can get from the warm daemon and its launcher: nothing without the secrets
 * in the user's 0600 file, and no more than a few bytes of its memory before it presents the client secret.
 */
@ExtendWith(LauncherCheckout.Extension.class)
class DaemonSecrecyTest {

    Path tmp;
    LauncherCheckout c;

    @BeforeEach
    void checkout(LauncherCheckout checkout) throws IOException {
        c = checkout;
        tmp = c.tmp;
    }

    /**
     * Once a daemon is dead anyone may take its port, and its file still names it (SIGKILL, or out of memory): the
     * launcher presents that daemon's client secret to whoever listens there, and sends nothing more unless the answer
     * is that daemon's own secret, which only the daemon and the file hold. Here the impostor sends back what it got.
     */
    @Test
    void aProcessThatTakesADeadDaemonsPortLearnsOnlyThatDaemonsClientSecretAndIsSentNothingElse() throws Exception {
        c.startDaemon();
        int port = c.port();
        String client = c.clientSecret();
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
                    s.setSoTimeout(10_000);
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    byte[] first = s.getInputStream().readNBytes(33);
                    got.writeBytes(first);
                    s.getOutputStream().write(first); // reflected: the one secret it knows
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
            Run r = c.cxpm(noJvm, "list", "--json");
            assertThat(r.code()).as("ran in a JVM of its own").isEqualTo(99);
            assertThat(received.get(30, TimeUnit.SECONDS)).as("the impostor got the dead daemon's client secret and nothing else")
                    .isEqualTo(client + "\n");
            assertThat(c.daemonFile).as("the file naming that port is dropped").doesNotExist();
        }
    }

    /** Every start picks secrets of its own: what a dead daemon's port heard, or its file held, opens no later daemon. */
    @Test
    void everyStartHasSecretsOfItsOwnAndADaemonRefusesTheClientSecretOfAnotherStart() throws Exception {
        c.startDaemon();
        String oldClient = c.clientSecret();
        String oldDaemon = c.daemonSecret();
        assertThat(oldClient).matches("[0-9a-f]{32}").isNotEqualTo(oldDaemon);
        c.stopDaemons();
        LauncherCheckout.waitUntil(() -> c.daemons().isEmpty() && !Files.exists(c.daemonFile));

        c.startDaemon();
        assertThat(c.clientSecret()).matches("[0-9a-f]{32}").isNotEqualTo(oldClient).isNotEqualTo(oldDaemon);
        assertThat(c.daemonSecret()).matches("[0-9a-f]{32}").isNotEqualTo(oldDaemon).isNotEqualTo(oldClient);
        assertThat(answerTo(oldClient + "\n", new byte[0])).as("the earlier start's client secret").isEmpty();
        try (Socket s = c.authenticated()) {
            assertThat(s.isConnected()).as("this start's is answered").isTrue();
        }
    }

    /**
     * A client with anything but the client secret (a guess, one wrong digit, the daemon's own secret sent back) is told
     * nothing and nothing it sends runs; the same request with the secret does run (so the request itself was good).
     */
    @Test
    void aClientWithAWrongSecretIsToldNothingAndNothingItSendsRuns() throws Exception {
        c.startDaemon();
        String mask = new String(new ProcessBuilder("bash", "-c", "umask").start().getInputStream().readAllBytes()).strip();
        Path made = tmp.resolve("made-by-the-request");
        byte[] request = String.join("\0", mask, "0", tmp.toString(), "2", "init", made.toString(), "0")
                .concat("\0").getBytes(StandardCharsets.UTF_8);
        String client = c.clientSecret();
        String oneDigitOff = client.substring(0, 31) + (client.endsWith("0") ? "1" : "0");
        for (String guess : List.of("0".repeat(32), oneDigitOff, c.daemonSecret(), client.toUpperCase(java.util.Locale.ROOT))) {
            if (guess.equals(client)) {
                continue; // (no letter in it to change case)
            }
            assertThat(answerTo(guess + "\n", request)).as(guess).isEmpty();
        }
        assertThat(made).as("nothing ran").doesNotExist();

        String answer = new String(answerTo(client + "\n", request), StandardCharsets.UTF_8);
        assertThat(answer).startsWith(c.daemonSecret() + "\nACCEPTED\n").contains("DONE 0");
        assertThat(made).as("the same request with the secret ran").isDirectory();
    }

    /** Everything the daemon says to a client that sends these bytes, until it hangs up. */
    private byte[] answerTo(String secretLine, byte[] request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), c.port())) {
            s.setSoTimeout(30_000);
            try {
                s.getOutputStream().write(secretLine.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
            } catch (IOException hungUp) {
                // as it may once it read the line
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                s.getInputStream().transferTo(got);
            } catch (SocketException reset) {
                // hung up with the request unread: reset
            }
            return got.toByteArray();
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
            Path file = dir.resolve(DaemonFile.PREFIX + "test");
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
