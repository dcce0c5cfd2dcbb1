package dev.cxpm.core.policy;

import java.util.regex.Pattern;

/**
 * A pattern from a policy file: {@code *} stands for any run of characters (slashes and dots included), every
 * other character for itself. Compiled once when the file is read, so a rule that is kept cannot fail to match later.
 */
public record Glob(String text, boolean ignoreCase, Pattern pattern) {

    public static Glob of(String text, boolean ignoreCase) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String part : text.split("\\*", -1)) {
            parts.add(part.isEmpty() ? "" : Pattern.quote(part));
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return new Glob(text, ignoreCase, Pattern.compile(String.join(".*", parts), flags));
    }

    public boolean matches(String value) {
        return pattern.matcher(value).matches();
    }

    /** No wildcard: the pattern is one exact value (what Codex's requirements.toml can hold). */
    public boolean exact() {
        return !text.contains("*");
    }

    @Override
    public String toString() {
        return text;
    }
}
