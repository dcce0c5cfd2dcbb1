package dev.cxpm.registry.storage;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import dev.cxpm.core.resolve.PluginVersion;
import org.semver4j.Semver;

/** SemVer rules the registry applies: what a valid version is, and which one is the latest. */
public final class Versions {

    private Versions() {
    }

    public static boolean isValid(String version) {
        return PluginVersion.parseSemver(version) != null;
    }

    /**
     * The version without its build metadata ({@code 1.0.0+rebuilt} is {@code 1.0.0}): SemVer gives both the
     * same precedence, so the registry holds at most one of them.
     */
    public static String withoutBuild(String version) {
        int plus = version.indexOf('+');
        return plus < 0 ? version : version.substring(0, plus);
    }

    /** SemVer precedence, read from each side's {@link #orderKey}: never semver4j's compare, which throws on a number past a long. */
    public static final Comparator<String> ORDER = Comparator.comparing(Versions::orderKey);

    /**
     * The version's SemVer precedence as ASCII text whose byte order is {@link #ORDER} (build metadata ignored, as
     * precedence ignores it), stored with each version so the database sorts and pages a plugin's versions. Each
     * number is its digits after their count (fixed width), so 10 sorts after 9; a release ends with {@code ~}, above
     * the {@code -} that starts any pre-release part; a pre-release identifier is {@code 0} and a number (numbers rank
     * lower) or {@code 1} and its text, each followed by {@code #}, the last by {@code !}, both below any character of
     * an identifier, so a shorter list ranks lower. Empty for a string that is not a version (none is stored).
     */
    public static String orderKey(String version) {
        Semver s = PluginVersion.parseSemver(version);
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(40);
        number(b, Integer.toString(s.getMajor())).append('.');
        number(b, Integer.toString(s.getMinor())).append('.');
        number(b, Integer.toString(s.getPatch()));
        if (s.getPreRelease().isEmpty()) {
            return b.append('~').toString();
        }
        b.append('-');
        for (String id : s.getPreRelease()) {
            if (!id.isEmpty() && id.chars().allMatch(c -> c >= '0' && c <= '9')) {
                number(b.append('0'), id);
            } else {
                b.append('1').append(id);
            }
            b.append('#');
        }
        b.setCharAt(b.length() - 1, '!');
        return b.toString();
    }

    private static StringBuilder number(StringBuilder b, String digits) {
        String d = digits.replaceFirst("^0+(?=.)", "");
        return b.append(String.format("%03d", d.length())).append(d);
    }

    /** The highest release among the given versions, or the highest pre-release when there is no release. */
    public static Optional<String> latest(Collection<String> versions) {
        Optional<String> release = versions.stream().filter(Versions::isValid)
                .filter(v -> Semver.parse(v).getPreRelease().isEmpty()).max(ORDER);
        return release.isPresent() ? release : versions.stream().filter(Versions::isValid).max(ORDER);
    }
}
