package dev.cxpm.core.codexhome;

/**
 * The order in which Codex (0.171.0, measured with its CLI: PluginCacheShownVersionInteropTest) ranks a plugin's version
 * directories to pick the one it shows: two names that are both SemVer as Rust's semver crate reads them compare by that
 * crate's order, any other pair as text (byte by byte). The crate's reading differs from cxpm's {@code PluginVersion} at
 * the edges, so it is written out here: MAJOR, MINOR and PATCH go up to 2^64-1 (not an int), numeric pre-release
 * identifiers have no bound, and build metadata is compared rather than ignored (none ranks lowest; numeric identifiers
 * by value then length, below alphanumeric ones, which compare as text; {@code 1.0.0+10} above {@code 1.0.0+9}).
 * {@code local}, which Codex shows before any other, is the caller's concern.
 * <p>
 * The order is not transitive when SemVer and other names are mixed ({@code 9.0.0 > 5abc} as text, {@code 5abc > 10.0.0}
 * as text, {@code 10.0.0 > 9.0.0} as SemVer): for such a set Codex's pick depends on its directory listing and its sort,
 * and cxpm's may differ.
 */
public final class VersionDirOrder {
    /** The largest MAJOR, MINOR or PATCH the crate reads (u64). */
    private static final String U64_MAX = "18446744073709551615";

    private VersionDirOrder() {
    }

    public static int compare(String a, String b) {
        Semver sa = Semver.parse(a);
        Semver sb = sa == null ? null : Semver.parse(b);
        return sb == null ? a.compareTo(b) : sa.compareTo(sb);
    }

    /** A name split at its SemVer parts; pre and build are empty when absent. */
    private record Semver(String major, String minor, String patch, String pre, String build) implements Comparable<Semver> {

        /** The name read by the SemVer 2.0 grammar with the crate's bounds, or null when it is not SemVer. */
        static Semver parse(String text) {
            int plus = text.indexOf('+');
            String build = plus < 0 ? "" : text.substring(plus + 1);
            String rest = plus < 0 ? text : text.substring(0, plus);
            int dash = rest.indexOf('-');
            String pre = dash < 0 ? "" : rest.substring(dash + 1);
            String core = dash < 0 ? rest : rest.substring(0, dash);
            String[] numbers = core.split("\\.", -1);
            if (numbers.length != 3 || plus >= 0 && !identifiers(build, false) || dash >= 0 && !identifiers(pre, true)) {
                return null;
            }
            for (String n : numbers) {
                if (!isDigits(n) || n.length() > 1 && n.charAt(0) == '0' || compareNumbers(n, U64_MAX) > 0) {
                    return null;
                }
            }
            return new Semver(numbers[0], numbers[1], numbers[2], pre, build);
        }

        /** Dot-separated, non-empty identifiers of [0-9A-Za-z-]; in a pre-release a numeric one has no leading zero. */
        private static boolean identifiers(String text, boolean pre) {
            for (String id : text.split("\\.", -1)) {
                if (id.isEmpty() || pre && id.length() > 1 && id.charAt(0) == '0' && isDigits(id)) {
                    return false;
                }
                for (int i = 0; i < id.length(); i++) {
                    char c = id.charAt(i);
                    if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-')) {
                        return false;
                    }
                }
            }
            return true;
        }

        @Override
        public int compareTo(Semver o) {
            int c = compareNumbers(major, o.major);
            c = c != 0 ? c : compareNumbers(minor, o.minor);
            c = c != 0 ? c : compareNumbers(patch, o.patch);
            if (c != 0) {
                return c;
            }
            if (pre.isEmpty() != o.pre.isEmpty()) {
                return pre.isEmpty() ? 1 : -1; // a release ranks above its pre-releases
            }
            c = compareIdentifiers(pre, o.pre);
            if (c != 0) {
                return c;
            }
            if (build.isEmpty() || o.build.isEmpty()) {
                return Boolean.compare(!build.isEmpty(), !o.build.isEmpty()); // no build metadata ranks lowest
            }
            return compareIdentifiers(build, o.build);
        }

        /**
         * Identifier by identifier: numeric ones by value, then the one with more leading zeros (build metadata only) above;
         * numeric below alphanumeric; alphanumeric as text; a list that is a prefix of the other ranks lower.
         */
        private static int compareIdentifiers(String a, String b) {
            if (a.isEmpty() && b.isEmpty()) {
                return 0;
            }
            String[] x = a.split("\\.", -1);
            String[] y = b.split("\\.", -1);
            for (int i = 0; i < Math.min(x.length, y.length); i++) {
                boolean nx = isDigits(x[i]);
                boolean ny = isDigits(y[i]);
                int c = nx && ny ? compareNumbers(stripZeros(x[i]), stripZeros(y[i])) : nx != ny ? (nx ? -1 : 1) : x[i].compareTo(y[i]);
                c = c != 0 || !(nx && ny) ? c : Integer.compare(x[i].length(), y[i].length());
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.length, y.length);
        }

        private static String stripZeros(String digits) {
            int i = 0;
            while (i < digits.length() && digits.charAt(i) == '0') {
                i++;
            }
            return digits.substring(i);
        }

        /** Two digit strings without leading zeros, by value and without a bound: the longer is the larger. */
        private static int compareNumbers(String a, String b) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }

        private static boolean isDigits(String s) {
            if (s.isEmpty()) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }
    }
}
