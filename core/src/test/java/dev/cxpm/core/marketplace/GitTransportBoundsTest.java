package dev.cxpm.core.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.Progress;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexHome;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * git's own stall bound ({@code GIT_HTTP_LOW_SPEED_*}) is for http(s) only, and git has no size bound at all: over
 * {@code git://} and ssh a remote that takes the connection and says nothing, or a byte now and then, held a clone for
 * ever, and one that sends more than any plugin repository holds filled the disk. Real git, real sockets, a real
 * {@code git upload-pack} behind {@code GIT_SSH_COMMAND}. (The timeouts only end a run that hangs, as each did before.)
 */
class GitTransportBoundsTest {
    private static final Duration STALL = Duration.ofSeconds(2);

    @TempDir
    Path tmp;

    private Map<String, String> env() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("PATH", System.getenv("PATH"));
        return env;
    }

    private GitCli git(Map<String, String> env) {
        return new GitCli(env, tmp, Progress.NONE, Duration.ofSeconds(5), STALL);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aGitDaemonThatAcceptsAndNeverAnswersIsGivenUpAfterTheStallTime() throws Exception {
        try (Server server = new Server(out -> { /* says nothing */ })) {
            String url = "git://127.0.0.1:" + server.port() + "/team/plugins.git";
            assertStalled(() -> git(env()).clone(url, tmp.resolve("clone")), url);
        }
        assertThat(tmp.resolve("clone")).doesNotExist();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aGitDaemonThatTricklesAByteNowAndThenIsGivenUpToo() throws Exception {
        try (Server server = new Server(out -> {
            out.write("fff0".getBytes(StandardCharsets.US_ASCII)); // a long pkt-line, whose bytes then come one by one
            out.flush();
            while (true) {
                out.write('a');
                out.flush();
                Thread.sleep(100);
            }
        })) {
            String url = "git://127.0.0.1:" + server.port() + "/team/plugins.git";
            assertStalled(() -> git(env()).clone(url, tmp.resolve("clone")), url);
            assertStalled(() -> git(env()).transfer("asking", null, "ls-remote", "--", url, "HEAD"), url);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anSshRemoteThatHangsIsGivenUpAndTheSshProcessEnded() throws Exception {
        Path pidFile = tmp.resolve("ssh.pid");
        Map<String, String> env = env();
        env.put("GIT_SSH_COMMAND", script("hanging-ssh", "echo $$ > '" + pidFile + "'\nexec sleep 300\n").toString());
        env.put("GIT_SSH_VARIANT", "simple");
        String url = "ssh://127.0.0.1/team/plugins.git";

        assertStalled(() -> git(env).clone(url, tmp.resolve("clone")), url);

        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Optional<ProcessHandle> ssh = ProcessHandle.of(pid);
        ssh.ifPresent(h -> h.onExit().join());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCloneOverTheSizeBoundIsStoppedNamingTheRemoteTheBoundAndHowToRaiseIt() throws Exception {
        Path repo = repositoryOf(3 << 20);
        Map<String, String> env = sshTo(repo);
        String url = "ssh://127.0.0.1/team/plugins.git";

        git(env).clone(url, tmp.resolve("whole")); // within the default bound
        assertThat(tmp.resolve("whole/big.bin")).hasSize(3 << 20);

        env.put("CXPM_GIT_MAX_BYTES", "1000000");
        assertThatThrownBy(() -> git(env).clone(url, tmp.resolve("cut")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("cloning " + url)
                .hasMessageContaining("over 1000000 bytes")
                .satisfies(e -> assertThat(((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT))
                .satisfies(e -> assertThat(((UserError) e).hint()).contains("CXPM_GIT_MAX_BYTES"));
    }

    /** An update that finds the remote grown past the bound leaves the marketplace as it was, and no staging behind. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anUpgradeOverTheSizeBoundKeepsThePreviousClone() throws Exception {
        Path repo = repositoryOf(1000);
        Files.createDirectories(repo.resolve(".agents/plugins"));
        Files.writeString(repo.resolve(".agents/plugins/marketplace.json"), "{\"name\": \"team\", \"plugins\": []}");
        run(repo, "git", "add", "-A");
        run(repo, "git", "commit", "-q", "-m", "marketplace");
        Map<String, String> env = sshTo(repo);
        CodexHome home = new CodexHome(tmp.resolve("codex-home"));
        Marketplaces before = new Marketplaces(home, git(env), Duration.ofSeconds(5));
        Marketplaces.Added added = before.add(MarketplaceSource.parse("ssh://127.0.0.1/team/plugins.git", tmp, Optional.empty()),
                Optional.empty());
        Path manifest = added.root().resolve(".agents/plugins/marketplace.json");
        String kept = Files.readString(manifest);

        Files.write(repo.resolve("big.bin"), random(3 << 20));
        Files.writeString(repo.resolve(".agents/plugins/marketplace.json"), "{\"name\": \"team\", \"plugins\": [], \"x\": 1}");
        run(repo, "git", "commit", "-q", "-a", "-m", "grown");
        env.put("CXPM_GIT_MAX_BYTES", "1000000");
        assertThatThrownBy(() -> new Marketplaces(home, git(env), Duration.ofSeconds(5)).upgrade(Optional.of("team")))
                .isInstanceOf(UserError.class).hasMessageContaining("over 1000000 bytes");

        assertThat(Files.readString(manifest)).isEqualTo(kept);
        try (Stream<Path> staging = Files.list(home.marketplaceStaging())) {
            assertThat(staging.map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.startsWith("cxpm-"));
        }
    }

    private static void assertStalled(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String url) {
        assertThatThrownBy(call)
                .isInstanceOf(UserError.class)
                .hasMessageContaining(url)
                .hasMessageContaining("was stopped: the remote sent under 1000 bytes a second for 2 s")
                .satisfies(e -> assertThat(((UserError) e).kind()).isEqualTo(UserError.Kind.NETWORK))
                .satisfies(e -> assertThat(((UserError) e).hint()).contains("GIT_HTTP_LOW_SPEED_TIME"));
    }

    /** An ssh that runs the real {@code git upload-pack} of repo, whatever host and path it is given. */
    private Map<String, String> sshTo(Path repo) throws IOException {
        Map<String, String> env = env();
        env.put("GIT_SSH_COMMAND", script("local-ssh", "exec git upload-pack '" + repo + "'\n").toString());
        env.put("GIT_SSH_VARIANT", "simple");
        return env;
    }

    private Path repositoryOf(int bytes) throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("remote"));
        run(repo, "git", "init", "-q", "-b", "main");
        Files.write(repo.resolve("big.bin"), random(bytes));
        run(repo, "git", "add", "-A");
        run(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.test", "commit", "-q", "-m", "one");
        run(repo, "git", "config", "user.name", "t");
        run(repo, "git", "config", "user.email", "t@example.test");
        return repo;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b); // incompressible: the pack is as large as the file
        return b;
    }

    private Path script(String name, String body) throws IOException {
        Path s = tmp.resolve(name);
        Files.writeString(s, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    private void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("git.log").toFile()).start();
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + Files.readString(tmp.resolve("git.log"))).isZero();
    }

    private interface Talk {
        void to(OutputStream out) throws Exception;
    }

    /** A server on 127.0.0.1 that reads what a client sends and answers each connection as told, never hanging up. */
    private static final class Server implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new ArrayList<>();
        private final Thread acceptor;

        Server(Talk talk) throws IOException {
            acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket s = socket.accept();
                        synchronized (held) {
                            held.add(s);
                        }
                        Thread.ofVirtual().start(() -> {
                            try {
                                InputStream in = s.getInputStream();
                                Thread.ofVirtual().start(() -> {
                                    try {
                                        in.transferTo(OutputStream.nullOutputStream());
                                    } catch (IOException closed) {
                                        // the test is over
                                    }
                                });
                                talk.to(s.getOutputStream());
                            } catch (Exception closed) {
                                // the client went away
                            }
                        });
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
