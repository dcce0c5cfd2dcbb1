package dev.cxpm.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.semver4j.Semver;
import org.semver4j.range.RangeList;
import org.semver4j.range.RangeListFactory;

class VersionRangeTest {
    private static final List<String> VERSIONS = List.of("0.0.0", "0.0.1", "0.9.9", "1.0.0-0", "1.0.0-beta.1", "1.0.0", "1.0.1",
            "1.2.0", "1.2.2", "1.2.3-rc.1", "1.2.3", "1.2.4", "1.3.0", "1.99.0", "2.0.0-0", "2.0.0-alpha", "2.0.0", "2.0.1",
            "3.0.0", "10.0.0", "10.1.0", "11.0.0", "999999999.0.0");

    /**
     * The ranges parsed without semver4j's parser (the common forms a cold sync meets) mean what its parser makes of
     * them: the same list, and the same answer for every version, pre-releases included; any other text still goes
     * through the parser.
     */
    @Test
    void commonRangesMeanWhatSemver4jsParserMakesOfThem() {
        for (String text : List.of("*", "^1", "^1.2", "^1.2.3", "^2.0.0", "^10", "^10.1", "1.2.3", "=1.2.3", "0.0.1", "=10.0.0",
                "^999999999", "^0", "^0.2", "^0.0.3", "^01", "1.2", "^1.2.3.4", "^1.x", "~1.2.3", ">=1 <2", "^1.2.3-beta", "1.2.3 || 2",
                "^1.", "^.1", "=", "^")) {
            RangeList expected;
            try {
                expected = RangeListFactory.create(text);
            } catch (RuntimeException e) {
                expected = null;
            }
            var parsed = VersionRange.parse(text);
            if (expected == null || expected.get().isEmpty()) {
                assertThat(parsed.map(VersionRange::ranges).orElse(null)).as(text).isNull();
                continue;
            }
            assertThat(parsed).as(text).isPresent();
            assertThat(parsed.get().ranges().toString()).as(text).isEqualTo(expected.toString());
            for (String v : VERSIONS) {
                assertThat(parsed.get().includes(PluginVersion.of(v))).as("%s includes %s", text, v)
                        .isEqualTo(expected.isSatisfiedBy(new Semver(v)));
            }
        }
    }
}
