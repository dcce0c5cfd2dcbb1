package dev.cxpm.core.format;

import java.util.Optional;

/**
 * The names and versions the real Codex CLI allows (SPEC.md §3 and §4, checked against codex 0.171.0), defined
 * once for the format readers, the validator, install, init, cxpm.toml, cxpm.lock and the registry. Each becomes
 * a directory name ({@code plugins/cache/<marketplace>/<plugin>/<version>/}), so none may be path syntax:
 * a plugin name is ASCII letters, digits, {@code _} and {@code -} in segments separated by single dots (so never
 * {@code .}, {@code ..}, nor a leading or trailing dot); a marketplace name the same without any dot; a version
 * (trimmed) letters, digits, {@code .}, {@code +}, {@code _} and {@code -}, but not {@code .} or {@code ..}.
 * The problem texts are Codex's own messages.
 */
public final class CodexNames {
    private CodexNames() {
    }

    // The classes of characters, checked by hand rather than by regular expressions: every plugin name and version of a
    // project is checked several times per sync, and a matcher is slow until the JIT has compiled it (a cold sync).

    /** An ASCII letter or digit, {@code _} or {@code -}: a marketplace name's characters, a plugin name segment's. */
    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    /** Whether s is non-empty and each of its characters is a name character or one of also. */
    private static boolean allNameChars(String s, String also) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isNameChar(c) && also.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    public static boolean isPluginName(String s) {
        return pluginNameProblem(s).isEmpty();
    }

    /** Why Codex refuses s as a plugin name, in its words; empty when it accepts it. */
    public static Optional<String> pluginNameProblem(String s) {
        if (s == null || s.equals(".") || s.equals("..")) {
            return Optional.of("invalid plugin name: path traversal is not allowed");
        }
        if (!allNameChars(s, ".")) {
            return Optional.of("invalid plugin name: only ASCII letters, digits, `.`, `_`, and `-` are allowed");
        }
        if (s.startsWith(".") || s.endsWith(".") || s.contains("..")) { // segments of name characters between single dots
            return Optional.of("invalid plugin name: dots must separate non-empty name segments");
        }
        return Optional.empty();
    }

    public static boolean isMarketplaceName(String s) {
        return s != null && allNameChars(s, "");
    }

    /** Why Codex refuses s as a marketplace name, in its words; empty when it accepts it. */
    public static Optional<String> marketplaceNameProblem(String s) {
        return isMarketplaceName(s) ? Optional.empty()
                : Optional.of("invalid marketplace name: only ASCII letters, digits, `_`, and `-` are allowed");
    }

    /** A version text Codex installs under (it is the cache directory's name); SemVer is not required. */
    public static boolean isVersion(String s) {
        return versionProblem(s).isEmpty();
    }

    /** Why Codex refuses s (trimmed) as a plugin version, in its words; empty when it accepts it. */
    public static Optional<String> versionProblem(String s) {
        if (s == null || !allNameChars(s, ".+")) {
            return Optional.of("invalid plugin version: only ASCII letters, digits, `.`, `+`, `_`, and `-` are allowed");
        }
        if (s.equals(".") || s.equals("..")) {
            return Optional.of("invalid plugin version: path traversal is not allowed");
        }
        return Optional.empty();
    }

    /** s with each run of characters a plugin name may not hold replaced by {@code -}, for a hint. */
    public static String asPluginName(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("\\.{2,}", ".").replaceAll("^\\.+|\\.+$", "");
        return t.isEmpty() ? "my-plugin" : t;
    }

    /** s with each run of characters a marketplace name may not hold replaced by {@code -}, for a hint. */
    public static String asMarketplaceName(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]+", "-");
    }

    /**
     * A plugin name cxpm itself writes or publishes: a Codex plugin name that also starts with a letter or digit
     * (not a hidden or option-like cache directory) and has at most 64 characters.
     */
    public static boolean isPortablePluginName(String s) {
        return isPluginName(s) && s.length() <= 64 && Character.isLetterOrDigit(s.charAt(0));
    }
}
