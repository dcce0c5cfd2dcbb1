package dev.cxpm.cli.output;

import dev.cxpm.core.Progress;
import dev.cxpm.core.pack.Sizes;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Progress as one line at the bottom of a terminal, redrawn in place ({@code \r}, then erase to the end of
 * the line) and erased when the work ends, so that what stays on the screen is exactly what a pipe gets.
 * Work that ends within a second draws nothing at all: most commands are that quick, and a flash of text
 * only distracts. Open steps nest (a download inside {@code [ 3/40] fetching foo@1.2.3}) and share the line.
 * Every text is stripped of control characters before it is drawn: names and a git server's words are
 * untrusted, and an escape sequence in them must not reach the terminal.
 */
final class TerminalProgress implements Progress {
    static final Duration QUIET = Duration.ofSeconds(1);
    private static final Duration REDRAW = Duration.ofMillis(100);

    private final PrintWriter err;
    private final Clock clock;
    private final int columns;
    private final List<Open> open = new ArrayList<>();
    private Instant drawnAt;

    TerminalProgress(PrintWriter err, Clock clock, int columns) {
        this.err = err;
        this.clock = clock;
        this.columns = columns;
    }

    @Override
    public synchronized Step begin(String what) {
        Open step = new Open(printable(what), clock.instant());
        open.add(step);
        return step;
    }

    private synchronized void changed() {
        Instant now = clock.instant();
        if (open.isEmpty() || Duration.between(open.get(0).started, now).compareTo(QUIET) < 0) {
            return;
        }
        if (drawnAt != null && Duration.between(drawnAt, now).compareTo(REDRAW) < 0) {
            return; // a redraw per chunk would cost more than the transfer
        }
        StringBuilder line = new StringBuilder();
        for (Open s : open) {
            String text = s.text(now);
            if (!text.isEmpty()) {
                line.append(line.isEmpty() ? "" : " · ").append(text);
            }
        }
        String shown = line.length() < columns ? line.toString() : line.substring(0, columns - 1);
        err.print("\r" + shown + "\033[K");
        err.flush();
        drawnAt = now;
    }

    private synchronized void ended(Open step) {
        if (!open.remove(step)) {
            return;
        }
        if (drawnAt != null && open.isEmpty()) {
            err.print("\r\033[K");
            err.flush();
            drawnAt = null;
        } else if (drawnAt != null) {
            drawnAt = null; // redraw at once without the finished step
            changed();
        }
    }

    /** Control characters (C0, DEL, C1) out: a line on a terminal must not carry escape sequences or move the cursor. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0)) {
                b.appendCodePoint(c);
            } else if (c == '\t') {
                b.append(' ');
            }
        });
        return b.toString().strip();
    }

    private final class Open implements Step {
        private final String what;
        private final Instant started;
        private String detail = "";
        private String item = "";

        Open(String what, Instant started) {
            this.what = what;
            this.started = started;
        }

        String text(Instant now) {
            String head = item.isEmpty() ? what : item;
            return detail.isEmpty() ? head : head + "  " + detail;
        }

        @Override
        public void transferred(long done, long total) {
            synchronized (TerminalProgress.this) {
                double seconds = Math.max(0.001, Duration.between(started, clock.instant()).toNanos() / 1e9);
                detail = Sizes.human(done) + (total > 0 ? " / " + Sizes.human(total) : "")
                        + "  " + Sizes.human((long) (done / seconds)) + "/s";
            }
            changed();
        }

        @Override
        public void status(String text) {
            synchronized (TerminalProgress.this) {
                detail = printable(text);
            }
            changed();
        }

        @Override
        public void item(int n, int count, String what) {
            synchronized (TerminalProgress.this) {
                int width = String.valueOf(count).length();
                item = "[" + " ".repeat(Math.max(0, width - String.valueOf(n).length())) + n + "/" + count + "] " + printable(what);
                detail = "";
            }
            changed();
        }

        @Override
        public void close() {
            ended(this);
        }
    }
}
