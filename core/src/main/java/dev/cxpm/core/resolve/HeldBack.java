package dev.cxpm.core.resolve;

import java.time.Instant;

/** A release new resolution may not pick yet because of {@code rule}; it may from {@code eligibleAt}. */
public record HeldBack(PluginRelease release, Instant eligibleAt, MinReleaseAge rule) {

    /** "2.0.0 (eligible 2026-11-27T22:00:00Z)". */
    public String describe() {
        return release.version() + " (eligible " + ReleaseAge.shown(eligibleAt) + ")";
    }
}
