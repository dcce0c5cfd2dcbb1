package dev.cxpm.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Text split as the regular expressions {@code \s} and {@code \r?\n} split it, without compiling one: an expression
 * compiles interpreted on a fresh JVM, in every cold validate, pack and sync that reads a plugin's text.
 */
public final class PlainText {

    private PlainText() {
    }

    /** Whether c is what {@code \s} matches: space, tab, line feed, vertical tab, form feed, carriage return. */
    public static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** As {@code text.replaceAll("\\s+", " ")}. */
    public static String collapseSpaces(String text) {
        StringBuilder b = new StringBuilder(text.length());
        boolean inRun = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean space = isSpace(c);
            if (!space) {
                b.append(c);
            } else if (!inRun) {
                b.append(' ');
            }
            inRun = space;
        }
        return b.toString();
    }

    /** As {@code text.split("\r?\n", -1)}. */
    public static String[] lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            out.add(text.substring(start, nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl));
            start = nl + 1;
        }
        out.add(text.substring(start));
        return out.toArray(String[]::new);
    }

    /**
     * Text from a plugin or a registry made safe for a terminal: control and format characters (escapes, bidi controls)
     * shown as {@code ?}.
     */
    public static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT ? '?' : cp));
        return b.toString();
    }

    /** {@link #printable(String)}, cut to maxChars (and {@code ...}). */
    public static String printable(String text, int maxChars) {
        return printable(text.length() > maxChars ? text.substring(0, maxChars) + "..." : text);
    }
}
