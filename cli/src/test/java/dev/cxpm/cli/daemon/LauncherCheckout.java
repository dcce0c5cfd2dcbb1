package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.core.codexhome.Trees;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A checkout laid out in a temp dir with the real {@code ./cxpm} launcher (bash) and a jar that runs the
 * classes under test, so that its warm daemon is the real one. {@link #noJvm} is an environment whose
 * JAVA_HOME's {@code java} only leaves a mark and fails: a command that answers correctly without that
 * mark was run by the daemon, with no JVM started.
 *
 * <p>A test gets one only from {@link Extension}, as a parameter (of a {@code @BeforeEach} method or of the test), in a
 * temp dir of its own which the extension cleans up ({@link #cleanUp}) and deletes after the test, after the class's
 * own {@code @AfterEach} methods: a test cannot forget the daemons, files and processes a checkout leaves behind.
 */
final class LauncherCheckout {
    /** Makes the {@link LauncherCheckout} a test asks for, and after the test cleans it up and deletes its temp dir. */
    static final class Extension implements ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LauncherCheckout.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == LauncherCheckout.class;
        }

        @Override
        public LauncherCheckout resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getStore(NAMESPACE).getOrComputeIfAbsent(Made.class, k -> {
                try {
                    Path tmp = Files.createTempDirectory("launcher-checkout");
                    Made made = new Made(tmp); // deleted even when the checkout cannot be laid out
                    made.checkout = new LauncherCheckout(Files.createDirectories(
                            tmp.resolve(parameter.findAnnotation(In.class).map(In::value).orElse("t"))));
                    return made;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, Made.class).checkout;
        }

        /** Closed by JUnit when the test's store is: after the test and its {@code @AfterEach} methods. */
        private static final class Made implements AutoCloseable {
            final Path tmp;
            LauncherCheckout checkout;

            Made(Path tmp) {
                this.tmp = tmp;
            }

            @Override
            public void close() throws Exception {
                try {
                    if (checkout != null) {
                        checkout.cleanUp();
                    }
                } finally {
                    Trees.delete(tmp);
                }
            }
        }
    }

    /** The name of the directory, in the test's temp dir, that the checkout's temp dir is (one holding a ':', say). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface In {
        String value();
    }

    final Path tmp;
    final Path root;
    final Path launcher;
    final Path jar;
    final Path daemonFile;
    final Path fakeJdk;
    final Path coldMark;
    final Map<String, String> env;

    private LauncherCheckout(Path tmp) throws IOException {
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
        daemonFile = daemonDir().resolve(DaemonFile.PREFIX + fnv1a(root.toString()));
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

    static String fnv1a(String s) {
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

    /**
     * After a test: no daemon left, nor its files in the shared per-user directory, nor any process still at work in
     * the temp dir (a launcher that dropped a dead daemon's file starts a new one in the background, detached: under
     * {@link #noJvm} that is the fake java appending to {@link #coldMark}, which must not race JUnit deleting the dir).
     */
    private void cleanUp() throws Exception {
        stopDaemons();
        waitUntil(() -> daemons().isEmpty());
        waitUntil(() -> ProcessHandle.allProcesses().noneMatch(p -> p.info().arguments()
                .map(a -> String.join(" ", a).contains(tmp.toString())).orElse(false)));
        Files.deleteIfExists(daemonFile);
        Files.deleteIfExists(daemonFile.resolveSibling(daemonFile.getFileName() + ".lock"));
    }

    int port() throws IOException {
        return Integer.parseInt(daemonFileFields()[0]);
    }

    /** What the launcher presents to the daemon first. */
    String clientSecret() throws IOException {
        return daemonFileFields()[1];
    }

    /** What the daemon answers only to a client that presented the client secret. */
    String daemonSecret() throws IOException {
        return daemonFileFields()[2];
    }

    private String[] daemonFileFields() throws IOException {
        return Files.readString(daemonFile).strip().split(" ");
    }

    /** Opens a connection to the daemon and presents the client secret as the launcher does, checking the daemon's answer. */
    Socket authenticated() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port());
        s.setSoTimeout(30_000);
        s.getOutputStream().write((clientSecret() + "\n").getBytes(StandardCharsets.US_ASCII));
        byte[] answer = s.getInputStream().readNBytes(33);
        assertThat(new String(answer, StandardCharsets.US_ASCII)).as("the daemon proves itself").isEqualTo(daemonSecret() + "\n");
        return s;
    }

    /** What a {@link #fakeDaemon} does with a request the launcher sent once each side proved the secrets. */
    interface Answer {
        void to(DaemonFrames.Request request, OutputStream out) throws IOException;
    }

    /**
     * A stand-in for the daemon, announced in the daemon file as the real one announces itself: it plays the daemon's
     * side of the handshake (secrets of its own) and hands each request to answer. The caller closes it.
     */
    ServerSocket fakeDaemon(Answer answer) throws IOException {
        return fakeDaemonOnSocket((request, socket) -> answer.to(request, socket.getOutputStream()));
    }

    /** What a {@link #fakeDaemonOnSocket} does with a request, given the connection itself (to reset it, say). */
    interface SocketAnswer {
        void to(DaemonFrames.Request request, Socket socket) throws IOException;
    }

    /** As {@link #fakeDaemon}, handing answer the connection. */
    ServerSocket fakeDaemonOnSocket(SocketAnswer answer) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        String client = "ab".repeat(16);
        String daemon = "cd".repeat(16);
        Path dir = daemonDir();
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.writeString(daemonFile, server.getLocalPort() + " " + client + " " + daemon + "\n");
        Files.setPosixFilePermissions(daemonFile, PosixFilePermissions.fromString("rw-------"));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept(); InputStream in = new BufferedInputStream(s.getInputStream());
                     OutputStream out = s.getOutputStream()) {
                    if (!new String(in.readNBytes(33), StandardCharsets.US_ASCII).equals(client + "\n")) {
                        continue;
                    }
                    out.write((daemon + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    answer.to(DaemonFrames.Request.read(in, DaemonFrames.MAX_REQUEST), s);
                    if (!s.isClosed()) {
                        out.flush();
                    }
                } catch (IOException e) {
                    // closed by the test, or the launcher hung up: the test's assertions tell what was missing
                }
            }
        });
        return server;
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
