package dev.cxpm.core.pack;

import dev.cxpm.core.PlainText;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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

    private record Rule(Pattern regex, boolean negated, boolean dirOnly) {
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
            if (r.negated == ignored && r.regex.matcher(relPath).matches()) {
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
        String body = toRegex(line);
        String regex = anchored ? body : "(?:.*/)?" + body;
        rules.add(new Rule(Pattern.compile(regex), negated, dirOnly));
    }

    private static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        int n = glob.length();
        for (int i = 0; i < n; i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                boolean doubleStar = i + 1 < n && glob.charAt(i + 1) == '*';
                if (doubleStar) {
                    boolean atSegmentStart = i == 0 || glob.charAt(i - 1) == '/';
                    boolean followedBySlash = i + 2 < n && glob.charAt(i + 2) == '/';
                    boolean atEnd = i + 2 == n;
                    if (atSegmentStart && followedBySlash) {
                        re.append("(?:.*/)?");
                        i += 2;
                    } else if (atSegmentStart && atEnd) {
                        re.append(".*");
                        i += 1;
                    } else {
                        re.append("[^/]*");
                        i += 1;
                    }
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int close = glob.indexOf(']', i + 2);
                if (close < 0) {
                    re.append("\\[");
                } else {
                    String cls = glob.substring(i + 1, close);
                    if (cls.startsWith("!")) {
                        cls = "^" + cls.substring(1);
                    }
                    re.append('[').append(cls.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                    i = close;
                }
            } else if (c == '\\' && i + 1 < n) {
                re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    private static String stripTrailingSpaces(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ' && !(end > 1 && s.charAt(end - 2) == '\\')) {
            end--;
        }
        return s.substring(0, end);
    }
}
