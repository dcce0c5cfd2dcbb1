package dev.cxpm.core.resolve;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * The minimum release age resolution applies: the strictest {@code min-release-age} of those that apply (policy,
 * project, user), read against a clock. A version published less than that long ago is held back from new
 * resolution, so a malicious release has time to be noticed and yanked before anyone picks it up.
 *
 * <p>A publish time comes from a registry's answer and is not trusted to be sane: one in the future counts as
 * "just published" (held back for the whole age), so no answer can skip the wait. Versions whose publish time is
 * unknown (local and git marketplaces) are not held back.
 */
public final class ReleaseAge {

    private final Optional<MinReleaseAge> setting;
    private final Clock clock;

    private ReleaseAge(Optional<MinReleaseAge> setting, Clock clock) {
        this.setting = setting;
        this.clock = clock;
    }

    /** No minimum: nothing is held back. */
    public static ReleaseAge none(Clock clock) {
        return new ReleaseAge(Optional.empty(), clock);
    }

    /** The longest of the settings given (an absent one does not count). */
    public static ReleaseAge strictest(Clock clock, Collection<Optional<MinReleaseAge>> settings) {
        // a loop, not Comparator.comparing: its lambda is serializable, so the class-data archive cannot hold it and a
        // cold install spun it at run time (docs/BENCHMARKS.md); the first of equal settings wins, as max() kept it
        Optional<MinReleaseAge> longest = Optional.empty();
        for (Optional<MinReleaseAge> s : settings) {
            if (s.isPresent() && (longest.isEmpty() || s.get().duration().compareTo(longest.get().duration()) > 0)) {
                longest = s;
            }
        }
        return new ReleaseAge(longest, clock);
    }

    /** The setting that decides, for messages and hints. */
    public Optional<MinReleaseAge> setting() {
        return setting;
    }

    /**
     * When a version published at this time may be picked, if that is later than now; empty when it may be picked
     * now (no minimum, old enough, or publish time unknown).
     */
    public Optional<Instant> heldUntil(Optional<Instant> publishedAt) {
        if (setting.isEmpty() || publishedAt.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant published = publishedAt.get().isAfter(now) ? now : publishedAt.get();
        Instant eligible = published.plus(setting.get().duration());
        return eligible.isAfter(now) ? Optional.of(eligible) : Optional.empty();
    }

    /** A moment as messages show it: whole seconds, rounded up (never earlier than the real moment). */
    public static String shown(Instant at) {
        Instant whole = at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return (whole.equals(at) ? whole : whole.plusSeconds(1)).toString();
    }
}
