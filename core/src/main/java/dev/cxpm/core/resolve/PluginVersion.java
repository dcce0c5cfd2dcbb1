package dev.cxpm.core.resolve;

import java.util.Comparator;
import java.util.List;
import org.semver4j.Semver;

/**
 * A plugin version as written in its manifest. Most are SemVer; Codex also installs plugins whose
 * version is missing ({@code local}) or not SemVer, so such versions exist too: they sort below every
 * SemVer version and are matched by a range only when the range is that exact text.
 * <p>
 * A plain {@code MAJOR.MINOR.PATCH} (nearly every version) is read as three numbers and compared as such; semver4j
 * parses it only when asked for {@link #semver()}. Its first use sets up a dozen regular expressions and the JDK's
 * locale data (it formats each version with String.format): tens of ms of a cold {@code sync --frozen} (ColdPathTest).
 */
public final class PluginVersion implements Comparable<PluginVersion> {

    // written out, not Comparator.comparing: its lambda is serializable, which the class-data archive cannot hold
    private static final Comparator<PluginVersion> ORDER = (a, b) -> {
        int c = a.precedence(b);
        return c != 0 ? c : a.text.compareTo(b.text);
    };

    /**
     * SemVer's precedence (spec item 11), which the registry's stored order key and {@link VersionRange} follow too. Not
     * semver4j's compareTo: it ranks {@code rc2} below {@code rc10} (digits inside an identifier read as a number), where
     * SemVer compares such identifiers as ASCII text ({@code rc10} first). Build metadata is ignored.
     */
    static int precedence(Semver a, Semver b) {
        int c = Integer.compare(a.getMajor(), b.getMajor());
        c = c != 0 ? c : Integer.compare(a.getMinor(), b.getMinor());
        c = c != 0 ? c : Integer.compare(a.getPatch(), b.getPatch());
        return c != 0 ? c : comparePreReleases(a.getPreRelease(), b.getPreRelease());
    }

