package dev.cxpm.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.registry.RegistryIndex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseAgeTest {
    private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static MinReleaseAge age(String text) {
        return MinReleaseAge.parse(text, "test").orElseThrow();
    }

    @Test
    void everyUnitIsAWholeNumberOfItsDuration() {
        assertThat(age("90s").duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(age("30m").duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(age("12h").duration()).isEqualTo(Duration.ofHours(12));
        assertThat(age(" 3d ").duration()).isEqualTo(Duration.ofDays(3));
        assertThat(age("2w").duration()).isEqualTo(Duration.ofDays(14));
        assertThat(age("0d").duration()).isZero();
    }

    @Test
    void anythingElseIsNotADuration() {
        for (String bad : List.of("", "3", "d", "3 days", "-1d", "1.5d", "3D", "1y", "99999999d", "3651d", "522w", "3d4h", "\u0663d")) {
            assertThat(MinReleaseAge.parse(bad, "test")).as(bad).isEmpty();
        }
    }

    @Test
    void aVersionIsHeldBackUntilItIsOldEnoughAndTheStrictestSettingWins() {
        ReleaseAge rule = ReleaseAge.strictest(CLOCK, List.of(Optional.of(age("1d")), Optional.empty(), Optional.of(age("3d"))));
        assertThat(rule.setting().orElseThrow().text()).isEqualTo("3d");
        assertThat(rule.heldUntil(Optional.of(NOW.minus(Duration.ofDays(2))))).contains(NOW.plus(Duration.ofDays(1)));
        assertThat(rule.heldUntil(Optional.of(NOW.minus(Duration.ofDays(3))))).isEmpty();
        assertThat(rule.heldUntil(Optional.empty())).as("no publish time known: a marketplace").isEmpty();
        assertThat(ReleaseAge.none(CLOCK).heldUntil(Optional.of(NOW))).isEmpty();
    }

    @Test
    void aPublishTimeInTheFutureCountsAsJustPublished() {
        ReleaseAge rule = ReleaseAge.strictest(CLOCK, List.of(Optional.of(age("3d"))));
        assertThat(rule.heldUntil(Optional.of(NOW.plus(Duration.ofDays(400))))).contains(NOW.plus(Duration.ofDays(3)));
        assertThat(rule.heldUntil(Optional.of(Instant.MAX))).contains(NOW.plus(Duration.ofDays(3)));
    }

    @Test
    void aRegistryAnswerWithoutAReadablePublishTimeIsHeldBackAsJustPublished() {
        String doc = """
                {"name": "demo", "versions": [
                  {"version": "1.0.0", "integrity": "sha512-%1$s", "tarball": "/b/1", "publishedAt": "2026-11-01T00:00:00Z"},
                  {"version": "1.1.0", "integrity": "sha512-%1$s", "tarball": "/b/2", "publishedAt": "last tuesday"},
                  {"version": "1.2.0", "integrity": "sha512-%1$s", "tarball": "/b/3"},
                  {"version": "1.3.0", "integrity": "sha512-%1$s", "tarball": "/b/4", "publishedAt": 12},
                  {"version": "1.4.0", "integrity": "sha512-%1$s", "tarball": "/b/5", "publishedAt": "+999999999-12-31T23:59:59Z"}
                ]}""".formatted("A".repeat(86) + "==");
        RegistryIndex index = RegistryIndex.parse(doc.getBytes(StandardCharsets.UTF_8), "test");
        ReleaseAge rule = ReleaseAge.strictest(CLOCK, List.of(Optional.of(age("1h"))));
        assertThat(index.pick(Optional.empty(), r -> rule.heldUntil(Optional.of(r.publishedAt())).isEmpty()))
                .map(r -> r.version().text()).contains("1.0.0");
    }

    @Test
    void cxpmTomlReportsABadMinReleaseAgeWithItsLineAndTheUnits() {
        Path file = Path.of("/p/cxpm.toml");
        assertThat(ProjectManifest.parse(file, "min-release-age = \"2w\"\n[plugins]\ndemo = \"^1\"\n").minReleaseAge())
                .map(MinReleaseAge::toString).contains("min-release-age 2w (/p/cxpm.toml:1)");
        assertThat(ProjectManifest.parse(file, "[plugins]\ndemo = \"^1\"\n").minReleaseAge()).isEmpty();
        assertThatThrownBy(() -> ProjectManifest.parse(file, "\n\nmin-release-age = 3\n[plugins]\n"))
                .isInstanceOf(UserError.class).hasMessageContaining("/p/cxpm.toml:3: `min-release-age` must be a string")
                .satisfies(e -> assertThat(((UserError) e).hint()).contains("\"3d\"", "s, m, h, d, w"));
        assertThatThrownBy(() -> ProjectManifest.parse(file, "min-release-age = \"3 weeks\"\n"))
                .hasMessageContaining("/p/cxpm.toml:1: `min-release-age`: `3 weeks` is not a duration");
    }
}
