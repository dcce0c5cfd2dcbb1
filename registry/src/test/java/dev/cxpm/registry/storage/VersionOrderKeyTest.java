package dev.cxpm.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The order key stored with each version ({@link Versions#orderKey}): its byte order must be the precedence the rest of
 * the registry uses ({@link Versions#ORDER}, semver4j), or a page would list versions in another order than the index
 * document and the SemVer gate. (Identifiers that start with a hyphen are left out: semver4j ranks {@code 1.0.0--a} below
 * {@code 1.0.0-10}, where SemVer ranks text above numbers; the key follows SemVer there.)
 */
class VersionOrderKeyTest {

    /** The key sorts as {@link Versions#ORDER} does, on the SemVer spec's own example list and on random versions. */
    @Test
    void sortsAsSemverPrecedenceOnTheSpecsListAndOnRandomVersions() {
        List<String> spec = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
                "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.9.0", "1.10.0", "2.0.0-0", "2.0.0-0.a", "2.0.0-1", "2.0.0-a", "2.0.0-a.0", "2.0.0-a-",
                "2.0.0-a0", "2.0.0", "10.0.0", "2147483647.0.0");
        assertThat(spec.stream().sorted(Comparator.comparing(Versions::orderKey)).toList()).containsExactlyElementsOf(spec);
        assertThat(Versions.orderKey("1.0.0+build.7")).isEqualTo(Versions.orderKey("1.0.0"));
        Random random = new Random(3);
        String[] parts = {"0", "1", "2", "9", "10", "11", "99", "100", "a", "b", "A", "Z", "alpha", "alpha-1", "a-", "rc", "x0"};
        for (int i = 0; i < 20_000; i++) {
            String a = randomVersion(random, parts);
            String b = randomVersion(random, parts);
            assertThat(Integer.signum(Versions.orderKey(a).compareTo(Versions.orderKey(b)))).as(a + " vs " + b)
                    .isEqualTo(Integer.signum(Versions.ORDER.compare(a, b)));
        }
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
