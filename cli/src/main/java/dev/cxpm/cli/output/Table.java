package dev.cxpm.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table for human output: columns padded to their widest cell (up to {@link #WIDEST_PADDED}), two spaces apart. */
public final class Table {
    /**
     * The widest a column is padded to: a longer cell is followed by its two spaces only, so a cell from outside (a
     * hand-edited cxpm.lock's version of megabytes) cannot pad every other row to its width, and the output stays
     * linear in what is printed (a real cell, a long path or git URL included, is narrower: tables print as before).
     */
    static final int WIDEST_PADDED = 1024;

    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        rows.add(header);
    }

    public void row(String... cells) {
        rows.add(cells);
    }

    /** Text from elsewhere (a registry's answer) as a cell may show it: no control character, so no terminal escape. */
    public static String printable(String text) {
        return text == null ? "" : TerminalProgress.printable(text);
    }

    public void print(PrintWriter out) {
        print(out, rows);
    }

    /**
     * Prints rows as a table (the first row the header), reading each twice (once to measure, once to print): a caller
     * with 400,000 rows passes a view that makes each row from what it already holds instead of holding them. Plain
     * loops over the list: a lambda here was linked by every cold `list` (the method-handle set-up, ~3 ms).
     */
    public static void print(PrintWriter out, List<String[]> rows) {
        int count = rows.size();
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        for (int n = 0; n < count; n++) {
            String[] r = rows.get(n);
            for (int i = 0; i < cols; i++) {
                if (r[i].length() <= WIDEST_PADDED) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
        }
        for (int n = 0; n < count; n++) {
            String[] r = rows.get(n);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) {
                    sb.append(" ".repeat(Math.max(width[i] - r[i].length(), 0) + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
