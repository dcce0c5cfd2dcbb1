package dev.cxpm.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

class VersionRangeTest {

    /**
     * node-semver's own fixtures (test/fixtures/range-include.js and range-exclude.js, ISC), the cases of its strict mode
     * without includePrerelease, which is how cxpm reads ranges; each line is {@code range | version | in or out}.
     */
    private static final String NPM_FIXTURES = """
            1.0.0 - 2.0.0 | 1.2.3 | in
            ^1.2.3+build | 1.2.3 | in
            ^1.2.3+build | 1.3.0 | in
            1.2.3-pre+asdf - 2.4.3-pre+asdf | 1.2.3 | in
            1.2.3-pre+asdf - 2.4.3-pre+asdf | 1.2.3-pre.2 | in
            1.2.3-pre+asdf - 2.4.3-pre+asdf | 2.4.3-alpha | in
            1.2.3+asdf - 2.4.3+asdf | 1.2.3 | in
            1.0.0 | 1.0.0 | in
            >=* | 0.2.4 | in
             | 1.0.0 | in
            * | 1.2.3 | in
            >=1.0.0 | 1.0.0 | in
            >=1.0.0 | 1.0.1 | in
            >=1.0.0 | 1.1.0 | in
            >1.0.0 | 1.0.1 | in
            >1.0.0 | 1.1.0 | in
            <=2.0.0 | 2.0.0 | in
            <=2.0.0 | 1.9999.9999 | in
            <=2.0.0 | 0.2.9 | in
            <2.0.0 | 1.9999.9999 | in
            <2.0.0 | 0.2.9 | in
            >= 1.0.0 | 1.0.0 | in
            >=  1.0.0 | 1.0.1 | in
            >=   1.0.0 | 1.1.0 | in
            > 1.0.0 | 1.0.1 | in
            >  1.0.0 | 1.1.0 | in
            <=   2.0.0 | 2.0.0 | in
            <= 2.0.0 | 1.9999.9999 | in
            <=  2.0.0 | 0.2.9 | in
            <    2.0.0 | 1.9999.9999 | in
            <\t2.0.0 | 0.2.9 | in
            >=0.1.97 | 0.1.97 | in
            0.1.20 || 1.2.4 | 1.2.4 | in
            >=0.2.3 || <0.0.1 | 0.0.0 | in
            >=0.2.3 || <0.0.1 | 0.2.3 | in
            >=0.2.3 || <0.0.1 | 0.2.4 | in
            || | 1.3.4 | in
            2.x.x | 2.1.3 | in
            1.2.x | 1.2.3 | in
            1.2.x || 2.x | 2.1.3 | in
            1.2.x || 2.x | 1.2.3 | in
            x | 1.2.3 | in
            2.*.* | 2.1.3 | in
            1.2.* | 1.2.3 | in
            1.2.* || 2.* | 2.1.3 | in
            1.2.* || 2.* | 1.2.3 | in
            2 | 2.1.2 | in
            2.3 | 2.3.1 | in
            ~0.0.1 | 0.0.1 | in
            ~0.0.1 | 0.0.2 | in
            ~x | 0.0.9 | in
            ~2 | 2.0.9 | in
            ~2.4 | 2.4.0 | in
            ~2.4 | 2.4.5 | in
            ~>3.2.1 | 3.2.2 | in
            ~1 | 1.2.3 | in
            ~>1 | 1.2.3 | in
            ~> 1 | 1.2.3 | in
            ~1.0 | 1.0.2 | in
            ~ 1.0 | 1.0.2 | in
            ~ 1.0.3 | 1.0.12 | in
            >=1 | 1.0.0 | in
            >= 1 | 1.0.0 | in
            <1.2 | 1.1.1 | in
            < 1.2 | 1.1.1 | in
            ~v0.5.4-pre | 0.5.5 | in
            ~v0.5.4-pre | 0.5.4 | in
            =0.7.x | 0.7.2 | in
            <=0.7.x | 0.7.2 | in
            >=0.7.x | 0.7.2 | in
            <=0.7.x | 0.6.2 | in
            ~1.2.1 >=1.2.3 | 1.2.3 | in
            ~1.2.1 =1.2.3 | 1.2.3 | in
            ~1.2.1 1.2.3 | 1.2.3 | in
            ~1.2.1 >=1.2.3 1.2.3 | 1.2.3 | in
            ~1.2.1 1.2.3 >=1.2.3 | 1.2.3 | in
            >=1.2.1 1.2.3 | 1.2.3 | in
            1.2.3 >=1.2.1 | 1.2.3 | in
            >=1.2.3 >=1.2.1 | 1.2.3 | in
            >=1.2.1 >=1.2.3 | 1.2.3 | in
            >=1.2 | 1.2.8 | in
            ^1.2.3 | 1.8.1 | in
            ^0.1.2 | 0.1.2 | in
            ^0.1 | 0.1.2 | in
            ^0.0.1 | 0.0.1 | in
            ^1.2 | 1.4.2 | in
            ^1.2 ^1 | 1.4.2 | in
            ^1.2.3-alpha | 1.2.3-pre | in
            ^1.2.0-alpha | 1.2.0-pre | in
            ^0.0.1-alpha | 0.0.1-beta | in
            ^0.0.1-alpha | 0.0.1 | in
            ^0.1.1-alpha | 0.1.1-beta | in
            ^x | 1.2.3 | in
            x - 1.0.0 | 0.9.7 | in
            x - 1.x | 0.9.7 | in
            1.0.0 - x | 1.9.7 | in
            1.x - x | 1.9.7 | in
            <=7.x | 7.9.9 | in
            1.0.0 - 2.0.0 | 2.2.3 | out
            1.2.3+asdf - 2.4.3+asdf | 1.2.3-pre.2 | out
            1.2.3+asdf - 2.4.3+asdf | 2.4.3-alpha | out
            ^1.2.3+build | 2.0.0 | out
            ^1.2.3+build | 1.2.0 | out
            ^1.2.3 | 1.2.3-pre | out
            ^1.2 | 1.2.0-pre | out
            >1.2 | 1.3.0-beta | out
            <=1.2.3 | 1.2.3-beta | out
            ^1.2.3 | 1.2.3-beta | out
            =0.7.x | 0.7.0-asdf | out
            >=0.7.x | 0.7.0-asdf | out
            1.0.0 | 1.0.1 | out
            >=1.0.0 | 0.0.0 | out
            >=1.0.0 | 0.0.1 | out
            >=1.0.0 | 0.1.0 | out
            >1.0.0 | 0.0.1 | out
            >1.0.0 | 0.1.0 | out
            <=2.0.0 | 3.0.0 | out
            <=2.0.0 | 2.9999.9999 | out
            <=2.0.0 | 2.2.9 | out
            <2.0.0 | 2.9999.9999 | out
            <2.0.0 | 2.2.9 | out
            >=0.1.97 | 0.1.93 | out
            0.1.20 || 1.2.4 | 1.2.3 | out
            >=0.2.3 || <0.0.1 | 0.0.3 | out
            >=0.2.3 || <0.0.1 | 0.2.2 | out
            2.x.x | 1.1.3 | out
            2.x.x | 3.1.3 | out
            1.2.x | 1.3.3 | out
            1.2.x || 2.x | 3.1.3 | out
            1.2.x || 2.x | 1.1.3 | out
            2.*.* | 1.1.3 | out
            2.*.* | 3.1.3 | out
            1.2.* | 1.3.3 | out
            1.2.* || 2.* | 3.1.3 | out
            1.2.* || 2.* | 1.1.3 | out
            2 | 1.1.2 | out
            2.3 | 2.4.1 | out
            ~0.0.1 | 0.1.0-alpha | out
            ~0.0.1 | 0.1.0 | out
            ~2.4 | 2.5.0 | out
            ~2.4 | 2.3.9 | out
            ~>3.2.1 | 3.3.2 | out
            ~>3.2.1 | 3.2.0 | out
            ~1 | 0.2.3 | out
            ~>1 | 2.2.3 | out
            ~1.0 | 1.1.0 | out
            <1 | 1.0.0 | out
            >=1.2 | 1.1.1 | out
            ~v0.5.4-beta | 0.5.4-alpha | out
            =0.7.x | 0.8.2 | out
            >=0.7.x | 0.6.2 | out
            <0.7.x | 0.7.2 | out
            <1.2.3 | 1.2.3-beta | out
            =1.2.3 | 1.2.3-beta | out
            >1.2 | 1.2.8 | out
            ^0.0.1 | 0.0.2-alpha | out
            ^0.0.1 | 0.0.2 | out
            ^1.2.3 | 2.0.0-alpha | out
            ^1.2.3 | 1.2.2 | out
            ^1.2 | 1.1.9 | out
            * | not a version | out
            >=2 | glorp | out
            ^1.0.0 | 2.0.0-rc1 | out
            """;

