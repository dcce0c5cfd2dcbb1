package dev.cxpm.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Range texts come from cxpm.toml, manifests, the lockfile and registry answers: any length, any content. Each is read
 * in one pass or refused with the reason. On integ (semver4j's parser) a 200 KB hyphen range of spaces ran for more
 * than 5 minutes, 100,000 `||` sets took 6.6 s and 450 MB, a pre-release number past a long threw
 * NumberFormatException from a match, and a comparator it could not read was dropped in silence ({@code 1 !} was
 * {@code 1}).
 */
class VersionRangeLimitsTest {

    @Test
    void aRangeLongerThanTheLimitIsRefusedWithItsLength() {
        String mb = "1".repeat(1 << 20);
        assertThat(VersionRange.parse(mb)).isEmpty();
        assertThat(VersionRange.problem(mb)).contains("the range is 1048576 characters long, more than the 1024 read");
        String manySets = "1.0.0 || ".repeat(100_000) + "2.0.0";
        assertThat(VersionRange.parse(manySets)).isEmpty();
        assertThat(VersionRange.problem(manySets).orElseThrow()).contains("900005 characters long");
    }

    @Test
    void aRangeWithinTheLimitIsReadWhateverItsShape() {
        String sets = "1.0.0 || ".repeat(113) + "2.0.0";
        assertThat(sets.length()).isLessThanOrEqualTo(VersionRange.MAX_CHARS);
        VersionRange r = VersionRange.parse(sets).orElseThrow();
        assertThat(r.includes(PluginVersion.of("2.0.0"))).isTrue();
        assertThat(r.includes(PluginVersion.of("1.5.0"))).isFalse();
        String spaced = "1" + " ".repeat(500) + "-" + " ".repeat(500) + "2";
        assertThat(VersionRange.parse(spaced).orElseThrow().includes(PluginVersion.of("1.5.0"))).isTrue();
        assertThat(VersionRange.parse(spaced + " x")).isEmpty();
        assertThat(VersionRange.problem(spaced + " x").orElseThrow()).contains("a hyphen range is exactly `A - B`");
        assertThat(VersionRange.problem("1 - 2 - 3").orElseThrow()).contains("a hyphen range is exactly `A - B`");
    }

    @Test
    void aNumberPastWhatAVersionHoldsIsRefused() {
        assertThat(VersionRange.problem("^99999999999999999999")).contains(
                "`^99999999999999999999`: 99999999999999999999 is past 2147483647, the largest number a version holds");
        assertThat(VersionRange.problem(">=1.2147483648")).isPresent();
        assertThat(VersionRange.parse("^2147483647").orElseThrow().includes(PluginVersion.of("2147483647.2147483647.2147483647"))).isTrue();
    }

    @Test
    void whatIsNotAComparatorIsRefusedNotDropped() {
        assertThat(VersionRange.problem("1 !")).contains("`!` is not a version or a comparator such as ^1.2, ~1.2.3, >=1.0.0, 1.x or 1.2.3");
        assertThat(VersionRange.problem("^1.2 garbage")).isPresent();
        assertThat(VersionRange.problem(">=")).contains("`>=` is not followed by a version");
        assertThat(VersionRange.problem("1.2.3 x.y.z")).isPresent();
        // a Codex version that is not SemVer is not refused: it is a range of that version alone
        assertThat(VersionRange.parse("1.x.x.x").orElseThrow().isSemverRange()).isFalse();
        assertThat(VersionRange.problem("[1.0,2.0)")).isPresent(); // semver4j's Ivy ranges are not npm's
    }
}
