package dev.cxpm.core.resolve;

import java.util.List;
import java.util.Optional;

/**
 * An npm-style version range ({@code ^1.2}, {@code ~1.2.3}, {@code 1.x}, {@code >=1 <2}, {@code 1.2.3 - 2},
 * {@code 1.2.3}, {@code *}, joined by {@code ||}). Parsed once ({@link RangeGrammar}); past {@link #parse} a range is
 * known to mean something. A version is compared with SemVer's precedence, the order cxpm sorts by
 * ({@link PluginVersion}), and a pre-release matches only when its set names a pre-release of the same
 * MAJOR.MINOR.PATCH, as in npm. A text that is not a range but is a Codex version that is not SemVer (such as
 * {@code local}) is a range matching only itself.
 */
public final class VersionRange {

    /**
     * The longest range read: ranges come from files and registry answers, and each version a resolution tries is
     * matched against every comparator of one. Far above a range written by hand, and it bounds the comparators a range
     * holds to about a thousand.
     */
    public static final int MAX_CHARS = 1024;
    private static final int PARSED_LIMIT = 4096;
    private static final int PARSED_MAX_CHARS = 64;
    private static final java.util.concurrent.ConcurrentHashMap<String, Optional<VersionRange>> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
    public static final VersionRange ANY = parse("*").orElseThrow();

    private final String text;
    /** Its {@code ||} sets, each of bounds that must all hold; null for a plain version text that matches only itself. */
    private final List<List<RangeGrammar.Bound>> sets;

    private VersionRange(String text, List<List<RangeGrammar.Bound>> sets) {
        this.text = text;
        this.sets = sets;
    }

    public String text() {
        return text;
    }

    /** Whether this is a SemVer range, not a version text that is not SemVer (which matches only itself). */
    public boolean isSemverRange() {
        return sets != null;
    }

    /**
     * The range, or empty when the text is neither a range nor a plain version text (a non-SemVer version such as
     * {@code local} is a range matching only itself); {@link #problem} says why.
     */
    public static Optional<VersionRange> parse(String text) {
        // A project of N plugins writes the same few ranges N times (cxpm.toml, the lockfile, manifests): each distinct
        // short text is parsed once. Bounded, as the warm daemon lives long and texts come from outside.
        Optional<VersionRange> known = PARSED.get(text);
        if (known != null) {
            return known;
        }
        Optional<VersionRange> parsed;
        try {
            parsed = Optional.of(read(text));
        } catch (RangeGrammar.Invalid e) {
            parsed = Optional.empty();
        }
        if (text.length() <= PARSED_MAX_CHARS && PARSED.size() < PARSED_LIMIT) {
            PARSED.put(text, parsed);
        }
        return parsed;
    }

    /** Why the text is not a range (for a message that names the file and the fix), empty when it is one. */
    public static Optional<String> problem(String text) {
        try {
            read(text);
            return Optional.empty();
        } catch (RangeGrammar.Invalid e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The text in backquotes for a message, or its start when it is longer than a line. */
    public static String quoted(String text) {
        return text.length() <= 80 ? "`" + text + "`" : "`" + text.substring(0, 60) + "...` (" + text.length() + " characters)";
    }

    private static VersionRange read(String text) throws RangeGrammar.Invalid {
        if (text.length() > MAX_CHARS) {
            throw new RangeGrammar.Invalid("the range is " + text.length() + " characters long, more than the " + MAX_CHARS + " read");
        }
        String t = text.strip();
        try {
            return new VersionRange(t.isEmpty() ? "*" : t, RangeGrammar.parse(t));
        } catch (RangeGrammar.Invalid e) {
            if (dev.cxpm.core.format.CodexNames.isVersion(t) && !t.isEmpty() && !SemverText.isSemver(t)) {
                return new VersionRange(t, null);
            }
            throw e;
        }
    }

    /** Exactly one version: the range a lockfile or {@code add name@1.2.3} pins. */
    public static VersionRange exactly(PluginVersion v) {
        return (v.isSemver() ? parse("=" + v.text()) : Optional.<VersionRange>empty()).orElseGet(() -> new VersionRange(v.text(), null));
    }

    public boolean includes(PluginVersion v) {
        if (sets == null || !v.isSemver()) {
            return v.text().equals(text);
        }
        for (List<RangeGrammar.Bound> set : sets) {
            if (includes(set, v)) {
                return true;
            }
        }
        return false;
    }

    /** node-semver's testSet: every bound holds, and a pre-release only where a bound names one of its MAJOR.MINOR.PATCH. */
    private static boolean includes(List<RangeGrammar.Bound> set, PluginVersion v) {
        for (RangeGrammar.Bound b : set) {
            if (!b.test(v)) {
                return false;
            }
        }
        if (v.preRelease().isEmpty()) {
            return true;
        }
        for (RangeGrammar.Bound b : set) {
            if (b.allowsPreReleasesOf(v)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionRange r && r.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
