package dev.cxpm.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * A warm cxpm for the launcher: most of a command's time on a fresh JVM is start-up (picocli's model,
 * Jackson, the JIT; docs/BENCHMARKS.md), so {@code ./cxpm} starts this once in the background and hands
 * it later commands over a socket on 127.0.0.1, as Gradle's daemon does. It runs them with the same
 * {@link Main#run} the tests run, with the caller's working directory and environment, one at a time.
 *
 * <p>Protocol (what the launcher's bash speaks): the daemon greets with a line holding its proof; only
 * then does the launcher send the request, as NUL-terminated fields (secret, working directory, argument
 * count, arguments, variable count, {@code NAME=value} variables). The answer is a line: {@code BUSY} or
 * {@code STALE} (nothing ran: the launcher runs the command itself), or {@code ACCEPTED} and, once the
 * command finished, {@code DONE <exit code> <stderr bytes>} followed by stderr's then stdout's bytes.
 * Proof and secret are in a file only the user can read: the secret keeps other local users from running
 * commands as them, the proof keeps the launcher from sending its environment to a process that took the
 * port of a daemon that died. It exits after {@link #IDLE} without a command, or when its jar changes.
 */
public final class Daemon {
    static final Duration IDLE = Duration.ofMinutes(10);
    private static final Duration CHECK = Duration.ofSeconds(20);
    private static final int MAX_FIELD = 1 << 20;

    private final Path file;
    private final Path jar;
    private final FileTime jarTime;
    private final String secret;
    private final String proof;
    private final Semaphore oneAtATime = new Semaphore(1);
    private volatile boolean stop;

    private Daemon(Path file, Path jar) throws IOException {
        this.file = file;
        this.jar = jar;
        this.jarTime = Files.getLastModifiedTime(jar);
        this.secret = random();
        this.proof = random();
    }

    private static String random() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** args: the daemon file to write ({@code port secret}), the jar the launcher runs. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (FileChannel lockFile = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                return; // another daemon for this checkout is starting or running
            }
            Daemon daemon = new Daemon(file, Path.of(args[1]));
            Runtime.getRuntime().addShutdownHook(new Thread(daemon::forgetFile)); // SIGTERM: no file naming a dead port
            daemon.serve();
        }
    }

    private void serve() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path tmp = Files.createTempFile(file.getParent(), ".daemon", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, server.getLocalPort() + " " + secret + " " + proof + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            server.setSoTimeout((int) CHECK.toMillis());
            long lastCommand = System.nanoTime();
            while (!stop) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (SocketTimeoutException quiet) {
                    boolean idle = System.nanoTime() - lastCommand > IDLE.toNanos() && oneAtATime.availablePermits() == 1;
                    if (idle || !Files.getLastModifiedTime(jar).equals(jarTime)) {
                        break; // idle, or rebuilt: the launcher starts a daemon of the new jar
                    }
                    continue;
                }
                lastCommand = System.nanoTime();
                Thread.ofVirtual().start(() -> answer(socket));
            }
        } finally {
            forgetFile();
        }
    }

    private void answer(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream()); OutputStream out = socket.getOutputStream()) {
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis()); // the request comes at once; the command itself is not timed
            out.write((proof + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Request request = Request.read(in);
            if (!MessageDigest.isEqual(request.secret().getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
                return; // not the user's launcher: say nothing
            }
            if (!Files.getLastModifiedTime(jar).equals(jarTime)) {
                out.write("STALE\n".getBytes(StandardCharsets.US_ASCII));
                stop = true;
                forgetFile();
                return;
            }
            if (!oneAtATime.tryAcquire()) {
                out.write("BUSY\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            try {
                out.write("ACCEPTED\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                run(request, out);
            } finally {
                oneAtATime.release();
            }
        } catch (IOException | RuntimeException e) {
            // the launcher went away or sent garbage: nothing ran, or the command's own outcome stands
        }
    }

    private static void run(Request request, OutputStream socketOut) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        int code;
        try {
            code = Main.run(new Env(request.vars(), request.cwd(), out, err, Clock.systemUTC()), request.args().toArray(String[]::new));
        } catch (RuntimeException | Error e) {
            err.println("internal error: " + e + " (this is a bug in cxpm; rerun with --debug for details)");
            code = ExitCodes.INTERNAL;
        }
        out.flush();
        err.flush();
        socketOut.write(("DONE " + code + " " + stderr.size() + "\n").getBytes(StandardCharsets.US_ASCII));
        stderr.writeTo(socketOut);
        stdout.writeTo(socketOut);
        socketOut.flush();
    }

    private void forgetFile() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale file names a port nobody answers on: the launcher then runs commands itself
        }
    }

    /** What the launcher sent. */
    record Request(String secret, Path cwd, List<String> args, Map<String, String> vars) {
        static Request read(InputStream in) throws IOException {
            String secret = field(in);
            Path cwd = Path.of(field(in));
            int argc = Integer.parseInt(field(in));
            List<String> args = new ArrayList<>();
            for (int i = 0; i < argc; i++) {
                args.add(field(in));
            }
            int varc = Integer.parseInt(field(in));
            Map<String, String> vars = new LinkedHashMap<>();
            for (int i = 0; i < varc; i++) {
                String v = field(in);
                int eq = v.indexOf('=');
                if (eq > 0) {
                    vars.put(v.substring(0, eq), v.substring(eq + 1));
                }
            }
            if (!cwd.isAbsolute()) {
                throw new IOException("working directory is not absolute");
            }
            return new Request(secret, cwd, List.copyOf(args), Map.copyOf(vars));
        }

        private static String field(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) != 0; ) {
                if (c < 0 || b.size() > MAX_FIELD) {
                    throw new IOException("truncated request");
                }
                b.write(c);
            }
            return b.toString(StandardCharsets.UTF_8);
        }
    }
}
