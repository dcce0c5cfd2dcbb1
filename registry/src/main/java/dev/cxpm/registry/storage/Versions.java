package dev.cxpm.registry.storage;

import java.util.Collection;
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

    /**
     * The version's SemVer precedence as ASCII text whose byte order is {@link PluginVersion#precedence}'s (build
     * metadata ignored, as precedence ignores it; VersionOrderKeyTest compares), stored with each version so the database sorts and pages a plugin's versions. Each
     * number is its digits after their count (fixed width), so 10 sorts after 9; a release ends with {@code ~}, above
     * the {@code -} that starts any pre-release part; a pre-release identifier is {@code 0} and a number (numbers rank
     * lower) or {@code 1} and its text, each followed by {@code #}, the last by {@code !}, both below any character of
     * an identifier, so a shorter list ranks lower. Empty for a string that is not a version (none is stored).
     *
     * <p>The count-then-digits rule holds for numbers without a leading zero and of at most 999 digits: so are all a
     * key is made of (VersionOrderKeyTest): MAJOR, MINOR and PATCH are ints, written by Integer.toString (at most 10
     * digits); a numeric pre-release identifier is the text itself, which SemVer's grammar (semver4j's parse) keeps
     * free of leading zeros ({@code 1.0.0-01} is no version) and {@link PluginVersion#parseSemver} within a long (at
     * most 19 digits). {@link #number} asserts both.
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

    /** The digits (no leading zero, at most 999 of them: see {@link #orderKey}) after their count in three digits. */
    private static StringBuilder number(StringBuilder b, String digits) {
        int n = digits.length();
        assert n >= 1 && n <= 999 && (n == 1 || digits.charAt(0) != '0') : digits;
        return b.append((char) ('0' + n / 100)).append((char) ('0' + n / 10 % 10)).append((char) ('0' + n % 10)).append(digits);
    }

    /**
     * The highest release among the given versions, or the highest pre-release when there is no release; of equal ones,
     * the first. Each version's key is built once, not twice per comparison.
     */
    public static Optional<String> latest(Collection<String> versions) {
        String best = null;
        String bestKey = null;
        for (String v : versions) {
            String key = orderKey(v);
            if (key.isEmpty()) {
                continue; // not a version
            }
            boolean release = key.endsWith("~");
            boolean bestRelease = bestKey != null && bestKey.endsWith("~");
            if (best == null || release && !bestRelease || release == bestRelease && key.compareTo(bestKey) > 0) {
                best = v;
                bestKey = key;
            }
        }
        return Optional.ofNullable(best);
    }
}
