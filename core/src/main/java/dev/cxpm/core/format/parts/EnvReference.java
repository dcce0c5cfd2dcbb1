package dev.cxpm.core.format.parts;

import java.util.ArrayList;
import java.util.List;

/**
 * A reference to the user's environment inside a config value: {@code ${NAME}}, {@code $NAME}, or one with a
 * fallback, {@code ${NAME:-default}} (or {@code ${NAME-default}}), which works without the variable. Parsed in
 * this one place for validate, init and install, so they agree on what a plugin needs from the environment.
 */
public record EnvReference(String name, boolean hasFallback) {

    /**
     * Every reference in value, in order; none for null. Read by hand, as the regular expression
     * {@code \$\{(NAME)([^}]*)}|\$(NAME)} with NAME {@code [A-Za-z_][A-Za-z0-9_]*} finds them (EnvReferenceTest holds it
     * to that): compiling one runs interpreted on a fresh JVM, a few ms of a cold validate, install or sync.
     */
    public static List<EnvReference> in(String value) {
        List<EnvReference> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        int i = 0;
        while (i < value.length()) {
            i = next(value, i, out);
        }
        return out;
    }

    /** True when value takes something from the environment (so it is not a literal). */
    public static boolean any(String value) {
        return !in(value).isEmpty();
    }

    /** The variables value cannot work without, in order, each once. */
    public static List<String> required(String value) {
        List<String> names = new ArrayList<>();
        for (EnvReference r : in(value)) {
            if (!r.hasFallback() && !names.contains(r.name())) {
                names.add(r.name());
            }
        }
        return List.copyOf(names);
    }

    /** Reads the reference at i into out if there is one; returns where to look next. */
    private static int next(String value, int i, List<EnvReference> out) {
        if (value.charAt(i) != '$') {
            return i + 1;
        }
        if (i + 1 < value.length() && value.charAt(i + 1) == '{') {
            int end = nameEnd(value, i + 2);
            int close = value.indexOf('}', end);
            if (end > i + 2 && close >= 0) {
                String rest = value.substring(end, close);
                out.add(new EnvReference(value.substring(i + 2, end), rest.startsWith("-") || rest.startsWith(":-")));
                return close + 1;
            }
            return i + 1;
        }
        int end = nameEnd(value, i + 1);
        if (end > i + 1) {
            out.add(new EnvReference(value.substring(i + 1, end), false));
            return end;
        }
        return i + 1;
    }

    /** The end of the name starting at i ([A-Za-z_][A-Za-z0-9_]*), i when there is none. */
    private static int nameEnd(String value, int i) {
        if (i >= value.length() || !(letter(value.charAt(i)) || value.charAt(i) == '_')) {
            return i;
        }
        int j = i + 1;
        while (j < value.length() && (letter(value.charAt(j)) || value.charAt(j) == '_' || value.charAt(j) >= '0' && value.charAt(j) <= '9')) {
            j++;
        }
        return j;
    }

    private static boolean letter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
}
