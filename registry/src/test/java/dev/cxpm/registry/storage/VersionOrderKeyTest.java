package dev.cxpm.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.resolve.PluginVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The order key stored with each version ({@link Versions#orderKey}): its byte order must be SemVer's precedence as core
 * reads it ({@link PluginVersion#precedence}: the client's sort, its ranges, the SemVer gate), or a page would list
 * versions in another order than the index document and the client.
 */
class VersionOrderKeyTest {

    /** The SemVer spec's own example list, and neighbours it leaves out, in ascending order. */
    @Test
    void sortsTheSpecsListInItsOrder() {
        List<String> spec = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
                "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.9.0", "1.10.0", "2.0.0-0", "2.0.0-0.a", "2.0.0-1", "2.0.0-a", "2.0.0-a.0", "2.0.0-a-",
                "2.0.0-a0", "2.0.0", "10.0.0", "2147483647.0.0");
        assertThat(spec.stream().sorted(Comparator.comparing(Versions::orderKey)).toList()).containsExactlyElementsOf(spec);
        assertThat(Versions.orderKey("1.0.0+build.7")).isEqualTo(Versions.orderKey("1.0.0"));
    }

    /**
     * On every pair of a generated table (pre-releases of numeric and text identifiers, hyphens, build metadata, a
     * leading v, numbers up to an int and a long, rc2/rc10, undef), the key's byte order is core's precedence.
     */
    @Test
    void keyOrderIsCorePrecedenceOnEveryPair() {
        List<String> versions = new ArrayList<>(List.of("0.0.0", "v0.0.1", "1.0.0-rc1", "1.0.0-rc2", "1.0.0-rc10", "1.0.0-rc.2", "1.0.0-rc.10",
                "1.0.0-undef", "1.0.0-9223372036854775807", "1.0.0-999999999999999999", "1.0.0-1000000000000000000", "1.0.0--", "1.0.0--a",
                "1.0.0-a--", "1.0.0-0", "1.0.0-0+b.1", "1.0.0+b.2", "1.0.0", "2147483647.2147483647.2147483647", "2147483647.2147483647.2147483646-z"));
        Random random = new Random(3);
        String[] parts = {"0", "1", "2", "9", "10", "11", "99", "100", "a", "b", "A", "Z", "alpha", "alpha-1", "a-", "-", "--1", "rc", "rc2",
                "rc10", "x0", "undef", "9223372036854775807", "4294967296"};
        while (versions.size() < 400) {
            versions.add(randomVersion(random, parts));
        }
        List<String> wrong = new ArrayList<>();
        for (String a : versions) {
            PluginVersion va = PluginVersion.of(a);
            assertThat(va.isSemver()).as(a).isTrue();
            for (String b : versions) {
                int byKey = Integer.signum(Versions.orderKey(a).compareTo(Versions.orderKey(b)));
                if (byKey != Integer.signum(va.precedence(PluginVersion.of(b)))) {
                    wrong.add(a + " vs " + b + ": key says " + byKey);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /**
     * The key's count-then-digits rule holds only for numbers without a leading zero and of at most 999 digits
     * ({@link Versions#orderKey}): a version with a leading zero or a number past an int (MAJOR, MINOR, PATCH) or a long
     * (a pre-release identifier) is no version and has no key; the largest that are keep the order.
     */
    @Test
    void keysAreMadeOnlyOfNumbersWithoutLeadingZerosAndOfFewDigits() {
        for (String notAVersion : List.of("1.0.0-01", "1.0.0-rc.00", "01.0.0", "1.00.0", "1.0.00", "2147483648.0.0",
                "1.0.0-9223372036854775808", "1.0.0-" + "9".repeat(1000))) {
            assertThat(Versions.orderKey(notAVersion)).as(notAVersion).isEmpty();
        }
        assertThat(Versions.orderKey("1.0.0-0")).isEqualTo("0011.0010.0010-00010!");
        List<String> largest = List.of("0.0.0-9", "0.0.0-10", "0.0.0-9223372036854775807", "0.0.0", "2147483647.2147483647.2147483647");
        assertThat(largest.stream().sorted(Comparator.comparing(Versions::orderKey)).toList()).containsExactlyElementsOf(largest);
    }

    /** The latest is the highest release, else the highest pre-release; of equal ones the first; what is not a version is skipped. */
    @Test
    void latestIsTheHighestReleaseElseTheHighestPreRelease() {
        assertThat(Versions.latest(List.of("1.0.0-rc10", "1.0.0-rc2", "0.9.0", "0.10.0", "local"))).contains("0.10.0");
        assertThat(Versions.latest(List.of("1.0.0-rc10", "1.0.0-rc2", "local"))).contains("1.0.0-rc2");
        assertThat(Versions.latest(List.of("1.0.0+a", "1.0.0", "1.0.0+b"))).contains("1.0.0+a");
        assertThat(Versions.latest(List.of("local", "1.0.0-99999999999999999999"))).isEmpty();
    }

    private static String randomVersion(Random r, String[] parts) {
        StringBuilder b = new StringBuilder().append(r.nextInt(3)).append('.').append(r.nextInt(12)).append('.').append(r.nextInt(3));
        int ids = r.nextInt(4);
        for (int i = 0; i < ids; i++) {
            b.append(i == 0 ? '-' : '.').append(parts[r.nextInt(parts.length)]);
        }
        return r.nextInt(5) == 0 ? b.append("+b").append(r.nextInt(3)).toString() : b.toString();
    }
}
