package dev.cxpm.core.marketplace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a git process prints, read from its pipes as it comes and kept in memory no further than a bound: nothing goes
 * to disk (a file in the shared temp dir would outlive a killed JVM, and a hostile remote or repository could fill it),
 * and a stream that talks without end costs neither memory nor disk.
 */
final class GitOutput {

    private GitOutput() {
    }

    /** A chunk of a pipe read at a time. */
    private static final int CHUNK = 8192;

    /**
     * git's stdout, which cxpm reads (a commit, a URL, a few lines): its first {@code max} bytes; one byte more and
     * {@code overflow} runs (the caller ends git: what follows is not read) and {@link #overflowed} says so.
     */
    static final class Stdout {
        private final int max;
        private final Runnable overflow;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile boolean overflowed;
        private volatile long read;

        Stdout(int max, Runnable overflow) {
            this.max = max;
            this.overflow = overflow;
        }

        void drain(InputStream in) throws IOException {
            byte[] buf = new byte[CHUNK];
            for (int n; (n = in.read(buf)) >= 0; ) {
                read += n;
                if (kept.size() + n > max) {
                    overflowed = true;
                    overflow.run();
                    return;
                }
                kept.write(buf, 0, n);
            }
        }

        /** The bytes read so far. */
        long read() {
            return read;
        }

        boolean overflowed() {
            return overflowed;
        }

        byte[] bytes() {
            return kept.toByteArray();
        }
    }

    /**
     * git's stderr, shown when it fails: its words, no more than {@code max} bytes of them (the rest is read and
     * dropped, so git never blocks on a full pipe). With {@code progress}, git's progress report is kept apart as it
     * comes: its last line is {@link #lastReport}, and the words are what a terminal would have shown without it.
     */
    static final class Stderr {
        /** The longest line of a progress report kept: a report line is short, a longer one is cut. */
        private static final int MAX_LINE = 4096;

        private final int max;
        private final boolean progress;
        private final ByteArrayOutputStream words = new ByteArrayOutputStream();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private boolean cut;
        private volatile String lastReport;
        private volatile long read;

        Stderr(int max, boolean progress) {
            this.max = max;
            this.progress = progress;
        }

        void drain(InputStream in) throws IOException {
            byte[] buf = new byte[CHUNK];
            for (int n; (n = in.read(buf)) >= 0; ) {
                read += n;
                if (progress) {
                    for (int i = 0; i < n; i++) {
                        take(buf[i]);
                    }
                } else {
                    keep(buf, 0, n);
                }
            }
            if (progress) {
                endLine(); // the last line, unended, is shown as a terminal would
            }
        }

        /**
         * git redraws a report line by ending it with \r, so a line ended by \r is progress, and one ended by \n a
         * message: what a terminal shows of it is what followed its last \r, left out when it is a progress line too.
         */
        private void take(byte b) {
            if (b == '\r') {
                String report = text(line).strip();
                if (!report.isEmpty()) {
                    lastReport = report;
                }
                line.reset();
            } else if (b == '\n') {
                endLine();
            } else if (line.size() < MAX_LINE) {
                line.write(b);
            }
        }

        private void endLine() {
            String shown = text(line);
            line.reset();
            if (!Patterns.PROGRESS.matcher(shown.strip()).matches()) {
                byte[] kept = (shown.stripTrailing() + "\n").getBytes(StandardCharsets.UTF_8);
                keep(kept, 0, kept.length);
            }
        }

        private void keep(byte[] b, int off, int n) {
            int room = max - words.size();
            if (n > room) {
                cut = true;
            }
            words.write(b, off, Math.max(0, Math.min(n, room)));
        }

        /** The bytes read so far, kept or not. */
        long read() {
            return read;
        }

        /** The last line of git's progress report so far, if it reported any. */
        Optional<String> lastReport() {
            return Optional.ofNullable(lastReport);
        }

        /** What git said, stripped; marked when it said more than was kept. */
        String words() {
            String text = text(words).strip();
            return cut ? text + "\n[git said more, not shown]" : text;
        }

        private static String text(ByteArrayOutputStream b) {
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    /** Compiled on first use, not when the class loads: only a watched clone or fetch needs it. */
    private static final class Patterns {
        /**
         * What git prints with {@code --progress} and not with {@code --quiet} ({@code Receiving objects:  45% (450/1000)},
         * {@code remote: Enumerating objects: 3, done.}, {@code remote: Total 3 ...}, {@code Cloning into ...}): not an error's words.
         */
        static final Pattern PROGRESS = Pattern.compile(
                "^(remote: )?([^:]{1,60}: +(\\d{1,3}% .*|\\d+(, done\\.)?)|Total \\d+ .*|Cloning into .*)$");
    }
}
