package dev.cxpm.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.semver4j.Semver;

/** A plain MAJOR.MINOR.PATCH read as numbers means what semver4j makes of it: SemVer or not, and the same order. */
class PluginVersionTest {
    private static final List<String> TEXTS = List.of("0.0.0", "0.0.1", "0.9.9", "1.0.0-0", "1.0.0-beta.1", "1.0.0", "1.0.1", "1.2.0",
            "1.2.3", "1.2.3+build.5", "1.10.0", "1.9.0", "2.0.0", "10.0.0", "9.99.99", "2147483647.0.0", "2147483648.0.0", "99999999999.0.0",
            "01.2.3", "1.02.3", "v1.2.3", "1.2", "1.2.3.4", "1..3", ".1.2", "1.2.", "local", "", " 1.2.3 ", "1.2.3-rc.1", "-1.2.3", "+1.2.3");

    @Test
    void isSemverAndTheOrderAreSemver4jsForEveryText() {
        for (String a : TEXTS) {
            Semver sa = Semver.parse(a.strip());
            PluginVersion va = PluginVersion.of(a);
            assertThat(va.isSemver()).as("%s is SemVer", a).isEqualTo(sa != null);
            assertThat(va.semver()).as("%s read by semver4j", a).isEqualTo(sa);
            for (String b : TEXTS) {
                Semver sb = Semver.parse(b.strip());
                int bySemver = sa == null ? (sb == null ? 0 : -1) : sb == null ? 1 : sa.compareTo(sb);
                int expected = bySemver != 0 ? bySemver : a.strip().compareTo(b.strip());
                assertThat(Integer.signum(va.compareTo(PluginVersion.of(b)))).as("%s against %s", a, b).isEqualTo(Integer.signum(expected));
            }
        }
    }

    /** SemVer's order (spec item 11), the registry's order key's too, where semver4j's compareTo reads digits inside an identifier. */
    @Test
    void preReleaseIdentifiersCompareAsTheSemverSpecSays() {
        List<String> ascending = List.of("1.0.0-1", "1.0.0-9223372036854775807", "1.0.0--1", "1.0.0-a", "1.0.0-a.1", "1.0.0-rc.2",
                "1.0.0-rc.10", "1.0.0-rc10", "1.0.0-rc2", "1.0.0-undef", "1.0.0");
        for (int i = 0; i < ascending.size(); i++) {
            for (int j = 0; j < ascending.size(); j++) {
                assertThat(Integer.signum(PluginVersion.of(ascending.get(i)).compareTo(PluginVersion.of(ascending.get(j)))))
                        .as("%s against %s", ascending.get(i), ascending.get(j)).isEqualTo(Integer.signum(Integer.compare(i, j)));
            }
        }
    }
}
