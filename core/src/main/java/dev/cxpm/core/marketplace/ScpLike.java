package dev.cxpm.core.marketplace;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code git@host:path}, a git URL in scp's form: the one pattern that tells a marketplace source is one and finds its
 * host. In a class of its own, compiled on first use (a source with an {@code @}), not when a class every sync loads
 * does: a regular expression compiles interpreted on a fresh JVM.
 */
public final class ScpLike {
    private static final Pattern URL = Pattern.compile("[A-Za-z0-9_.-]+@([^:/\\s]+):(.*)");

    private ScpLike() {
    }

    /** Whether s is such a URL with a path (what a source to clone needs). */
    public static boolean isUrl(String s) {
        Matcher m = URL.matcher(s);
        return m.matches() && !m.group(2).isEmpty();
    }

    /** The host as written, when s is such a URL (its path may be empty). */
    public static Optional<String> host(String s) {
        Matcher m = URL.matcher(s);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
