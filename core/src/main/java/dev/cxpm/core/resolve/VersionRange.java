package dev.cxpm.core.resolve;

import java.util.List;
import java.util.Optional;
import org.semver4j.Semver;
import org.semver4j.range.Range;
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
        RangeList common = common(t);
        if (common != null) {
            return Optional.of(new VersionRange(t, common));
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

    /**
     * The ranges nearly every project writes ({@code *}, {@code ^1}, {@code ^1.2}, {@code ^1.2.3} with a major above 0,
     * {@code 1.2.3}, {@code =1.2.3}) as the same list semver4j's parser makes of them (VersionRangeTest compares), or
     * null for any other text. semver4j's parser sets up a tokenizer and a dozen regular expressions on first use: a
     * few ms of a cold sync's interpreted start for the one range such a project has.
     */
    private static RangeList common(String t) {
        if (t.equals("*")) {
            return new RangeList(false).add(List.of(new Range(new Semver("0.0.0"), Range.RangeOperator.GTE)));
        }
        boolean caret = t.startsWith("^");
        String v = caret || t.startsWith("=") ? t.substring(1) : t;
        long[] parts = new long[3];
        int n = 0;
        for (String part : v.split("\\.", -1)) {
            if (n == 3 || part.isEmpty() || part.length() > 9 || part.length() > 1 && part.charAt(0) == '0') {
                return null;
            }
            for (int i = 0; i < part.length(); i++) {
                if (part.charAt(i) < '0' || part.charAt(i) > '9') {
                    return null;
                }
            }
            parts[n++] = Long.parseLong(part);
        }
        if (caret && parts[0] > 0) {
            return new RangeList(false).add(List.of(new Range(new Semver(parts[0] + "." + parts[1] + "." + parts[2]), Range.RangeOperator.GTE),
                    new Range(new Semver((parts[0] + 1) + ".0.0"), Range.RangeOperator.LT)));
        }
        if (!caret && n == 3) {
            return new RangeList(false).add(List.of(new Range(new Semver(v), Range.RangeOperator.EQ)));
        }
        return null;
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
