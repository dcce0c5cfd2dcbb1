package dev.cxpm.core.policy;

import java.util.Objects;

/**
 * A pattern from a policy file: {@code *} stands for any run of characters (slashes and dots included), every
 * other character for itself. Split once when the file is read, so a rule that is kept cannot fail to match later.
 *
 * <p>Matched without a regular expression: the text before the first star must begin the value, the text after the
 * last must end it, and each part between is taken at its first place after the previous one (the leftmost place
 * leaves the most room for the rest, so no other place needs trying). Time is linear in pattern times value, whatever
 * the pattern: compiled to {@code .*a.*a...} as it was, {@code *a*a*...*b} backtracked through every placing of its
 * stars, minutes and more for a policy file anyone can put in a repository. Ignoring case compares code points as
 * {@link java.util.regex.Pattern#CASE_INSENSITIVE} with {@code UNICODE_CASE} did, so every answer is the one it gave.
 */
public final class Glob {

    private final String text;
    private final boolean ignoreCase;
    /** The code points between the stars (one part: no star), each folded when case is ignored. */
    private final int[][] parts;

    private Glob(String text, boolean ignoreCase) {
        this.text = text;
        this.ignoreCase = ignoreCase;
        String[] split = text.split("\\*", -1);
        this.parts = new int[split.length][];
        for (int i = 0; i < split.length; i++) {
            int[] cps = codePoints(split[i]);
            if (ignoreCase) {
                for (int j = 0; j < cps.length; j++) {
                    cps[j] = fold(cps[j]);
                }
            }
            parts[i] = cps;
        }
    }

    public static Glob of(String text, boolean ignoreCase) {
        return new Glob(text, ignoreCase);
    }

    public String text() {
        return text;
    }

    public boolean ignoreCase() {
        return ignoreCase;
    }

    public boolean matches(String value) {
        int[] v = codePoints(value);
        int[] first = parts[0];
        if (parts.length == 1) {
            return first.length == v.length && at(first, v, 0);
        }
        int[] last = parts[parts.length - 1];
        int end = v.length - last.length; // where the last part must start
        if (end < first.length || !at(first, v, 0) || !at(last, v, end)) {
            return false;
        }
        int from = first.length;
        for (int i = 1; i < parts.length - 1; i++) {
            int[] part = parts[i];
            int found = -1;
            for (int start = from; start + part.length <= end; start++) {
                if (at(part, v, start)) {
                    found = start;
                    break;
                }
            }
            if (found < 0) {
                return false;
            }
            from = found + part.length;
        }
        return true;
    }

    /**
     * The code points of s, as {@code s.codePoints().toArray()} gives them (a lone surrogate as itself), by a loop: a
     * policy matches each plugin's name, and a stream per match cost a cold sync of 1,000 plugins ~6 ms.
     */
    private static int[] codePoints(String s) {
        int[] out = new int[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); n++) {
            int cp = s.codePointAt(i);
            out[n] = cp;
            i += Character.charCount(cp);
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** Whether part matches v at start (part fits there: its caller checks). */
    private boolean at(int[] part, int[] v, int start) {
        for (int j = 0; j < part.length; j++) {
            int c = v[start + j];
            if (part[j] != c && !(ignoreCase && part[j] == fold(c))) {
                return false;
            }
        }
        return true;
    }

    /** The case folding java.util.regex applies with CASE_INSENSITIVE and UNICODE_CASE. */
    private static int fold(int c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    /** No wildcard: the pattern is one exact value (what Codex's requirements.toml can hold). */
    public boolean exact() {
        return !text.contains("*");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob g && g.text.equals(text) && g.ignoreCase == ignoreCase;
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, ignoreCase);
    }

    @Override
    public String toString() {
        return text;
    }
}
