package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.daemon.LauncherCheckout.Run;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.testkit.CodexClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real {@code ./cxpm} launcher (bash) and its warm daemon: commands after the first run there, each
 * wholly in its caller's directory and environment, one daemon per user and checkout, none in CI.
 */
@ExtendWith(LauncherCheckout.Extension.class)
class DaemonLauncherTest {

    Path tmp;
    LauncherCheckout c;

    @BeforeEach
    void checkout(LauncherCheckout checkout) throws IOException {
        c = checkout;
        tmp = c.tmp;
    }

    @Test
    void commandsAfterTheFirstRunInTheWarmDaemonWithTheCallersDirectoryEnvironmentAndExitCodes() throws Exception {
        Path mk = Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        Run first = c.cxpm(c.env, "marketplace", "add", mk.toString());
        assertThat(first.code()).as(first.err()).isZero();
        LauncherCheckout.waitUntil(() -> Files.isRegularFile(c.daemonFile));

        Map<String, String> noJvm = c.noJvm();
        Run install = c.cxpm(noJvm, "install", "demo@fx");
        assertThat(install.code()).as(install.err()).isZero();
        assertThat(install.out()).contains("demo");
        assertThat(c.coldMark).as("no JVM was started").doesNotExist();
        assertThat(new CodexClient(tmp.resolve("codex-home"), tmp.resolve("home")).run("plugin", "list", "--json").stdout())
                .contains("\"pluginId\": \"demo@fx\"", "\"enabled\": true");

        // The same answer, byte for byte, as the command run in-process with the same environment.
        Run list = c.cxpm(noJvm, "list", "--json");
        CliRun expected = CliRun.in(tmp, c.env, "list", "--json");
        assertThat(list.code()).isEqualTo(expected.exitCode());
        assertThat(list.out()).isEqualTo(expected.stdout());

        // The caller's directory: a relative path resolves where the command was typed.
        Run validate = c.cxpm(noJvm, "validate", "mk/plugins/demo");
        assertThat(validate.code()).as(validate.err()).isZero();

        // The caller's environment: another Codex home is another Codex home.
        Map<String, String> otherHome = new HashMap<>(noJvm);
        otherHome.put("CODEX_HOME", tmp.resolve("other-codex-home").toString());
        assertThat(c.cxpm(otherHome, "list").out()).doesNotContain("demo@fx");

        // Errors: the exit code and stderr come back as they are.
        Run missing = c.cxpm(noJvm, "install", "nope@fx");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).contains("plugin `nope` was not found in marketplace `fx`").contains("hint:");
        assertThat(c.coldMark).doesNotExist();

        // CXPM_DAEMON=0 runs its own JVM.
        Map<String, String> off = new HashMap<>(noJvm);
        off.put("CXPM_DAEMON", "0");
        assertThat(c.cxpm(off, "list").code()).isEqualTo(99);
        assertThat(c.coldMark).exists();
        Files.delete(c.coldMark);

