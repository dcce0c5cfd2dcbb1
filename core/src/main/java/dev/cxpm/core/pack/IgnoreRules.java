package dev.cxpm.core.pack;

import dev.cxpm.core.PlainText;
import java.util.ArrayList;
import java.util.List;

/**
 * The patterns of a {@code .cxpmignore} file, read the way git reads {@code .gitignore}, for the one
 * file at the plugin root (nested ignore files are not read):
 * <ul>
 * <li>blank lines and lines starting with {@code #} are skipped; {@code \#} and {@code \!} escape;</li>
 * <li>{@code !pattern} re-includes what an earlier pattern excluded; the last matching line wins;</li>
 * <li>a trailing {@code /} matches directories only;</li>
 * <li>a pattern with a {@code /} at the start or in the middle is relative to the plugin root, otherwise
 *     it matches a name at any depth;</li>
 * <li>{@code *} matches within one path segment, {@code ?} one character, {@code [abc]} a class,
 *     {@code **} any number of segments.</li>
 * </ul>
 * As in git, a file inside an excluded directory cannot be re-included (the directory is not entered).
 */
public final class IgnoreRules {

    /** Always prepended: the ignore file itself, cxpm's own state, and archives at the root (old packs). */
    static final List<String> DEFAULTS = List.of("/.cxpmignore", "/.cxpm/", "/*.tgz");

    private record Rule(Glob glob, boolean negated, boolean dirOnly) {
    }

    private final List<Rule> rules;

    /** The defaults alone (a plugin without an ignore file: most), compiled once, not for every plugin a sync packs. */
    private static final IgnoreRules DEFAULT_RULES = defaults();

    private static IgnoreRules defaults() {
        List<Rule> rules = new ArrayList<>();
        for (String line : DEFAULTS) {
            addRule(rules, line);
        }
        return new IgnoreRules(List.copyOf(rules));
    }

    private IgnoreRules(List<Rule> rules) {
        this.rules = rules;
    }

    /** The defaults followed by the lines of an ignore file (null or empty when there is none). */
    public static IgnoreRules parse(String ignoreFileText) {
        if (ignoreFileText == null) {
            return DEFAULT_RULES;
        }
        List<Rule> rules = new ArrayList<>(DEFAULT_RULES.rules);
        for (String line : PlainText.lines(ignoreFileText)) {
            addRule(rules, line);
        }
        return new IgnoreRules(rules);
    }

    /** Whether {@code relPath} ('/'-separated, relative to the plugin root) is excluded. */
    public boolean ignores(String relPath, boolean isDirectory) {
        boolean ignored = false;
        for (Rule r : rules) {
            if (r.dirOnly && !isDirectory) {
                continue;
            }
            if (r.negated == ignored && r.glob.matches(relPath)) {
                ignored = !r.negated;
            }
        }
        return ignored;
    }

