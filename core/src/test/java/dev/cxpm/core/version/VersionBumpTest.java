package dev.cxpm.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.semver4j.Semver;

class VersionBumpTest {

    // Expected values are what npm's own semver.inc(version, level) returned here (node + npm 11 bundled semver).
    @ParameterizedTest
    @CsvSource({
            "1.2.3, major, 2.0.0", "1.2.3, minor, 1.3.0", "1.2.3, patch, 1.2.4",
            "2.0.0-rc.1, major, 2.0.0", "2.1.0-rc.1, major, 3.0.0",
            "1.3.0-beta, minor, 1.3.0", "1.3.1-beta, minor, 1.4.0",
            "1.2.4-0, patch, 1.2.4", "1.2.3+build.5, patch, 1.2.4",
            "1.2.3, prerelease, 1.2.4-0", "1.2.4-0, prerelease, 1.2.4-1", "1.2.4-beta.1, prerelease, 1.2.4-beta.2",
            "1.2.4-beta, prerelease, 1.2.4-beta.0", "1.2.3, 4.5.6-rc.1, 4.5.6-rc.1"})
    void followsNpmRules(String from, String request, String expected) {
        assertThat(VersionBump.next(new Semver(from), request, null).toString()).isEqualTo(expected);
    }

    @Test
    void preidStartsANamedPrerelease() {
        assertThat(VersionBump.next(new Semver("1.2.3"), "prerelease", "beta").toString()).isEqualTo("1.2.4-beta.0");
        assertThat(VersionBump.next(new Semver("1.2.4-alpha.3"), "prerelease", "beta").toString()).isEqualTo("1.2.4-beta.0");
        assertThat(VersionBump.next(new Semver("1.2.4-beta.3"), "prerelease", "beta").toString()).isEqualTo("1.2.4-beta.4");
    }

    @Test
    void nonsenseRequestsAndVersionsAreRefused() {
        assertThatThrownBy(() -> VersionBump.next(new Semver("1.0.0"), "bigger", null))
                .isInstanceOf(UserError.class).hasMessageContaining("bigger");
        assertThatThrownBy(() -> VersionBump.next(new Semver("1.0.0"), "v2.0.0", null)).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> VersionBump.parse("1.0", "plugin.json")).isInstanceOf(UserError.class)
                .hasMessageContaining("not SemVer");
        assertThatThrownBy(() -> VersionBump.parse("local", "plugin.json")).isInstanceOf(UserError.class);
    }

    @ParameterizedTest
    @CsvSource({"1.2.3, 2.0.0, MAJOR", "1.2.3, 1.3.0, MINOR", "1.2.3, 1.2.4, PATCH", "1.2.3, 1.2.3, NONE",
            "1.2.3, 1.0.0, NONE", "0.2.3, 0.3.0, MAJOR", "0.2.3, 0.2.4, MINOR", "1.0.0-rc.1, 1.0.0, PATCH",
            "0.0.3, 0.0.4, MAJOR"})
    void levelBetweenVersionsFollowsCaretRanges(String from, String to, BumpLevel level) {
        assertThat(BumpLevel.between(new Semver(from), new Semver(to))).isEqualTo(level);
    }
}
