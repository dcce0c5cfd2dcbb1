package dev.cxpm.cli.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What goes over a {@link Daemon} connection once the handshake is done (the protocol is told in Daemon's comment): the
 * request's NUL-terminated fields in, and out the frames of a command's stderr ({@code ERR <n>}) and stdout ({@code
 * TXT <n>}, {@code OUT <n>}) as it writes them and the {@code DONE} frame that ends the answer.
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
     * The most stdout the daemon holds for a command: past it, what the command wrote goes to the launcher in a frame
     * ({@link Answer}), so a command that prints hundreds of MB (a search --json over huge marketplaces) costs the
     * daemon this much, not four times its output. The launcher forks a {@code head -c} per frame past
     * {@link #STDOUT_WITH_LENGTH}: 256 KiB took a quarter of 64 KiB's CPU for 80 MB (docs/BENCHMARKS.md, "wt-stream").
     */
    static final int STDOUT_CHUNK = 256 * 1024;

    /** {@link Answer}'s mark for no frame being written (a nanoTime may be any long, this one is as good as any). */
    private static final long NOT_SENDING = Long.MIN_VALUE;

    /**
     * The last frame: the exit code, and stdout with its length when bash can read it in one go into a variable (at
     * most {@link #STDOUT_WITH_LENGTH} bytes, none of them NUL), else to the end of the connection (the launcher's cat).
     */
    static byte[] done(int code, byte[] stdout) {
        return frame("DONE " + code, stdout, 0, stdout.length, true);
    }

    /**
     * A frame of a command's stdout sent before the end: {@code TXT <n>} when bash can read its n bytes into a
     * variable (few, no NUL), else {@code OUT <n>}, which the launcher copies with {@code head -c}.
     */
    static byte[] stdout(byte[] b, int off, int len) {
        return frame(readable(b, off, len) ? "TXT" : "OUT", b, off, len, false);
    }

    private static boolean readable(byte[] b, int off, int len) {
        boolean ok = len <= STDOUT_WITH_LENGTH;
        for (int i = off; ok && i < off + len; i++) {
            ok = b[i] != 0;
        }
        return ok;
    }

    private static byte[] frame(String head, byte[] b, int off, int len, boolean lengthOnlyIfReadable) {
        boolean withLength = !lengthOnlyIfReadable || readable(b, off, len);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(len + 24); // one write: one segment, no wait
        frame.writeBytes((head + (withLength ? " " + len : "") + "\n").getBytes(StandardCharsets.US_ASCII));
        frame.write(b, off, len);
        return frame.toByteArray();
    }

    /**
     * A command's answer on the socket, in the order its output was written: stderr in an {@code ERR <n>} frame at each
     * flush (a progress line is drawn as the work goes) or when {@link #STDOUT_CHUNK} bytes of it are held, stdout held until {@link #STDOUT_CHUNK} bytes or until stderr
     * is sent (what was printed first is shown first, as on a terminal), then {@code DONE}: a command whose stdout is
     * small and writes no stderr after it is answered in one write, as before. A launcher that went away (Ctrl-C, a
     * reader of its stdout that closed) must not stop the command half-way: what it can no longer be shown is dropped,
     * and the command runs to its end and frees the daemon for the next.
     */
    static final class Answer {
        /** The connection's stream: closing it closes the connection, from any thread ({@link #giveUpIfStalled}). */
        private final OutputStream socket;
        /** When the frame being written began ({@link System#nanoTime}), while one is; else {@link #NOT_SENDING}. */
        private volatile long sendingSince = NOT_SENDING;
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private boolean gone;
        /** The most stdout or stderr held at once, for tests. */
        private int mostHeld;
        final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writeStdout(b, off, len);
            }
        };
        final OutputStream err = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writeStderr(b, off, len);
            }

            @Override
            public void flush() {
                flushStderr();
            }
        };

        Answer(OutputStream socket) {
            this.socket = socket;
        }

        /**
         * Gives up a launcher that has taken nothing of a frame for longer than limit (a pager paused and left): closes
         * the connection, so the blocked write fails, the rest of the output is dropped and the command runs to its end
         * for nobody, freeing the daemon. A reader that reads on, however slowly, keeps it. Not synchronized: the
         * thread blocked in the write holds the answer's lock. True when it gave up.
         */
        boolean giveUpIfStalled(long now, Duration limit) {
            long since = sendingSince;
            if (since == NOT_SENDING || now - since <= limit.toNanos()) {
                return false;
            }
            try {
                socket.close(); // a socket's stream closes the socket, which fails the write blocked on it
            } catch (IOException e) {
                // closed all the same
            }
            return true;
        }

        private synchronized void writeStdout(byte[] b, int off, int len) {
            while (len > 0) {
                int n = Math.min(len, STDOUT_CHUNK - stdout.size());
                stdout.write(b, off, n);
                mostHeld = Math.max(mostHeld, stdout.size());
                off += n;
                len -= n;
                if (stdout.size() == STDOUT_CHUNK) {
                    sendStdout();
                }
            }
        }

        /** Held until flushed, or sent when a chunk is held: one message of megabytes is not held whole. */
        private synchronized void writeStderr(byte[] b, int off, int len) {
            while (len > 0) {
                int n = Math.min(len, STDOUT_CHUNK - stderr.size());
                stderr.write(b, off, n);
                mostHeld = Math.max(mostHeld, stderr.size());
                off += n;
                len -= n;
                if (stderr.size() == STDOUT_CHUNK) {
                    flushStderr();
                }
            }
        }

        private synchronized void flushStderr() {
            if (stderr.size() == 0) {
                return;
            }
            sendStdout();
            send(frame("ERR", stderr.toByteArray(), 0, stderr.size(), false));
            stderr.reset();
        }

        private void sendStdout() {
            if (stdout.size() > 0) {
                send(DaemonFrames.stdout(stdout.toByteArray(), 0, stdout.size()));
                stdout.reset();
            }
        }

        /** Ends the answer: what stdout is left goes with the exit code. */
        synchronized void done(int code) {
            flushStderr();
            send(DaemonFrames.done(code, stdout.toByteArray()));
            stdout.reset();
        }

        synchronized int mostHeld() {
            return mostHeld;
        }

        private void send(byte[] frame) {
            if (gone) {
                return;
            }
            sendingSince = System.nanoTime();
            try {
                socket.write(frame);
                socket.flush();
            } catch (IOException e) {
                gone = true;
            } finally {
                sendingSince = NOT_SENDING;
            }
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
