package dev.cxpm.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import dev.cxpm.testkit.Mutations;
import org.junit.jupiter.api.Test;
import org.semver4j.Semver;

/** SemverText answers as semver4j does, on hand-picked versions and on many mutated ones. */
class SemverTextTest {
    private static final List<String> VERSIONS = List.of("1.0.0", "v1.0.0", " 1.0.0 ", "1.0", "1", "01.0.0", "1.02.0", "0.0.0",
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7", "1.0.0-x.7.z.92", "1.0.0-01", "1.0.0-alpha..1", "1.0.0+20130313144700",
            "1.0.0-beta+exp.sha.5114f85", "1.0.0+", "1.0.0-", "2147483647.0.0", "2147483648.0.0", "1.99999999999999999999.0",
            "1.0.0-a-b", "1.0.0-é", "١.0.0", "V1.0.0", "1.0.0\n", "1.0.0 x", "", "  ", "x.y.z", "1.0.0-rc.1+build.1");

    @Test
    void theSameAnswerAsSemver4j() {
        String noise = "0123456789.-+vx é\n01a";
        for (String v : VERSIONS) {
            Mutations.of(v, noise, 300, 1, 3, SemverTextTest::same);
        }
    }

    private static void same(String v) {
        assertThat(SemverText.isSemver(v)).as("[%s]", v).isEqualTo(Semver.parse(v) != null);
    }
}
