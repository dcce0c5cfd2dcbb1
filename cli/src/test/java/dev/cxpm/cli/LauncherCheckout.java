package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A checkout laid out in a temp dir with the real {@code ./cxpm} launcher (bash) and a jar that runs the
 * classes under test, so that its warm daemon is the real one. {@link #noJvm} is an environment whose
 * JAVA_HOME's {@code java} only leaves a mark and fails: a command that answers correctly without that
 * mark was run by the daemon, with no JVM started.
 */
final class LauncherCheckout {
    final Path tmp;
    final Path root;
    final Path launcher;
    final Path jar;
    final Path daemonFile;
    final Path fakeJdk;
    final Path coldMark;
    final Map<String, String> env;

    LauncherCheckout(Path tmp) throws IOException {
        this.tmp = tmp;
        root = Files.createDirectories(tmp.resolve("checkout")).toRealPath();
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
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600)));
        daemonFile = daemonDir().resolve("daemon-" + fnv1a(root.toString()));
        coldMark = tmp.resolve("cold-jvm-started");
        fakeJdk = Files.createDirectories(tmp.resolve("fake-jdk/bin")).getParent();
        Files.writeString(fakeJdk.resolve("release"), "JAVA_VERSION=\"25\"\n");
        Path java = fakeJdk.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\" >> '" + coldMark + "'\nexit 99\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        env = new HashMap<>(Fixtures.env(tmp.resolve("codex-home"), Files.createDirectories(tmp.resolve("home"))));
        env.remove("JAVA_HOME");
        env.remove("CI"); // the daemon is off in CI; these tests are about the daemon
    }

    /** Where the launcher keeps its daemon files whatever HOME is: the user's /run/user/UID, else /tmp/cxpm-UID. */
    static Path daemonDir() throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Path run = Path.of("/run/user/" + uid);
        boolean ours = Files.isDirectory(run, LinkOption.NOFOLLOW_LINKS)
                && (Integer) Files.getAttribute(run, "unix:uid", LinkOption.NOFOLLOW_LINKS) == uid;
        return (ours ? run : Path.of("/tmp")).resolve("cxpm-" + uid);
    }

    private static String fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return String.format("%016x", h);
    }

    Map<String, String> noJvm() {
        Map<String, String> vars = new HashMap<>(env);
        vars.put("JAVA_HOME", fakeJdk.toString());
        return vars;
    }

    record Run(int code, String out, String err) {
    }

    Run cxpm(Map<String, String> vars, String... args) throws Exception {
        return cxpmIn(tmp, vars, args);
    }

    Run cxpmIn(Path dir, Map<String, String> vars, String... args) throws Exception {
        return cxpmIn(dir, null, vars, args);
    }

    /** umask: the caller's file mode mask (null: this JVM's). */
    Run cxpmIn(Path dir, String umask, Map<String, String> vars, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(umask == null ? List.of("bash", launcher.toString())
                : List.of("bash", "-c", "umask " + umask + " && exec bash \"$0\" \"$@\"", launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(vars);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("cxpm %s finished", String.join(" ", args)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Runs a first command in a JVM of its own, which starts the daemon, and waits for the daemon. */
    void startDaemon() throws Exception {
        startDaemon(env);
    }

    void startDaemon(Map<String, String> vars) throws Exception {
        Run first = cxpm(vars, "list");
        assertThat(first.code()).as(first.err()).isZero();
        waitUntil(() -> Files.isRegularFile(daemonFile));
    }

    List<ProcessHandle> daemons() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(daemonFile.toString())).orElse(false))
                .toList();
    }

    void stopDaemons() {
        daemons().forEach(ProcessHandle::destroy);
    }

    /** After a test: no daemon left, nor its files in the shared per-user directory. */
    void cleanUp() throws Exception {
        stopDaemons();
        waitUntil(() -> daemons().isEmpty());
        Files.deleteIfExists(daemonFile);
        Files.deleteIfExists(daemonFile.resolveSibling(daemonFile.getFileName() + ".lock"));
    }

    int port() throws IOException {
        return Integer.parseInt(Files.readString(daemonFile).strip().split(" ")[0]);
    }

    String secret() throws IOException {
        return Files.readString(daemonFile).strip().split(" ")[1];
    }

    /**
     * Opens a connection to the daemon and proves the secret as the launcher does: our challenge, its
     * nonce and the first half of SHA-256(secret ours its), then the second half from us.
     */
    Socket authenticated() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port());
        s.setSoTimeout(30_000);
        String ours = "0123456789abcdef0123456789abcdef";
        s.getOutputStream().write((ours + "\n").getBytes(StandardCharsets.US_ASCII));
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        String[] reply = in.readLine().split(" ");
        String mac = sha256(secret() + " " + ours + " " + reply[0] + "\n");
        assertThat(reply[1]).as("the daemon proves the secret").isEqualTo(mac.substring(0, 32));
        s.getOutputStream().write((mac.substring(32) + "\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Up to two minutes: a new daemon runs the everyday commands once before it announces itself, slow on a busy machine. */
    static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached within 120 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
