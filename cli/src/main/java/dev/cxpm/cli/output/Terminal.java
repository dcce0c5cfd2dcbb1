package dev.cxpm.cli.output;

import dev.cxpm.cli.Env;
import dev.cxpm.core.Progress;
import java.io.PrintWriter;

/**
 * The one place that decides what cxpm's stderr may show beyond plain lines, and that prints the
 * {@code error:}, {@code warning:} and {@code hint:} lines every command shares. Colour (error red, warning
 * yellow, hint dim) and the progress line only when the caller's stderr is a terminal (told by {@link Env},
 * so the warm daemon decides as a fresh JVM would), never under {@code --json}. Colour follows the
 * conventions people set once for every tool: {@code NO_COLOR} (no-color.org) turns it off, {@code
 * FORCE_COLOR} or {@code CLICOLOR_FORCE} on in a pipe too ({@code NO_COLOR} wins); {@code TERM=dumb} has none.
 * Progress, as npm's and cargo's, is also off when {@code CI} is set: a CI log is not a terminal to redraw.
 */
public final class Terminal {
    private static final String RED = "\033[1;31m";
    private static final String YELLOW = "\033[1;33m";
    private static final String DIM = "\033[2m";
    private static final String RESET = "\033[0m";

    private final Env env;
    private final boolean colour;
    private final boolean progress;

    private Terminal(Env env, boolean colour, boolean progress) {
        this.env = env;
        this.colour = colour;
        this.progress = progress;
    }

    public static Terminal of(Env env) {
        boolean json = env.stderr() == Env.Stderr.JSON;
        boolean onTerminal = env.stderr() == Env.Stderr.TERMINAL && !"dumb".equals(env.var("TERM"));
        boolean forced = set(env.var("FORCE_COLOR")) || set(env.var("CLICOLOR_FORCE"));
        boolean colour = !json && !nonEmpty(env.var("NO_COLOR")) && (onTerminal || forced);
        return new Terminal(env, colour, onTerminal && !set(env.var("CI")));
    }

    /** Set the way CI systems and these conventions set a flag: anything but empty, {@code 0} or {@code false}. */
    private static boolean set(String value) {
        return nonEmpty(value) && !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    private static boolean nonEmpty(String value) {
        return value != null && !value.isEmpty();
    }

    boolean colour() {
        return colour;
    }

    public void error(String message) {
        line("error:", RED, message);
    }

    /** A bug in cxpm, not the user's doing: worded apart from {@code error:} so that nobody looks for a mistake of theirs. */
    public void internalError(String message) {
        line("internal error:", RED, message);
    }

    public void warning(String message) {
        line("warning:", YELLOW, message);
    }

    public void hint(String hint) {
        PrintWriter err = env.err();
        err.println(colour ? DIM + "hint: " + hint + RESET : "hint: " + hint);
        err.flush();
    }

    private void line(String label, String colourOf, String message) {
        PrintWriter err = env.err();
        err.println((colour ? colourOf + label + RESET : label) + " " + message);
        err.flush();
    }

    /** The progress line on this terminal, or {@link Progress#NONE} where nothing may be drawn. */
    public Progress progress() {
        // the line redraws itself (\r, ESC[K), which the printable stream drops: it writes underneath, its text made printable
        java.io.PrintWriter err = env.err() instanceof PrintableWriter.Out o ? o.raw() : env.err();
        return progress ? new TerminalProgress(err, env.clock(), columns()) : Progress.NONE;
    }

    /** The terminal's width as the shell exports it; 80 when it does not say (a line wider than the terminal cannot be redrawn). */
    private int columns() {
        try {
            int c = Integer.parseInt(env.var("COLUMNS") == null ? "80" : env.var("COLUMNS").strip());
            return c >= 20 && c <= 1000 ? c : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
