package dev.cxpm.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What goes over a {@link Daemon} connection once the handshake is done (the protocol is told in Daemon's comment): the
 * request's NUL-terminated fields in, and out the {@code ERR <n>} frames of a command's stderr as it writes them and
 * the {@code DONE} frame that ends the answer.
 */
final class DaemonFrames {
    /** Working directory, arguments and environment together: a shell's are a few KB, the kernel's limit 2 MiB. */
    static final int MAX_REQUEST = 1 << 20;
    /**
     * The most stdout sent with its length, for bash's {@code read -N} (4 KB a read; no fork): past about 64 KB, its
     * copy through bash cost as much as forking cat (docs/BENCHMARKS.md, "wt-proto").
     */
    static final int STDOUT_WITH_LENGTH = 32 * 1024;

    private DaemonFrames() {
    }

    /**
     * The last frame: the exit code, and stdout with its length when bash can read it in one go into a variable (at
     * most {@link #STDOUT_WITH_LENGTH} bytes, none of them NUL), else to the end of the connection (the launcher's cat).
     */
    static byte[] done(int code, byte[] stdout) {
        boolean withLength = stdout.length <= STDOUT_WITH_LENGTH;
        for (int i = 0; withLength && i < stdout.length; i++) {
            withLength = stdout[i] != 0;
        }
        ByteArrayOutputStream done = new ByteArrayOutputStream(stdout.length + 24); // one write: one segment, no wait
        done.writeBytes(("DONE " + code + (withLength ? " " + stdout.length : "") + "\n").getBytes(StandardCharsets.US_ASCII));
        done.writeBytes(stdout);
        return done.toByteArray();
    }

    /**
     * A command's stderr, sent to the launcher in an {@code ERR <n>} frame at each flush. A launcher that went away
     * (Ctrl-C) must not stop the command half-way: what it can no longer be shown is dropped.
     */
    static final class LiveStderr extends OutputStream {
        private final OutputStream socket;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean gone;

        LiveStderr(OutputStream socket) {
            this.socket = socket;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            if (pending.size() == 0) {
                return;
            }
            if (!gone) {
                synchronized (socket) {
                    try {
                        ByteArrayOutputStream frame = new ByteArrayOutputStream(pending.size() + 16);
                        frame.writeBytes(("ERR " + pending.size() + "\n").getBytes(StandardCharsets.US_ASCII));
                        pending.writeTo(frame);
                        frame.writeTo(socket);
                        socket.flush();
                    } catch (IOException e) {
                        gone = true;
                    }
                }
            }
            pending.reset();
        }
    }

    /** What the launcher sent. */
    record Request(String umask, boolean terminal, Path cwd, List<String> args, Map<String, String> vars) {
        static Request read(InputStream in, int maxBytes) throws IOException {
            Fields f = new Fields(in, maxBytes);
            String umask = f.next();
            boolean terminal = f.next().equals("1");
            Path cwd = Path.of(f.next());
            int argc = Integer.parseInt(f.next());
            List<String> args = new ArrayList<>();
            for (int i = 0; i < argc; i++) {
                args.add(f.next());
            }
            int varc = Integer.parseInt(f.next());
            Map<String, String> vars = new LinkedHashMap<>();
            for (int i = 0; i < varc; i++) {
                String v = f.next();
                int eq = v.indexOf('=');
                if (eq > 0) {
                    vars.put(v.substring(0, eq), v.substring(eq + 1));
                }
            }
            if (!cwd.isAbsolute()) {
                throw new IOException("working directory is not absolute");
            }
            return new Request(umask, terminal, cwd, List.copyOf(args), Map.copyOf(vars));
        }
    }

    /** NUL-terminated fields, at most maxBytes of them in all (every field costs at least its NUL). */
    private static final class Fields {
        private final InputStream in;
        private int left;

        Fields(InputStream in, int maxBytes) {
            this.in = in;
            this.left = maxBytes;
        }

        String next() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("truncated request");
                }
                if (--left < 0) {
                    throw new IOException("request larger than " + MAX_REQUEST + " bytes");
                }
                if (c == 0) {
                    return b.toString(StandardCharsets.UTF_8);
                }
                b.write(c);
            }
        }
    }
}