        // A daemon that is gone: the command runs in its own JVM (and starts a new daemon), it does not hang or fail.
        int port = c.port();
        c.stopDaemons();
        LauncherCheckout.waitUntil(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return false;
            } catch (IOException | RuntimeException gone) {
                return true;
            }
        });
        Run afterKill = c.cxpm(noJvm, "list");
        assertThat(afterKill.code()).isEqualTo(99);
        assertThat(Files.readString(c.coldMark)).contains("dev.cxpm.cli.Main list");
        LauncherCheckout.waitUntil(() -> { // the new daemon is started in the background, so its mark may come a little later
            try {
                return Files.readString(c.coldMark).contains("dev.cxpm.cli.daemon.Daemon");
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void gitRunsWithEachCallersPathAndVariablesNeverTheDaemonsOrAPreviousCallers() throws Exception {
        TeamFixture team = new TeamFixture(tmp.resolve("team")).plugin("app", "1.0.0");
        Path home = tmp.resolve("home");
        String url = Fixtures.gitRepo(team.market, home, "mk");
        team.toml("[marketplaces]\nfx = \"" + url + "\"\n\n[plugins]\napp = \"^1\"\n");
        Path realGit = dev.cxpm.core.install.Executables.find("git", System.getenv("PATH"), tmp).orElseThrow();
        // Each caller has its own `git` first on PATH, which notes who ran it and then runs the real one.
        for (String who : List.of("one", "two")) {
            Path git = Files.createDirectories(team.project.resolve("bin-" + who)).resolve("git");
            Files.writeString(git, "#!/bin/sh\necho \"$WHO $*\" >> '" + tmp.resolve("git-" + who + ".log") + "'\nexec '" + realGit + "' \"$@\"\n");
            Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Map<String, String> starter = new HashMap<>(c.env);
        starter.put("CXPM_TOKEN", "the-first-callers-token");
        c.startDaemon(starter);
        assertThat(Files.readString(Path.of("/proc/" + c.daemons().get(0).pid() + "/environ")))
                .as("the daemon keeps nothing of the caller that started it").doesNotContain("the-first-callers-token");

        Map<String, String> one = c.noJvm();
        one.putAll(Map.of("HOME", home.toString(), "CODEX_HOME", tmp.resolve("codex-one").toString(), "WHO", "one",
                "CXPM_STORE", tmp.resolve("store-one").toString(), "PATH", team.project.resolve("bin-one") + ":" + System.getenv("PATH")));
        Run first = c.cxpmIn(team.project, one, "sync");
        assertThat(first.code()).as(first.err()).isZero();
        // A relative PATH entry is the caller's directory's, as in their shell.
        Map<String, String> two = new HashMap<>(one);
        two.putAll(Map.of("CODEX_HOME", tmp.resolve("codex-two").toString(), "WHO", "two",
                "CXPM_STORE", tmp.resolve("store-two").toString(), "PATH", "bin-two:" + System.getenv("PATH")));
        Run second = c.cxpmIn(team.project, two, "sync");
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(c.coldMark).as("both ran in the daemon").doesNotExist();

        for (String who : List.of("one", "two")) {
            List<String> calls = Files.readAllLines(tmp.resolve("git-" + who + ".log"));
            assertThat(calls).as("git calls of caller " + who).anyMatch(l -> l.contains("clone")).anyMatch(l -> l.contains("rev-parse HEAD"))
                    .allMatch(l -> l.startsWith(who + " "));
        }
    }

    /**
     * The programs a command runs in the daemon get their caller's variables byte for byte, whatever their names and
     * values: a caller's variable named as one of the launcher's own (secret, name, root, key) went with the launcher's
     * value, the daemon's secret itself to every program the command ran.
     */
    @Test
    void theCallersVariablesReachTheProgramsACommandRunsByteForByteAndTheDaemonsSecretNever() throws Exception {
        Path home = tmp.resolve("home");
        Path mk = Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        String url = Fixtures.gitRepo(mk, home, "mk");
        Path seen = recorded("git", tmp.resolve("git-environment"));
        c.startDaemon();

        Map<String, String> caller = c.noJvm();
        caller.putAll(Map.of("HOME", home.toString(), "PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"),
                "secret", "the caller's own", "name", "a b\nc=d", "root", "/not/the/checkout", "key", "k=v = \\ 'q' \t.",
                "CXPM_WEIRD", " lead, trail \n\n"));
        Run add = c.cxpm(caller, "marketplace", "add", url);
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(c.coldMark).as("ran in the daemon").doesNotExist();

        List<String> environment = List.of(Files.readString(seen).split("\0"));
        for (String name : List.of("secret", "name", "root", "key", "CXPM_WEIRD", "HOME")) {
            assertThat(environment).as(name).contains(name + "=" + caller.get(name));
        }
        String recorded = Files.readString(seen);
        assertThat(List.of(c.clientSecret(), c.daemonSecret())).as("the daemon's secrets").noneMatch(recorded::contains);
    }

    @Test
    void onAFreshJvmTooTheCallersVariablesReachTheProgramsACommandRunsNotTheLaunchersOfTheSameName() throws Exception {
        Path home = tmp.resolve("home");
        Path mk = Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        String url = Fixtures.gitRepo(mk, home, "mk");
        Path seen = recorded("git", tmp.resolve("git-environment"));

        Map<String, String> caller = new HashMap<>(c.env);
        caller.putAll(Map.of("HOME", home.toString(), "PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"),
                "CXPM_DAEMON", "0", "root", "/not/the/checkout", "jar", "not the jar", "key", "k=v = \\ 'q' \t.",
                "cache", "a b\nc=d", "self", "me"));
        Run add = c.cxpm(caller, "marketplace", "add", url);
        assertThat(add.code()).as(add.err()).isZero();

        List<String> environment = List.of(Files.readString(seen).split("\0"));
        for (String name : List.of("root", "jar", "key", "cache", "self", "HOME")) {
            assertThat(environment).as(name).contains(name + "=" + caller.get(name));
        }
    }

    @Test
    void aCallerWhoseUmaskIsNotTheDaemonsRunsInItsOwnJvmSoItsFilesGetItsModes() throws Exception {
        String mask = new String(new ProcessBuilder("bash", "-c", "umask").start().getInputStream().readAllBytes()).strip();
        c.startDaemon();
        assertThat(c.cxpmIn(tmp, mask, c.noJvm(), "list").code()).as("the daemon's umask").isZero();
        assertThat(c.cxpmIn(tmp, mask.equals("0077") ? "0022" : "0077", c.noJvm(), "list").code()).as("another umask").isEqualTo(99);
    }

    @Test
    void oneDaemonPerUserAndCheckoutWhateverHomeIs() throws Exception {
        c.startDaemon();
        for (int i = 0; i < 4; i++) {
            Map<String, String> vars = new HashMap<>(c.env);
            vars.put("HOME", Files.createDirectories(tmp.resolve("home-" + i)).toString());
            vars.put("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("xdg-" + i)).toString());
            vars.put("JAVA_HOME", c.fakeJdk.toString());
            assertThat(c.cxpm(vars, "list").code()).isZero();
        }
        assertThat(c.coldMark).as("every HOME used the one daemon").doesNotExist();
        Thread.sleep(1000); // a second daemon, had one been started, would be up by now
        assertThat(c.daemons()).hasSize(1);
        assertThat(Files.getPosixFilePermissions(c.daemonFile.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(c.daemonFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void inCiEveryCommandRunsInItsOwnJvmAndNoDaemonIsStartedOrUsed() throws Exception {
        Map<String, String> ci = new HashMap<>(c.env);
        ci.put("CI", "true");
        assertThat(c.cxpm(ci, "list").code()).isZero();
        Thread.sleep(1500);
        assertThat(c.daemons()).as("no daemon started").isEmpty();
        assertThat(c.daemonFile).doesNotExist();

        c.startDaemon();
        ci.put("JAVA_HOME", c.fakeJdk.toString());
        assertThat(c.cxpm(ci, "list").code()).as("a running daemon is not used either").isEqualTo(99);
    }

    /**
     * The daemon's stdout comes with its length when the launcher can read it in one go (bash's read, no fork: small
     * and without NUL bytes, which a shell variable cannot hold), else to the end of the connection, which the
     * launcher's cat copies: either way the caller gets it byte for byte, and the launcher's cat runs with the caller's
     * variables, never the daemon's secrets. Played by a stand-in daemon that answers both ways.
     */
    @Test
    void theDaemonsStdoutReachesTheCallerByteForByteWhetherSentWithItsLengthOrToTheEnd() throws Exception {
        String small = "caf\u00e9 \\n not a newline \\ %s %% \r\n\n\n\tthe last line without one";
        String large = "x".repeat(DaemonFrames.STDOUT_WITH_LENGTH) + "\n";
        String binary = "before\0after\n";
        Path catSaw = recorded("cat", tmp.resolve("cat-environment"));
        try (ServerSocket fake = c.fakeDaemon((request, out) -> {
            String stdout = switch (request.args().getFirst()) {
                case "list" -> small;
                case "info" -> large;
                default -> binary;
            };
            out.write("ACCEPTED\nERR 5\nerr \n".getBytes(StandardCharsets.UTF_8));
            out.write(DaemonFrames.done(4, stdout.getBytes(StandardCharsets.UTF_8)));
        })) {
            Map<String, String> caller = c.noJvm();
            caller.putAll(Map.of("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"), "secret", "the caller's own"));
            for (String command : List.of("list", "info", "validate")) {
                Run r = c.cxpm(caller, command);
                assertThat(r.code()).as(command).isEqualTo(4);
                assertThat(r.err()).as(command).isEqualTo("err \n");
                assertThat(r.out()).as(command).isEqualTo(switch (command) {
                    case "list" -> small;
                    case "info" -> large;
                    default -> binary;
                });
            }
            String started = Files.exists(c.coldMark) ? Files.readString(c.coldMark) : "";
            assertThat(started).as("all three answered by the daemon (only the start-up cache's training ran)").doesNotContain("dev.cxpm.cli.Main");
            String secrets = Files.readString(c.daemonFile);
            assertThat(List.of(Files.readString(catSaw).split("\0"))).as("the launcher's cat").contains("secret=the caller's own")
                    .noneMatch(v -> v.contains(secrets.split(" ")[1]) || v.contains(secrets.split(" ")[2].strip()));
        }
    }

    @Test
    void stdoutGoesWithItsLengthWhenItIsSmallAndHasNoNulByteElseToTheEnd() {
        assertThat(DaemonFrames.done(0, "cxpm 1.0\n".getBytes(StandardCharsets.UTF_8))).asString(StandardCharsets.UTF_8)
                .isEqualTo("DONE 0 9\ncxpm 1.0\n");
        assertThat(DaemonFrames.done(3, new byte[0])).asString(StandardCharsets.UTF_8).isEqualTo("DONE 3 0\n");
        byte[] nul = {'a', 0, 'b'};
        assertThat(DaemonFrames.done(0, nul)).isEqualTo(new byte[] {'D', 'O', 'N', 'E', ' ', '0', '\n', 'a', 0, 'b'});
        byte[] limit = "y".repeat(DaemonFrames.STDOUT_WITH_LENGTH).getBytes(StandardCharsets.US_ASCII);
        assertThat(DaemonFrames.done(1, limit)).asString(StandardCharsets.US_ASCII).startsWith("DONE 1 " + limit.length + "\nyyy");
        byte[] over = "y".repeat(DaemonFrames.STDOUT_WITH_LENGTH + 1).getBytes(StandardCharsets.US_ASCII);
        assertThat(DaemonFrames.done(1, over)).asString(StandardCharsets.US_ASCII).startsWith("DONE 1\nyyy").hasSize(over.length + 7);
    }

    /**
     * A launcher and a daemon of different protocols never speak: this launcher does not read the file of a daemon
     * started by an earlier one (named daemon-KEY; its format was "port secret"), runs the command in a JVM of its own
     * and starts a daemon of its own protocol, which takes over at once; the old one exits when idle or rebuilt.
     */
    @Test
    void aDaemonOfTheEarlierProtocolIsNeverSpokenToAndOneOfThisProtocolTakesOver() throws Exception {
        Path oldFile = c.daemonFile.resolveSibling("daemon-" + LauncherCheckout.fnv1a(c.root.toString()));
        AtomicInteger connections = new AtomicInteger();
        if (!Files.isDirectory(oldFile.getParent())) {
            Files.createDirectory(oldFile.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        try (ServerSocket old = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Files.writeString(oldFile, old.getLocalPort() + " " + "ab".repeat(32) + " sources\n");
            Files.setPosixFilePermissions(oldFile, PosixFilePermissions.fromString("rw-------"));
            Thread.ofVirtual().start(() -> {
                while (!old.isClosed()) {
                    try (Socket s = old.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        // the end of the test
                    }
                }
            });
            Run r = c.cxpm(c.noJvm(), "list");
            assertThat(r.code()).as("run in a JVM of its own").isEqualTo(99);
            assertThat(connections).as("the old daemon was not spoken to").hasValue(0);
            LauncherCheckout.waitUntil(() -> {
                try {
                    return Files.readString(c.coldMark).contains("dev.cxpm.cli.daemon.Daemon " + c.daemonFile + " ");
                } catch (IOException e) {
                    return false;
                }
            });
        } finally {
            Files.deleteIfExists(oldFile);
        }
    }

    /** The reverse: a launcher of the earlier protocol (which names the file daemon-KEY) cannot start this daemon. */
    @Test
    void thisDaemonDoesNotStartForALauncherOfTheEarlierProtocol() throws Exception {
        Path oldFile = LauncherCheckout.daemonDir().resolve("daemon-" + LauncherCheckout.fnv1a(c.root.toString()));
        CompletableFuture.runAsync(() -> {
            try {
                Daemon.main(new String[] {oldFile.toString(), c.jar.toString(), "0022"});
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(20, TimeUnit.SECONDS); // returns at once instead of serving
        assertThat(oldFile).doesNotExist();
        assertThat(oldFile.resolveSibling(oldFile.getFileName() + ".lock")).doesNotExist();
    }

    /** A {@code program} in tmp/bin (put it first on PATH) that writes its environment to {@code seen}, then runs the real one. */
    private Path recorded(String program, Path seen) throws IOException {
        Path real = dev.cxpm.core.install.Executables.find(program, System.getenv("PATH"), tmp).orElseThrow();
        Path wrapper = Files.createDirectories(tmp.resolve("bin")).resolve(program);
        Files.writeString(wrapper, "#!/bin/sh\nenv -0 > '" + seen + "'\nexec '" + real + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return seen;
    }
}
