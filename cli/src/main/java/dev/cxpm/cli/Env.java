package dev.cxpm.cli;

import dev.cxpm.cli.output.Terminal;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a command takes from outside the process: environment variables, working directory,
 * output streams, the clock, and what the caller's stderr is. Passed in so tests run the real commands
 * in a temp dir (and can say "this is a terminal" without one), and so the warm daemon runs a command
 * exactly as a fresh JVM in the caller's shell would.
 */
public record Env(Map<String, String> vars, Path cwd, PrintWriter out, PrintWriter err, Clock clock, Stderr stderr, Stdin stdin) {

    /**
     * The caller's stdin: whether a person types on it (a terminal), and its lines. A command asks a question (an
     * approval) only on a terminal: a pipe, a file, {@code /dev/null} or the warm daemon (which has no terminal) never
     * gets one, and the command fails with what it would have asked instead.
     */
    public record Stdin(boolean terminal, java.io.BufferedReader lines) {
        /** Not a terminal, nothing to read. */
        public static final Stdin NONE = new Stdin(false, new java.io.BufferedReader(new java.io.StringReader("")));
    }

    /** What the caller's stderr is, which decides whether colour and a progress line may be drawn on it ({@link Terminal}). */
    public enum Stderr {
        /** A terminal a person watches. */
        TERMINAL,
        /** A pipe or a file. */
        OTHER,
        /** The command was asked for {@code --json}: output for a program, nothing decorated whatever the variables say. */
        JSON
    }

    public Env {
        vars = withCallersPath(vars, cwd);
    }

    /** An Env whose stderr is not a terminal, as in tests and pipes. */
    public Env(Map<String, String> vars, Path cwd, PrintWriter out, PrintWriter err, Clock clock) {
        this(vars, cwd, out, err, clock, Stderr.OTHER);
    }

    /** An Env whose stdin is not a terminal (the warm daemon's, a pipe's). */
    public Env(Map<String, String> vars, Path cwd, PrintWriter out, PrintWriter err, Clock clock, Stderr stderr) {
        this(vars, cwd, out, err, clock, stderr, Stdin.NONE);
    }

    /** This environment with its output made safe for a terminal ({@link dev.cxpm.cli.output.PrintableWriter}): human output. */
    Env printable() {
        return new Env(vars, cwd, new dev.cxpm.cli.output.PrintableWriter.Out(out), new dev.cxpm.cli.output.PrintableWriter.Out(err),
                clock, stderr, stdin);
    }

    Env with(Stderr what) {
        return new Env(vars, cwd, out, err, clock, what, stdin);
    }

    /**
     * Relative PATH entries are the caller's directory's, as in their shell: made absolute once here, so
     * that no lookup (git, prerequisites) and no subprocess resolves them against the JVM's directory,
     * which in the warm daemon is not the caller's.
     */
    private static Map<String, String> withCallersPath(Map<String, String> vars, Path cwd) {
        String path = vars.get("PATH");
        if (path == null) {
            return vars;
        }
        List<String> entries = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator, -1)) {
            entries.add(entry.isEmpty() || entry.startsWith("/") ? entry : cwd.resolve(entry).normalize().toString());
        }
        String absolute = String.join(File.pathSeparator, entries);
        if (absolute.equals(path)) {
            return vars;
        }
        Map<String, String> out = new LinkedHashMap<>(vars);
        out.put("PATH", absolute);
        return Collections.unmodifiableMap(out);
    }

    public static Env system() {
        return new Env(System.getenv(), PathNames.processDirectory(),
                new PrintWriter(System.out, true), new PrintWriter(System.err, true), new UtcClock(),
                isTerminal(2) ? Stderr.TERMINAL : Stderr.OTHER,
                new Stdin(isTerminal(0), new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.Charset.defaultCharset()))));
    }

    /**
     * The system clock in UTC, as {@link Clock#systemUTC()}, whose zone is made only when asked for: making
     * {@link ZoneOffset#UTC} sets up the JDK's variable handles (its cache is an AtomicReferenceArray), ~1.5 ms of a
     * cold command that never looks at a zone.
     */
    static final class UtcClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.system(zone);
        }

        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public Instant instant() {
            return Instant.now();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UtcClock;
        }

        @Override
        public int hashCode() {
            return UtcClock.class.hashCode();
        }

        @Override
        public String toString() {
            return "SystemClock[Z]";
        }
    }

    /**
     * Whether one of this process's file descriptors (0: stdin, 2: stderr) is a terminal: the JDK only answers for stdin and stdout together
     * ({@code System.console()}), so ask Linux which file the descriptor is. A pseudo-terminal or a console is a
     * terminal; a pipe, a file or {@code /dev/null} is not.
     */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** A path the user typed, resolved against the working directory. */
    public Path resolve(String userPath) {
        return cwd.resolve(userPath).normalize();
    }

    public String var(String name) {
        return vars.get(name);
    }
}
