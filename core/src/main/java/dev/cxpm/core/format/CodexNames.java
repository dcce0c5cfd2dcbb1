package dev.cxpm.core.format;

import java.util.regex.Pattern;

/**
 * The characters the real Codex CLI allows in names and versions (SPEC.md §3 and §4), defined once for the
 * format readers, the validator, install, init, cxpm.toml and the registry: a plugin name is ASCII letters,
 * digits, {@code .}, {@code _} and {@code -}; a marketplace name the same without {@code .}; a version
 * (trimmed) letters, digits, {@code .}, {@code +}, {@code _} and {@code -}.
 */
public final class CodexNames {
    private static final Pattern PLUGIN_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern MARKETPLACE_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9.+_-]+");

    private CodexNames() {
    }

    public static boolean isPluginName(String s) {
        return s != null && PLUGIN_NAME.matcher(s).matches();
    }

    public static boolean isMarketplaceName(String s) {
        return s != null && MARKETPLACE_NAME.matcher(s).matches();
    }

    /** A version text Codex installs under (it is the cache directory's name); SemVer is not required. */
    public static boolean isVersion(String s) {
        return s != null && VERSION.matcher(s).matches();
    }

    /** s with each run of characters a plugin name may not hold replaced by {@code -}, for a hint. */
    public static String asPluginName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]+", "-");
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
