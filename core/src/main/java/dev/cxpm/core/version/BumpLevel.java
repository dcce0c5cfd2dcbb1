package dev.cxpm.core.version;

import org.semver4j.Semver;

/**
 * How big a version change is, in SemVer's terms, ordered from none to major. {@link #between} reads
 * it off two versions the way npm's caret ranges see it: below 1.0.0 a minor step is breaking
 * ({@code ^0.2.0} does not accept 0.3.0), so it counts as major, and a patch step counts as minor; below 0.1.0
 * every step is breaking ({@code ^0.0.3} accepts 0.0.3 only), so it counts as major.
 */
public enum BumpLevel {
    NONE, PATCH, MINOR, MAJOR;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static BumpLevel between(Semver from, Semver to) {
        if (to.compareTo(from) <= 0) {
            return NONE;
        }
        if (to.getMajor() != from.getMajor()) {
            return MAJOR;
        }
        if (to.getMinor() != from.getMinor()) {
            return from.getMajor() == 0 ? MAJOR : MINOR;
        }
        if (to.getPatch() != from.getPatch()) {
            if (from.getMajor() == 0) {
                return from.getMinor() == 0 ? MAJOR : MINOR;
            }
            return PATCH;
        }
        // Only the pre-release part moved (1.0.0-beta -> 1.0.0, or -beta.1 -> -beta.2): as npm, a patch.
        return PATCH;
    }
}
