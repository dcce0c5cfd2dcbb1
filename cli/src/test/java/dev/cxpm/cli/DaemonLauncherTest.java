package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.testkit.CodexClient;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./cxpm} launcher (bash) and its warm daemon, on a checkout laid out in a temp dir whose
 * jar runs the classes under test. Once the daemon is up, commands are run with a JAVA_HOME whose
 * {@code java} only leaves a mark and fails: a command that answers correctly without that mark was run
 * by the daemon, with no JVM started.
 */
class DaemonLauncherTest {

    @TempDir
    Path tmp;
    Path launcher;
    Path jar;
    Path daemonFile;
    Path fakeJdk;
    Path coldMark;
    Map<String, String> env;

    @BeforeEach
    void checkout() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("checkout"));
        launcher = root.resolve("cxpm");
        Files.copy(Path.of("..", "cxpm").toAbsolutePath().normalize(), launcher);
        jar = Files.createDirectories(root.resolve("cli/target")).resolve("cxpm.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.cxpm.cli.Main");
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(Path.of(entry).toAbsolutePath().toUri().toString()); // directories end with '/'
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        // built an hour ago, so that every daemon file written by the test is plainly newer (bash's -nt)
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
        Path home = Files.createDirectories(tmp.resolve("home"));
        daemonFile = home.resolve(".cache/cxpm/daemon-" + root.toString().replaceAll("[^A-Za-z0-9]", "_"));
        coldMark = tmp.resolve("cold-jvm-started");
        fakeJdk = Files.createDirectories(tmp.resolve("fake-jdk/bin")).getParent();
        Files.writeString(fakeJdk.resolve("release"), "JAVA_VERSION=\"25\"\n");
        Path java = fakeJdk.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\" >> '" + coldMark + "'\nexit 99\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        env = new HashMap<>(Fixtures.env(tmp.resolve("codex-home"), home));
        env.remove("JAVA_HOME");
    }

    @AfterEach
    void stopDaemons() {
        ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(daemonFile.toString())).orElse(false))
                .forEach(ProcessHandle::destroy);
    }

    @Test
    void commandsAfterTheFirstRunInTheWarmDaemonWithTheCallersDirectoryEnvironmentAndExitCodes() throws Exception {
        Path mk = Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        Run first = cxpm(env, "marketplace", "add", mk.toString());
        assertThat(first.code()).as(first.err()).isZero();
        awaitDaemon();

        Map<String, String> noJvm = new HashMap<>(env);
        noJvm.put("JAVA_HOME", fakeJdk.toString());
        Run install = cxpm(noJvm, "install", "demo@fx");
        assertThat(install.code()).as(install.err()).isZero();
        assertThat(install.out()).contains("demo");
        assertThat(coldMark).as("no JVM was started").doesNotExist();
        assertThat(new CodexClient(tmp.resolve("codex-home"), tmp.resolve("home")).run("plugin", "list", "--json").stdout())
                .contains("\"pluginId\": \"demo@fx\"", "\"enabled\": true");

        // The same answer, byte for byte, as the command run in-process with the same environment.
        Run list = cxpm(noJvm, "list", "--json");
        CliRun expected = CliRun.in(tmp, env, "list", "--json");
        assertThat(list.code()).isEqualTo(expected.exitCode());
        assertThat(list.out()).isEqualTo(expected.stdout());

        // The caller's directory: a relative path resolves where the command was typed.
        Run validate = cxpm(noJvm, "validate", "mk/plugins/demo");
        assertThat(validate.code()).as(validate.err()).isZero();

        // The caller's environment: another Codex home is another Codex home.
        Map<String, String> otherHome = new HashMap<>(noJvm);
        otherHome.put("CODEX_HOME", tmp.resolve("other-codex-home").toString());
        assertThat(cxpm(otherHome, "list").out()).doesNotContain("demo@fx");

        // Errors: the exit code and stderr come back as they are.
        Run missing = cxpm(noJvm, "install", "nope@fx");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).contains("plugin `nope` was not found in marketplace `fx`").contains("hint:");
        assertThat(coldMark).doesNotExist();

        // CXPM_DAEMON=0 runs its own JVM.
        Map<String, String> off = new HashMap<>(noJvm);
        off.put("CXPM_DAEMON", "0");
        assertThat(cxpm(off, "list").code()).isEqualTo(99);
        assertThat(coldMark).exists();
        Files.delete(coldMark);

        // A daemon that is gone: the command runs in its own JVM (and starts a new daemon), it does not hang or fail.
        stopDaemons();
        waitUntil(() -> {
            try (var s = new java.net.Socket("127.0.0.1", Integer.parseInt(Files.readString(daemonFile).split(" ")[0]))) {
                return false;
            } catch (IOException | RuntimeException gone) {
                return true;
            }
        });
        Run afterKill = cxpm(noJvm, "list");
        assertThat(afterKill.code()).isEqualTo(99);
        assertThat(Files.readString(coldMark)).contains("-jar");
        waitUntil(() -> { // the new daemon is started in the background, so its mark may come a little later
            try {
                return Files.readString(coldMark).contains("dev.cxpm.cli.Daemon");
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void aProcessOnTheDaemonsPortThatCannotGreetWithItsProofIsSentNothing() throws Exception {
        Files.createDirectories(daemonFile.getParent());
        try (java.net.ServerSocket impostor = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(daemonFile, impostor.getLocalPort() + " the-secret the-proof\n");
            java.util.concurrent.CompletableFuture<byte[]> received = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (java.net.Socket s = impostor.accept()) {
                    s.getOutputStream().write("not-the-proof\n".getBytes(StandardCharsets.US_ASCII));
                    s.setSoTimeout(30_000);
                    return s.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Map<String, String> noJvm = new HashMap<>(env);
            noJvm.put("JAVA_HOME", fakeJdk.toString());
            noJvm.put("CXPM_TOKEN", "do-not-leak");
            Run r = cxpm(noJvm, "list");
            assertThat(r.code()).as("ran in a JVM of its own").isEqualTo(99);
            assertThat(received.get(30, TimeUnit.SECONDS)).as("nothing sent to the impostor").isEmpty();
            assertThat(daemonFile).as("the file naming that port is dropped").doesNotExist();
        }
    }

    private record Run(int code, String out, String err) {
    }

    private Run cxpm(Map<String, String> vars, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().clear();
        pb.environment().putAll(vars);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("cxpm %s finished", String.join(" ", args)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private void awaitDaemon() throws InterruptedException {
        waitUntil(() -> Files.isRegularFile(daemonFile));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
