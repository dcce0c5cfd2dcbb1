package dev.cxpm.cli.daemon;

import static dev.cxpm.cli.daemon.DaemonFrames.MAX_REQUEST;

import dev.cxpm.cli.AotTraining;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.daemon.DaemonFrames.Answer;
import dev.cxpm.cli.daemon.DaemonFrames.Request;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A warm cxpm for the launcher: most of a command's time on a fresh JVM is start-up (picocli's model,
 * Jackson, the JIT; docs/BENCHMARKS.md), so {@code ./cxpm} starts this once in the background and hands
 * it later commands over a socket on 127.0.0.1, as Gradle's daemon does. It runs them with the same
 * {@link Main#run} the tests run, with the caller's working directory and environment, one at a time.
 *
 * <p>Protocol (what the launcher's bash speaks; the launcher's comment weighs it against each attack). Anyone on
 * the machine can connect to 127.0.0.1, and after a daemon dies anyone can take its port, so the daemon file (0600,
 * named {@value DaemonFile#PREFIX}KEY: a launcher of an earlier protocol never reads it) holds two secrets this start
 * picked, a client's and the daemon's: the launcher sends the client secret as a line; the daemon answers the
 * daemon secret as a line to that client alone (compared in constant time; it hangs up on anything else unanswered,
 * having read that one line), within {@link DaemonHandshake#HANDSHAKE}; at most {@link #MAX_HANDSHAKES} connections may be at it at
 * once (more are closed unread, and their launchers run the command in a JVM of their own). The launcher sends
 * nothing else until it has the daemon secret: whoever took a dead daemon's port learns only the client secret of a
 * dead daemon, which no later start accepts. Only then come the request's NUL-terminated fields (umask, whether
 * the caller's stderr is a terminal ({@code 1} or {@code 0}: the daemon has none, and colour and progress
 * depend on it), working directory, argument count, arguments, variable count, {@code NAME=value}
 * variables), at most {@link DaemonFrames#MAX_REQUEST} bytes together. The answer is a line: {@code BUSY}, {@code UMASK} (the
 * caller's differs from the daemon's, which every file it writes would get: a JVM cannot change it per
 * command) or {@code STALE} (its jar was rebuilt, or a dev checkout's sources changed: nothing ran, the launcher
 * builds if need be and runs the command itself), or {@code ACCEPTED}
 * and then, while the command runs, {@code ERR <n>} lines each followed by n bytes of its stderr as it
 * writes them (a progress line is drawn as the work goes, not at the end), {@code TXT <n>} or {@code OUT <n>} lines each
 * followed by n bytes of its stdout, sent at every {@link DaemonFrames#STDOUT_CHUNK} bytes and before stderr that
 * follows it ({@link DaemonFrames.Answer}: the daemon holds at most that much of any output), and once it finished {@code
 * DONE <exit code> <n>} followed by stdout's n bytes when they are few and hold no NUL byte (bash reads them in one
 * go, without a fork: {@link DaemonFrames#done}), else {@code DONE <exit code>} followed by stdout's bytes to the end of the
 * connection. Anything else, and the daemon hangs up. It exits after
 * {@link #IDLE} without a command, or when its jar changes; a launcher that takes nothing of its answer for that long (a
 * pager paused and left) is hung up on, its command running to its end for nobody, so that it cannot hold the daemon.
 */
public final class Daemon {
    static final Duration IDLE = Duration.ofMinutes(10);
    private static final Duration CHECK = Duration.ofSeconds(20);
    /** Connections that have not presented the client secret yet: more are closed unread, so strangers cost little. */
    private static final int MAX_HANDSHAKES = 8;

    private final DaemonFile file;
    private final Path jar;
    /** How long without a command before it exits ({@link #IDLE}), and how often it looks ({@link #CHECK}). */
    private final Duration idle;
    private final Duration check;
    private final String umask;
    private final FileTime jarTime;
    /** A dev checkout's sources, which the daemon checks for the launcher before each command; null for a release. */
    private final CheckoutSources sources;
    /** This start's secrets, and the proof that a connection came from the user's launcher. */
    private final DaemonHandshake secrets = new DaemonHandshake();
    private final Semaphore oneAtATime = new Semaphore(1);
    private final Semaphore handshakes = new Semaphore(MAX_HANDSHAKES);
    private volatile boolean stop;
    /** Closed by a command that found the daemon stale: it exits at once, and frees the lock for the new jar's daemon. */
    private volatile ServerSocket listening;
    /** When a client last presented the client secret: strangers that only connect do not keep the daemon alive. */
    private volatile long lastCommand = System.nanoTime();
    /** The answer of the command running, while one is: given up when its launcher stops reading (a paused pager). */
    private volatile Answer running;
    /** Whether a command ran since the last collection the daemon asked for while idle. */
    private volatile boolean commandsSinceCollection = true;

    private Daemon(DaemonFile file, Path jar, String umask, CheckoutSources sources, Duration idle, Duration check) throws IOException {
        this.file = file;
        this.jar = jar;
        this.idle = idle;
        this.check = check;
        this.umask = umask;
        this.sources = sources;
        this.jarTime = Files.getLastModifiedTime(jar);
    }

    /**
     * args: the daemon file to write ({@code port client-secret daemon-secret}, then {@code sources} when it checks
     * them; named {@value DaemonFile#PREFIX}KEY, or no daemon starts: an earlier launcher would not understand it), the jar the
     * launcher runs, the umask it runs with, and for a dev checkout its root, whose sources it checks before each
     * command as the launcher's {@code stale()} would: a launcher that reads {@code sources} in the file leaves it that. The file's directory is the launcher's per-user one (not under HOME, so one daemon per user and
     * checkout): it must be this user's, mode 0700 and not a link, or no daemon starts and every command runs in its own JVM.
     */
    public static void main(String[] args) throws IOException {
        serve(args, IDLE, CHECK);
    }

    /** As {@link #main}, with the time without a command after which it exits and how often it looks (a test's: seconds). */
    static void serve(String[] args, Duration idle, Duration check) throws IOException {
        DaemonFile file = DaemonFile.at(Path.of(args[0]));
        if (file == null) {
            return;
        }
        try (FileChannel lockFile = FileChannel.open(file.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                return; // another daemon for this checkout is starting or running
            }
            Daemon daemon = new Daemon(file, Path.of(args[1]), args[2], args.length > 3 ? new CheckoutSources(Path.of(args[3])) : null,
                    idle, check);
            Runtime.getRuntime().addShutdownHook(new Thread(file::forget)); // SIGTERM: no file naming a dead port
            daemon.serve();
        }
    }

    private void serve() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            listening = server;
            warmUp(server);
            if (stop) {
                return; // stale already
            }
            writeFile(server.getLocalPort());
            server.setSoTimeout((int) check.toMillis());
            while (!stop) {
                giveUpStalledReader();
                Socket socket;
                try {
                    socket = server.accept();
                } catch (SocketException closed) {
                    if (stop) {
                        break; // found stale by a command
                    }
                    throw closed;
                } catch (SocketTimeoutException quiet) {
                    if (commandsSinceCollection) {
                        // The serial collector gives memory back to the system only after a full collection, and an
                        // idle daemon would never run one: so it runs one itself once commands have stopped coming.
                        commandsSinceCollection = false;
                        System.gc();
                    }
                    boolean idled = System.nanoTime() - lastCommand > idle.toNanos() && oneAtATime.availablePermits() == 1;
                    if (idled || !Files.getLastModifiedTime(jar).equals(jarTime)) {
                        break; // idle, or rebuilt: the launcher starts a daemon of the new jar
                    }
                    if (file.dropped()) {
                        // a launcher that got no answer (say, while strangers held every handshake) dropped it
                        writeFile(server.getLocalPort());
                    }
                    continue;
                }
                if (!handshakes.tryAcquire()) {
                    socket.close(); // the launcher that gets this runs its command in a JVM of its own
                    continue;
                }
                Thread.ofVirtual().start(() -> answer(socket));
            }
            // No more commands (launchers run theirs in a JVM of their own meanwhile); the one running, if any, is let
            // finish: its thread does not keep the JVM alive, and the JVM's exit would stop it half-way
            server.close();
            file.forget();
            awaitRunning();
        } finally {
            file.forget();
        }
    }

    /** Returns once no command runs (none can start: the daemon no longer listens), giving up a reader that stalls. */
    private void awaitRunning() {
        try {
            while (!oneAtATime.tryAcquire(check.toMillis(), TimeUnit.MILLISECONDS)) {
                giveUpStalledReader();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A daemon that announced itself cold would answer its first commands at a fresh JVM's pace: so the everyday
     * commands run once first, in a temp dir, and then one request comes over the socket as the launcher sends it
     * (virtual thread, handshake, request, answer), before the launcher learns the port.
     */
    private void warmUp(ServerSocket server) throws IOException {
        AotTraining.train();
        Thread caller = Thread.ofVirtual().start(() -> {
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                 InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                out.write(secrets.clientSecret);
                out.flush();
                in.readNBytes(DaemonHandshake.SECRET_LINE);
                String request = String.join("\0", umask, "0", "/", "1", "--version", "0") + "\0"; // umask, not a terminal, cwd, argc, args, no variables
                out.write(request.getBytes(StandardCharsets.UTF_8));
                out.flush();
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // a warm-up that failed leaves the daemon as cold as before, no worse
            }
        });
        server.setSoTimeout((int) DaemonHandshake.HANDSHAKE.toMillis());
        try {
            handshakes.acquireUninterruptibly();
            answer(server.accept());
            caller.join(DaemonHandshake.HANDSHAKE.toMillis());
        } catch (SocketTimeoutException | InterruptedException e) {
            // as above
        }
        lastCommand = System.nanoTime();
    }

    /**
     * A launcher that has read nothing of its command's output for the idle time (`cxpm search x | less`, paused and
     * left) is given up, as a caller gone (the command runs to its end for nobody), so that it holds the daemon, which
     * runs one command at a time and exits only between commands, no longer than idleness would. Until then the command
     * waits for its reader, as git waits for a paused pager, and other commands run in a JVM of their own (BUSY).
     */
    private void giveUpStalledReader() {
        Answer a = running;
        if (a != null) {
            a.giveUpIfStalled(System.nanoTime(), idle);
        }
    }

    private void writeFile(int port) throws IOException {
        file.write(port, secrets, sources != null);
    }

    private void answer(Socket socket) {
        boolean ran = false;
        try (socket; InputStream raw = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            // Each answer goes out as it is written: with Nagle's algorithm a frame written while the launcher had not
            // yet acknowledged the one before waited for its delayed ACK, 40 ms on Linux, on every command.
            socket.setTcpNoDelay(true);
            boolean proved;
            try {
                proved = secrets.proved(socket, raw, out);
            } finally {
                handshakes.release();
            }
            if (!proved) {
                return; // not the user's launcher: say nothing more
            }
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis()); // the request comes at once; the command itself is not timed
            lastCommand = System.nanoTime();
            commandsSinceCollection = true;
            // Checked now, while the launcher, which has just had the daemon secret, makes and sends its request: the
            // sources as they are after the command was typed (the connection came from it), in less waiting time.
            boolean stale = !Files.getLastModifiedTime(jar).equals(jarTime) || sources != null && sources.newerThan(jarTime);
            Request request = Request.read(new BufferedInputStream(raw), MAX_REQUEST);
            if (stale) {
                // rebuilt, or to be: the launcher builds if need be and runs the command itself
                out.write("STALE\n".getBytes(StandardCharsets.US_ASCII));
                stop = true;
                file.forget();
                listening.close();
                return;
            }
            if (!request.umask().equals(umask)) {
                out.write("UMASK\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (!oneAtATime.tryAcquire()) {
                out.write("BUSY\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            try {
                out.write("ACCEPTED\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Answer answer = new Answer(out);
                running = answer;
                try {
                    run(request, answer);
                    ran = true;
                } finally {
                    running = null;
                }
            } finally {
                oneAtATime.release();
            }
        } catch (IOException | RuntimeException e) {
            // the launcher went away or sent garbage: nothing ran, or the command's own outcome stands
        }
        if (ran) {
            collectIfGrown(); // the answer sent and the connection closed: no launcher waits for it
        }
    }

    /** How much fuller than its last full collection left it the old generation may be after a command. */
    static final long OLD_GROWTH = 32L << 20;

    /**
     * A full collection after a command that left the old generation {@link #OLD_GROWTH} fuller than the last full
     * collection did. The serial collector promotes what outlives a young collection (a large marketplace's bytes, held
     * while its entries are walked, 8 MB each) and, when the old generation is full, grows it before it collects it: so
     * commands over large marketplaces in a row took the heap to its cap (256 MB, 320 MB resident) while 6 MB was live.
     * The daemon's usual commands leave it a few MB fuller, and run none.
     */
    private static void collectIfGrown() {
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            java.lang.management.MemoryUsage afterFull = pool.getCollectionUsage();
            if (pool.getName().equals("Tenured Gen") && afterFull != null && pool.getUsage().getUsed() - afterFull.getUsed() > OLD_GROWTH) {
                System.gc();
                return;
            }
        }
    }

    private static void run(Request request, Answer answer) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(answer.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(answer.err, StandardCharsets.UTF_8), true);
        Env.Stderr caller = request.terminal() ? Env.Stderr.TERMINAL : Env.Stderr.OTHER;
        int code;
        try {
            code = Main.run(new Env(request.vars(), request.cwd(), out, err, Clock.systemUTC(), caller), request.args().toArray(String[]::new));
        } catch (RuntimeException | Error e) {
            err.println("internal error: " + e + " (this is a bug in cxpm; rerun with --debug for details)");
            code = ExitCodes.INTERNAL;
        }
        out.flush();
        err.flush();
        answer.done(code);
    }
}
