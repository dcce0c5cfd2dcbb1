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
 * <p>
 * The ranges nearly every project writes ({@code *}, {@code ^1.2.3}, {@code 1.2.3}) are kept as two plain bounds and
 * matched against plain versions as numbers; semver4j's list is built only when asked for (see {@link PluginVersion}).
 */
public final class VersionRange {

    private static final int PARSED_LIMIT = 4096;
    private static final java.util.concurrent.ConcurrentHashMap<String, Optional<VersionRange>> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
    public static final VersionRange ANY = parse("*").orElseThrow();

    private final String text;
    /** A common range's bounds: at least low, below high (high null: no upper bound); low null when not a common range. */
    private final int[] low;
    private final int[] high;
    private final boolean exact;
    /**
     * semver4j's list: given for an uncommon range, built on first use for a common one; null for a plain version text.
     * Volatile: ranges are shared between threads (the parse cache, sync's pool) and a RangeList is filled after it is made.
     */
    private volatile RangeList ranges;

    private VersionRange(String text, RangeList ranges) {
        this(text, null, null, false, ranges);
    }

    private VersionRange(String text, int[] low, int[] high, boolean exact, RangeList ranges) {
        this.text = text;
        this.low = low;
        this.high = high;
        this.exact = exact;
        this.ranges = ranges;
    }

    public String text() {
        return text;
    }

    /** The range as semver4j's list, or null when the text is a version that is not SemVer (matching only itself). */
    public RangeList ranges() {
        RangeList r = ranges;
        if (r == null && low != null) {
            r = common(text);
            ranges = r;
        }
        return r;
    }

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
        Optional<VersionRange> plain = plainBounds(t);
        if (plain.isPresent()) {
            return plain;
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
     * The common ranges {@link #common} reads ({@code *}, {@code ^1}, {@code ^1.2}, {@code ^1.2.3} with a major above 0,
     * {@code 1.2.3}, {@code =1.2.3}; each number of up to 9 digits, no leading zero), as plain bounds, with no semver4j
     * object made; empty for any other text.
     */
    private static Optional<VersionRange> plainBounds(String t) {
        if (t.equals("*")) {
            return Optional.of(new VersionRange(t, new int[3], null, false, null));
        }
        boolean caret = t.startsWith("^");
        String v = caret || t.startsWith("=") ? t.substring(1) : t;
        int[] parts = new int[3];
        int n = 0;
        int start = 0;
        for (int i = 0; i <= v.length(); i++) {
            if (i < v.length() && v.charAt(i) != '.') {
                if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                    return Optional.empty();
                }
                continue;
            }
            int len = i - start;
            if (n == 3 || len == 0 || len > 9 || len > 1 && v.charAt(start) == '0') {
                return Optional.empty();
            }
            parts[n++] = Integer.parseInt(v, start, i, 10);
            start = i + 1;
        }
        if (caret && parts[0] > 0) {
            return Optional.of(new VersionRange(t, parts, new int[] {parts[0] + 1, 0, 0}, false, null));
        }
        if (!caret && n == 3) {
            return Optional.of(new VersionRange(t, parts, null, true, null));
        }
        return Optional.empty();
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
        int[] p = v.plain();
        if (low != null && p != null) { // no pre-release on either side: numbers decide
            return exact ? PluginVersion.Plain.compare(p, low) == 0
                    : PluginVersion.Plain.compare(p, low) >= 0 && (high == null || PluginVersion.Plain.compare(p, high) < 0);
        }
        RangeList list = ranges();
        if (!v.isSemver() || list == null) {
            return v.text().equals(text);
        }
        return list.isSatisfiedBy(v.semver());
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
