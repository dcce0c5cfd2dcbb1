package dev.cxpm.core.policy;

import java.util.regex.Pattern;

/**
 * {@code git@host:path}, the host in group 1. In a class of its own, compiled on first use (a git marketplace's host),
 * not when {@link MarketplaceOrigin} loads: every sync loads that, and a regular expression compiles interpreted on a
 * fresh JVM.
 */
final class ScpLike {
    static final Pattern URL = Pattern.compile("[A-Za-z0-9_.-]+@([^:/\\s]+):.*");

    private ScpLike() {
    }
}
