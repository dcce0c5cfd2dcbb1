package dev.cxpm.cli.output;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * What cxpm prints for people, made safe for a terminal in one place: text from outside (a plugin's name or description
 * quoted by {@code validate}, a marketplace's description shown by {@code search} and {@code info}, a path) may carry
 * terminal controls that retitle the window, clear the screen, write the clipboard (OSC 52) or reorder what is shown
 * (bidirectional overrides). Control characters other than newline and tab, DEL, C1 controls and the bidirectional
 * controls are dropped; the only escape sequences that pass are cxpm's own colours and the progress line's erase
 * ({@link Terminal}). The progress line, which redraws itself with a carriage return, writes to the stream underneath
 * ({@link Out#raw}), having made its own text printable. Not for {@code --json} output, whose strings are escaped by
 * the JSON writer and are data.
 */
public final class PrintableWriter extends FilterWriter {
    /** The sequences cxpm itself writes on stderr: colours and their reset. */
    private static final List<String> OWN = List.of("\033[1;31m", "\033[1;33m", "\033[2m", "\033[0m");

    private final StringBuilder pending = new StringBuilder();

    private PrintableWriter(Writer out) {
        super(out);
    }

    /** A stream of output for people, printable as this class says, and the stream it writes to. */
    public static final class Out extends java.io.PrintWriter {
        private final java.io.PrintWriter raw;

        public Out(java.io.PrintWriter raw) {
            super(new PrintableWriter(raw), true);
            this.raw = raw;
        }

        /** The stream underneath, for what cxpm draws itself from text already made printable (the progress line). */
        public java.io.PrintWriter raw() {
            return raw;
        }
    }

    /** Whether a character of text from outside may reach a terminal as it is. */
    static boolean printable(int c) {
        return c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0) && !bidi(c));
    }

    /** The characters that reorder what a terminal shows (Trojan Source): embeddings, overrides, isolates and marks. */
    static boolean bidi(int c) {
        return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c;
    }

    @Override
    public void write(int c) throws IOException {
        if (!pending.isEmpty() || c == 0x1b) {
            pending.append((char) c);
            settle();
        } else if (printable(c)) {
            out.write(c);
        }
    }

    private void settle() throws IOException {
        String p = pending.toString();
        if (OWN.contains(p)) {
            pending.setLength(0);
            out.write(p);
            return;
        }
        for (String own : OWN) {
            if (own.startsWith(p)) {
                return; // one of cxpm's own, so far: wait for the rest
            }
        }
        pending.setLength(0); // not one of cxpm's own: the escape goes, what followed it is ordinary text
        for (int i = 1; i < p.length(); i++) {
            write(p.charAt(i));
        }
    }

    /** As a String: its printable runs written whole, not a character at a time. */
    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        write(new String(cbuf, off, len), 0, len);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        int run = off; // the start of a run of printable characters, written whole
        for (int i = off; i < off + len; i++) {
            char c = str.charAt(i);
            if (!pending.isEmpty() || !printable(c)) {
                out.write(str, run, i - run);
                write(c);
                run = i + 1;
            }
        }
        out.write(str, run, off + len - run);
    }
}