    private static void addRule(List<Rule> rules, String raw) {
        String line = stripTrailingSpaces(raw);
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        boolean negated = false;
        if (line.startsWith("!")) {
            negated = true;
            line = line.substring(1);
        } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
            line = line.substring(1);
        }
        boolean dirOnly = false;
        while (line.endsWith("/")) {
            dirOnly = true;
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            return;
        }
        boolean anchored = line.contains("/");
        if (line.startsWith("/")) {
            line = line.substring(1);
        }
        rules.add(new Rule(Glob.of(line, anchored), negated, dirOnly));
    }

    /**
     * A pattern as a list of steps, matched by simulating all of them at once over the path: time linear in the
     * pattern's length times the path's, whatever the text (a regular expression backtracked for minutes on
     * {@code *a*a*a...*b}, and an author's class such as {@code [z-a]} did not compile). A class git would not match
     * (a range from high to low) matches nothing.
     */
    private record Glob(List<Step> steps) {
        sealed interface Step permits Literal, AnyChar, Chars, Star, AnyDirs, Rest {
        }

        record Literal(char c) implements Step {
        }

        /** {@code ?}: one character of a segment. */
        record AnyChar() implements Step {
        }

        /** {@code [...]}: one character of a segment in (or, negated, not in) the ranges, lo and hi pairs. */
        record Chars(char[] ranges, boolean negated) implements Step {
            boolean has(char c) {
                for (int k = 0; k < ranges.length; k += 2) {
                    if (c >= ranges[k] && c <= ranges[k + 1]) {
                        return !negated;
                    }
                }
                return negated;
            }
        }

        /** {@code *}: any characters of a segment. */
        record Star() implements Step {
        }

        /** {@code **}{@code /} at a segment's start (and what an unanchored pattern starts with): nothing, or any path and a slash. */
        record AnyDirs() implements Step {
        }

        /** {@code **} at the end: anything. */
        record Rest() implements Step {
        }

        static Glob of(String glob, boolean anchored) {
            List<Step> steps = new ArrayList<>();
            if (!anchored) {
                steps.add(new AnyDirs());
            }
            int n = glob.length();
            for (int i = 0; i < n; i++) {
                char c = glob.charAt(i);
                if (c == '*') {
                    boolean doubleStar = i + 1 < n && glob.charAt(i + 1) == '*';
                    boolean atSegmentStart = i == 0 || glob.charAt(i - 1) == '/';
                    if (doubleStar && atSegmentStart && i + 2 < n && glob.charAt(i + 2) == '/') {
                        steps.add(new AnyDirs());
                        i += 2;
                    } else if (doubleStar && atSegmentStart && i + 2 == n) {
                        steps.add(new Rest());
                        i += 1;
                    } else {
                        steps.add(new Star());
                        i += doubleStar ? 1 : 0;
                    }
                } else if (c == '?') {
                    steps.add(new AnyChar());
                } else if (c == '[' && glob.indexOf(']', i + 2) >= 0) {
                    int close = glob.indexOf(']', i + 2);
                    String cls = glob.substring(i + 1, close);
                    boolean negated = cls.startsWith("!") || cls.startsWith("^");
                    steps.add(chars(negated ? cls.substring(1) : cls, negated));
                    i = close;
                } else if (c == '\\' && i + 1 < n) {
                    steps.add(new Literal(glob.charAt(++i)));
                } else {
                    steps.add(new Literal(c));
                }
            }
            return new Glob(List.copyOf(steps));
        }

        /** The characters of a class: single ones, and ranges {@code a-z} (one from high to low holds nothing). */
        private static Chars chars(String cls, boolean negated) {
            StringBuilder ranges = new StringBuilder();
            for (int k = 0; k < cls.length(); k++) {
                char lo = cls.charAt(k);
                if (lo == '\\' && k + 1 < cls.length()) {
                    lo = cls.charAt(++k);
                }
                char hi = lo;
                if (k + 2 < cls.length() && cls.charAt(k + 1) == '-') {
                    hi = cls.charAt(k + 2);
                    k += 2;
                }
                if (lo <= hi) {
                    ranges.append(lo).append(hi);
                }
            }
            return new Chars(ranges.toString().toCharArray(), negated);
        }

        /** Whether the whole path matches: at[j] says whether the steps so far can match the path's first j characters. */
        boolean matches(String path) {
            int n = path.length();
            boolean[] at = new boolean[n + 1];
            at[0] = true;
            for (Step step : steps) {
                boolean[] next = new boolean[n + 1];
                boolean any = false;
                // if/else, not a switch on the step's type: a pattern switch bootstraps SwitchBootstraps on first use, which
                // a cold validate or pack need not set up (ColdPathTest)
                if (step instanceof Literal l) {
                    for (int j = 0; j < n; j++) {
                        next[j + 1] = at[j] && path.charAt(j) == l.c();
                    }
                } else if (step instanceof AnyChar) {
                    for (int j = 0; j < n; j++) {
                        next[j + 1] = at[j] && path.charAt(j) != '/';
                    }
                } else if (step instanceof Chars k) {
                    for (int j = 0; j < n; j++) {
                        next[j + 1] = at[j] && path.charAt(j) != '/' && k.has(path.charAt(j));
                    }
                } else if (step instanceof Star) {
                    for (int j = 0; j <= n; j++) {
                        next[j] = at[j] || (j > 0 && next[j - 1] && path.charAt(j - 1) != '/');
                    }
                } else if (step instanceof AnyDirs) {
                    for (int j = 0; j <= n; j++) {
                        next[j] = at[j] || (any && j > 0 && path.charAt(j - 1) == '/');
                        any |= at[j];
                    }
                } else { // Rest
                    for (int j = 0; j <= n; j++) {
                        any |= at[j];
                        next[j] = any;
                    }
                }
                at = next;
            }
            return at[n];
        }
    }

    private static String stripTrailingSpaces(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ' && !(end > 1 && s.charAt(end - 2) == '\\')) {
            end--;
        }
        return s.substring(0, end);
    }
}
