package dev.cxpm.core.resolve;

import java.util.Optional;
import org.semver4j.Semver;
import org.semver4j.range.RangeList;
import org.semver4j.range.RangeListFactory;

/**
 * An npm-style version range ({@code ^1.2}, {@code ~1.2.3}, {@code 1.x}, {@code >=1 <2}, {@code 1.2.3},
 * {@code *}). Parsed once; past {@link #parse} a range is known to mean something. Pre-releases match
 * only when the range names one, as in npm.
 */
public record VersionRange(String text, RangeList ranges) {

    private static final int PARSED_LIMIT = 4096;
    private static final java.util.concurrent.ConcurrentHashMap<String, Optional<VersionRange>> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
    public static final VersionRange ANY = parse("*").orElseThrow();

    /**
     * The range, or empty when the text is neither a range semver4j understands nor a plain
     * version text (a non-SemVer version such as {@code local} is a range matching only itself).
     */
    public static Optional<VersionRange> parse(String text) {
        // A project of N plugins writes the same few ranges N times (cxpm.toml, the lockfile, manifests), and
        // semver4j's parse is costly: each distinct text is parsed once. Bounded, as the warm daemon lives long.
        Optional<VersionRange> known = PARSED.get(text);
        if (known != null) {
            return known;
        }
        Optional<VersionRange> parsed = parseOnce(text);
        if (PARSED.size() < PARSED_LIMIT) {
            PARSED.put(text, parsed);
        }
        return parsed;
    }

    private static Optional<VersionRange> parseOnce(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            t = "*";
        }
        try {
            RangeList list = RangeListFactory.create(t);
            if (!list.get().isEmpty()) {
                return Optional.of(new VersionRange(t, list));
            }
        } catch (RuntimeException e) {
            // not a SemVer range: maybe a plain version text below
        }
        return dev.cxpm.core.format.CodexNames.isVersion(t) && Semver.parse(t) == null
                ? Optional.of(new VersionRange(t, null))
                : Optional.empty();
    }

    /** Exactly one version: the range a lockfile or {@code add name@1.2.3} pins. */
    public static VersionRange exactly(PluginVersion v) {
        return v.isSemver() ? parse("=" + v.text()).orElseThrow() : new VersionRange(v.text(), null);
    }

    public boolean includes(PluginVersion v) {
        if (!v.isSemver() || ranges == null) {
            return v.text().equals(text);
        }
        return ranges.isSatisfiedBy(v.semver());
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