    /**
     * Pre-releases inside a range compare as the sort does (SemVer's precedence): {@code rc10} below {@code rc2} (ASCII),
     * a numeric identifier below an alphanumeric one, numbers of any length; semver4j's range read digits inside an
     * identifier as a number and so answered otherwise.
     */
    private static final String PRECEDENCE = """
            >=1.0.0-rc2 <1.0.0 | 1.0.0-rc10 | out
            >=1.0.0-rc10 <1.0.0 | 1.0.0-rc2 | in
            >1.0.0-rc2 | 1.0.0-rc10 | out
            <1.0.0-rc2 | 1.0.0-rc10 | in
            >1.0.0-alpha.beta | 1.0.0-alpha.1 | out
            <1.0.0-alpha.beta | 1.0.0-alpha.1 | in
            >=1.0.0-alpha.1 <1.0.0-alpha.beta | 1.0.0-alpha.9 | in
            >=1.0.0-alpha.1 <1.0.0-alpha.beta | 1.0.0-alpha.b | in
            ^1.0.0-rc.2 | 1.0.0-rc.10 | in
            ^1.0.0-rc2 | 1.0.0-rc10 | out
            ~1.0.0-rc10 | 1.0.0-rc2 | in
            1.0.0-rc2 - 1.0.0-rc3 | 1.0.0-rc10 | out
            1.0.0-rc10 - 1.0.0-rc3 | 1.0.0-rc2 | in
            >=1.0.0-18446744073709551616 <1.0.0 | 1.0.0-rc | in
            >=1.0.0-18446744073709551616 <1.0.0 | 1.0.0-9223372036854775807 | out
            <1.0.0-18446744073709551616 | 1.0.0-9223372036854775807 | in
            =1.0.0-rc.1+build.1 | 1.0.0-rc.1 | in
            >=2147483647.0.0 | 2147483647.0.1 | in
            ^2147483647.0.0 | 2147483647.9.9 | in
            ^1.2.3 | 1.2.4-rc.1 | out
            ^1.2.3-rc.1 || ^1.2.4-rc.1 | 1.2.4-rc.2 | in
            ~1.2.3 | 1.2.3-rc.1 | out
            """;

