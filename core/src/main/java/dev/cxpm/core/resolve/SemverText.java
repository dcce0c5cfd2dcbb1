package dev.cxpm.core.resolve;

/**
 * Whether a version is SemVer, with the same answer as semver4j's {@code Semver.parse(s) != null} (its strict pattern,
 * numbers up to Integer.MAX_VALUE), without semver4j: its classes build their patterns with String.format, which
 * loads the JDK's locale data, tens of milliseconds of a cold {@code validate} or {@code install} for one check.
 * Read by hand, not by semver4j's regular expression: compiling one runs interpreted on a fresh JVM (a few ms of a
 * cold {@code validate}). {@code SemverTextTest} holds it to semver4j's answer.
 */
public final class SemverText {
    private SemverText() {
    }

    /**
     * semver4j 6's Tokenizers.STRICT: {@code v?MAJOR.MINOR.PATCH(-PRE(.PRE)*)?(+BUILD(.BUILD)*)?}, each number
     * {@code 0|[1-9][0-9]*}, each PRE such a number or {@code [0-9A-Za-z-]+} with a letter or hyphen, each BUILD
     * {@code [0-9A-Za-z-]+}.
     */
    public static boolean isSemver(String version) {
        String s = version.trim();
        int i = s.startsWith("v") ? 1 : 0;
        for (int part = 0; part < 3; part++) {
            if (part > 0) {
                if (i >= s.length() || s.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
            int end = digitsEnd(s, i);
            if (end == i || end - i > 1 && s.charAt(i) == '0' || end - i > 10 || Long.parseLong(s, i, end, 10) > Integer.MAX_VALUE) {
                return false;
            }
            i = end;
        }
        if (i < s.length() && s.charAt(i) == '-') {
            i = identifiers(s, i + 1, true);
            if (i < 0) {
                return false;
            }
        }
        if (i < s.length() && s.charAt(i) == '+') {
            i = identifiers(s, i + 1, false);
            if (i < 0) {
                return false;
            }
        }
        return i == s.length();
    }

    /**
     * Where the dot-separated identifiers from i end, or -1 when one is empty (or, pre-release, a number with a leading 0).
     * A range's versions ({@link RangeGrammar}) are read with it too.
     */
    static int identifiers(String s, int i, boolean preRelease) {
        while (true) {
            int start = i;
            boolean letter = false;
            while (i < s.length() && isIdentifierChar(s.charAt(i))) {
                letter |= !isDigit(s.charAt(i));
                i++;
            }
            if (i == start || preRelease && !letter && i - start > 1 && s.charAt(start) == '0') {
                return -1;
            }
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
            } else {
                return i;
            }
        }
    }

    static int digitsEnd(String s, int i) {
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Whether s[from, to) is all ASCII digits (true when empty). */
    static boolean isDigits(String s, int from, int to) {
        return digitsEnd(s, from) >= to;
    }

    private static boolean isIdentifierChar(char c) {
        return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-';
    }
}
