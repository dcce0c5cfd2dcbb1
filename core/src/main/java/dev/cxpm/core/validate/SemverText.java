package dev.cxpm.core.validate;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a version is SemVer, with the same answer as semver4j's {@code Semver.parse(s) != null} (its strict pattern,
 * numbers up to Integer.MAX_VALUE), without semver4j: its classes build their patterns with String.format, which
 * loads the JDK's locale data, tens of milliseconds of a cold {@code validate} or {@code install} for one check.
 * {@code SemverTextTest} holds it to semver4j's answer.
 */
final class SemverText {
    /** semver4j 6's Tokenizers.STRICT. */
    private static final Pattern STRICT = Pattern.compile("^v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][a-zA-Z0-9-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][a-zA-Z0-9-]*))*))?"
            + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$");
    private static final BigInteger MAX_INT = BigInteger.valueOf(Integer.MAX_VALUE);

    private SemverText() {
    }

    static boolean isSemver(String version) {
        Matcher m = STRICT.matcher(version.trim());
        if (!m.matches()) {
            return false;
        }
        for (int g = 1; g <= 3; g++) {
            if (new BigInteger(m.group(g)).compareTo(MAX_INT) > 0) {
                return false;
            }
        }
        return true;
    }
}
