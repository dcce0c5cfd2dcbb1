package dev.cxpm.core.resolve;

import java.util.Comparator;
import org.semver4j.Semver;

/**
 * A plugin version as written in its manifest. Most are SemVer; Codex also installs plugins whose
 * version is missing ({@code local}) or not SemVer, so such versions exist too: they sort below every
 * SemVer version and are matched by a range only when the range is that exact text.
 */
public record PluginVersion(String text, Semver semver) implements Comparable<PluginVersion> {

    // written out, not Comparator.comparing: its lambda is serializable, which the class-data archive cannot hold
    private static final Comparator<PluginVersion> ORDER = (a, b) -> {
        int bySemver = a.semver == null ? (b.semver == null ? 0 : -1) : b.semver == null ? 1 : a.semver.compareTo(b.semver);
        return bySemver != 0 ? bySemver : a.text.compareTo(b.text);
    };

    public static PluginVersion of(String text) {
        String t = text.strip();
        return new PluginVersion(t, Semver.parse(t));
    }

    public boolean isSemver() {
        return semver != null;
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
}