    @Test
    void npmRangeFixturesMatchAsNpmSays() {
        check(NPM_FIXTURES);
    }

    @Test
    void preReleasesInRangesFollowSemverPrecedence() {
        check(PRECEDENCE);
    }

    private static void check(String table) {
        SoftAssertions soft = new SoftAssertions();
        for (String line : table.lines().toList()) {
            String[] f = line.split(" \\| ", -1);
            String range = f[0].replace("\\t", "\t");
            boolean expected = f[2].strip().equals("in");
            var parsed = VersionRange.parse(range);
            soft.assertThat(parsed).as("`%s` is a range", range).isPresent();
            parsed.ifPresent(r -> soft.assertThat(r.includes(PluginVersion.of(f[1]))).as("`%s` includes %s", range, f[1]).isEqualTo(expected));
        }
        soft.assertAll();
    }

    /**
     * A range's answer and the sort agree: for every pair, {@code >=a} includes v exactly when v sorts at or above a and
     * v is a release or a pre-release of a's MAJOR.MINOR.PATCH while a names a pre-release (npm's pre-release rule);
     * {@code <a}, {@code <=a}, {@code >a} and {@code =a} likewise.
     */
    @Test
    void rangesAgreeWithTheSortOnEveryPair() {
        List<String> versions = new ArrayList<>(List.of("0.0.0", "0.0.1", "1.0.0-0", "1.0.0-1", "1.0.0-2", "1.0.0-10", "1.0.0-a",
                "1.0.0-a.1", "1.0.0-a.b", "1.0.0-a.b.c", "1.0.0-alpha", "1.0.0-rc1", "1.0.0-rc10", "1.0.0-rc2", "1.0.0-rc.2",
                "1.0.0-rc.10", "1.0.0--", "1.0.0-Z", "1.0.0-undef", "1.0.0-9223372036854775807", "1.0.0", "1.0.1-0", "1.0.1", "1.2.3",
                "1.10.0", "2.0.0-rc.1", "2.0.0", "10.0.0", "2147483647.2147483647.2147483647"));
        List<String> wrong = new ArrayList<>();
        for (String a : versions) {
            PluginVersion va = PluginVersion.of(a);
            boolean aPre = !va.preRelease().isEmpty();
            for (String b : versions) {
                PluginVersion vb = PluginVersion.of(b);
                int c = Integer.signum(PluginVersion.precedence(vb.semver(), va.semver()));
                boolean preOk = vb.preRelease().isEmpty() || aPre && va.major() == vb.major() && va.minor() == vb.minor() && va.patch() == vb.patch();
                List<Boolean> expected = List.of(c >= 0 && preOk, c > 0 && preOk, c < 0 && preOk, c <= 0 && preOk, c == 0 && preOk);
                List<String> ops = List.of(">=", ">", "<", "<=", "=");
                for (int i = 0; i < ops.size(); i++) {
                    if (VersionRange.parse(ops.get(i) + a).orElseThrow().includes(vb) != expected.get(i)) {
                        wrong.add(ops.get(i) + a + (expected.get(i) ? " misses " : " includes ") + b);
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** A text that is not a range but a Codex version that is not SemVer is a range of that version alone. */
    @Test
    void aVersionThatIsNotSemverMatchesOnlyItself() {
        VersionRange local = VersionRange.parse("local").orElseThrow();
        assertThat(local.isSemverRange()).isFalse();
        assertThat(local.includes(PluginVersion.of("local"))).isTrue();
        assertThat(local.includes(PluginVersion.of("1.0.0"))).isFalse();
        assertThat(VersionRange.parse("*").orElseThrow().includes(PluginVersion.of("local"))).isFalse();
        assertThat(VersionRange.exactly(PluginVersion.of("2024.01.05")).includes(PluginVersion.of("2024.01.05"))).isTrue();
        assertThat(VersionRange.exactly(PluginVersion.of("1.2.3")).includes(PluginVersion.of("1.2.3"))).isTrue();
        assertThat(VersionRange.exactly(PluginVersion.of("1.2.3-rc.1")).includes(PluginVersion.of("1.2.3-rc.1"))).isTrue();
        assertThat(VersionRange.exactly(PluginVersion.of("1.2.3-rc.1")).includes(PluginVersion.of("1.2.3"))).isFalse();
    }
}
