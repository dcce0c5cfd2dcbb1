package dev.cxpm.core.resolve;

import java.util.Comparator;
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
        int bySemver;
        if (a.plain != null && b.plain != null) {
            bySemver = Plain.compare(a.plain, b.plain);
        } else {
            Semver sa = a.semver();
            Semver sb = b.semver();
            bySemver = sa == null ? (sb == null ? 0 : -1) : sb == null ? 1 : sa.compareTo(sb);
        }
        return bySemver != 0 ? bySemver : a.text.compareTo(b.text);
    };

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
        return plain != null ? new PluginVersion(t, plain, null) : new PluginVersion(t, null, Semver.parse(t));
    }

    public String text() {
        return text;
    }

    /** semver4j's reading of the version, or null when it is not SemVer. */
    public Semver semver() {
        Semver s = semver;
        if (s == null && plain != null) {
            s = Semver.parse(text);
            semver = s;
        }
        return s;
    }

    /** The three numbers when the version is a plain MAJOR.MINOR.PATCH (no pre-release, no build), else null. */
    int[] plain() {
        return plain;
    }

    public boolean isSemver() {
        return plain != null || semver != null;
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