    /**
     * Two pre-release parts by SemVer's rule (an empty one, a release, ranks above any other): numeric identifiers as
     * numbers, of any length (the grammar forbids their leading zeros, so the longer is the larger), below alphanumeric
     * ones, which compare as ASCII text; a shorter list of equal identifiers ranks lower.
     */
    static int comparePreReleases(List<String> pa, List<String> pb) {
        if (pa.isEmpty() || pb.isEmpty()) {
            return Boolean.compare(pa.isEmpty(), pb.isEmpty()); // a release ranks above its pre-releases
        }
        for (int i = 0; i < Math.min(pa.size(), pb.size()); i++) {
            String x = pa.get(i);
            String y = pb.get(i);
            boolean nx = SemverText.isDigits(x, 0, x.length());
            boolean ny = SemverText.isDigits(y, 0, y.length());
            int d = nx && ny ? (x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y))
                    : nx != ny ? (nx ? -1 : 1) : x.compareTo(y);
            if (d != 0) {
                return d;
            }
        }
        return Integer.compare(pa.size(), pb.size());
    }

    private final String text;
    /** The three numbers of a plain version, else null. */
    private final int[] plain;
    /** semver4j's reading: set at once for anything but a plain version, on first use for a plain one (benign race: same value). */
    private Semver semver;

    private PluginVersion(String text, int[] plain, Semver semver) {
        this.text = text;
        this.plain = plain;
        this.semver = semver;
    }

    public static PluginVersion of(String text) {
        String t = text.strip();
        int[] plain = Plain.parse(t);
        return plain != null ? new PluginVersion(t, plain, null) : new PluginVersion(t, null, parseSemver(t));
    }

    /**
     * semver4j's reading of a version, or null when it is not SemVer or {@link #numbersFit its numbers do not fit}:
     * the one way a version from outside (a manifest, a registry's index, npm) becomes a Semver that may be compared.
     */
    public static Semver parseSemver(String text) {
        return text == null || !numbersFit(text) ? null : Semver.parse(text);
    }

    /**
     * Whether each numeric pre-release identifier fits a long (at most 9223372036854775807), the one rule cxpm adds
     * to SemVer's grammar: semver4j reads them as longs when it compares two versions, and throws on a larger one.
     * (MAJOR, MINOR and PATCH are held to an int by semver4j's parse itself.)
     */
    public static boolean numbersFit(String text) {
        return tooLargeNumber(text) == null;
    }

    /** The first numeric pre-release identifier of the text that is past a long, or null when there is none. */
    public static String tooLargeNumber(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            return null;
        }
        int plus = text.indexOf('+', dash);
        int end = plus < 0 ? text.length() : plus;
        for (int start = dash + 1; start <= end; ) {
            int dot = text.indexOf('.', start);
            int stop = dot < 0 || dot > end ? end : dot;
            if (stop - start > 18 && SemverText.isDigits(text, start, stop) && !fitsLong(text, start, stop)) {
                return text.substring(start, stop);
            }
            start = stop + 1;
        }
        return null;
    }

    private static boolean fitsLong(String s, int from, int to) {
        try {
            Long.parseLong(s, from, to, 10);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public String text() {
        return text;
    }

    /** semver4j's reading of the version, or null when it is not SemVer. */
    public Semver semver() {
        Semver s = semver;
        if (s == null && plain != null) {
            s = Semver.parse(text); // a plain version has no pre-release identifiers
            semver = s;
        }
        return s;
    }

    /** The three numbers when the version is a plain MAJOR.MINOR.PATCH (no pre-release, no build), else null. */
    int[] plain() {
        return plain;
    }

    /** MAJOR, MINOR, PATCH and the pre-release identifiers of a SemVer version: what a range compares. */
    int major() {
        return plain != null ? plain[0] : semver.getMajor();
    }

    int minor() {
        return plain != null ? plain[1] : semver.getMinor();
    }

    int patch() {
        return plain != null ? plain[2] : semver.getPatch();
    }

    List<String> preRelease() {
        return plain != null ? List.of() : semver.getPreRelease();
    }

    public boolean isSemver() {
        return plain != null || semver != null;
    }

    /**
     * SemVer's precedence ({@link #precedence(Semver, Semver)}): 0 for versions that differ only in build metadata; a
     * version that is not SemVer ranks below every SemVer one. {@link #compareTo} breaks its ties by the text.
     */
    public int precedence(PluginVersion o) {
        if (plain != null && o.plain != null) {
            return Plain.compare(plain, o.plain);
        }
        Semver sa = semver();
        Semver sb = o.semver();
        return sa == null ? (sb == null ? 0 : -1) : sb == null ? 1 : precedence(sa, sb);
    }

    @Override
    public int compareTo(PluginVersion o) {
        return ORDER.compare(this, o);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluginVersion v && v.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    /** MAJOR.MINOR.PATCH as semver4j's strict pattern reads it: no leading zeros, each number at most Integer.MAX_VALUE. */
    static final class Plain {
        private Plain() {
        }

        static int[] parse(String t) {
            int[] out = new int[3];
            int part = 0;
            int start = 0;
            for (int i = 0; i <= t.length(); i++) {
                if (i < t.length() && t.charAt(i) != '.') {
                    char c = t.charAt(i);
                    if (c < '0' || c > '9') {
                        return null;
                    }
                    continue;
                }
                int len = i - start;
                if (part == 3 || len == 0 || len > 10 || len > 1 && t.charAt(start) == '0') {
                    return null;
                }
                long n = Long.parseLong(t, start, i, 10);
                if (n > Integer.MAX_VALUE) {
                    return null;
                }
                out[part++] = (int) n;
                start = i + 1;
            }
            return part == 3 ? out : null;
        }

        static int compare(int[] a, int[] b) {
            for (int i = 0; i < 3; i++) {
                if (a[i] != b[i]) {
                    return Integer.compare(a[i], b[i]);
                }
            }
            return 0;
        }
    }
}
