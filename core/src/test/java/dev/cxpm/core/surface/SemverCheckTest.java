package dev.cxpm.core.surface;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.surface.SemverCheck.Release;
import dev.cxpm.core.version.BumpLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one SemVer rule client and registry share: which release is compared with, and what bump a change needs. */
class SemverCheckTest {
    @TempDir
    Path tmp;

    Surface with(String dirName, String... skills) throws IOException {
        Path dir = tmp.resolve(dirName);
        SurfaceDiffTest.write(dir.resolve(".codex-plugin/plugin.json"), "{\"name\":\"demo\",\"version\":\"1.0.0\"}");
        for (String s : skills) {
            SurfaceDiffTest.write(dir.resolve("skills/" + s + "/SKILL.md"), "---\nname: " + s + "\ndescription: Does " + s + ".\n---\n" + s + "\n");
        }
        return Surface.of(dir);
    }

    @Test
    void previousReleaseIsTheGreatestLowerOneNeitherYankedNorPreRelease() {
        List<Release> published = List.of(new Release("1.2.3", false), new Release("1.2.5", true),
                new Release("1.3.0-beta.1", false), new Release("2.0.0", false), new Release("1.0.0", false));
        assertThat(SemverCheck.previousRelease("1.2.4", published)).contains("1.2.3");
        assertThat(SemverCheck.previousRelease("1.2.6", published)).contains("1.2.3"); // 1.2.5 is yanked
        assertThat(SemverCheck.previousRelease("1.3.0", published)).contains("1.2.3"); // its beta is no baseline
        assertThat(SemverCheck.previousRelease("2.0.1", published)).contains("2.0.0");
        assertThat(SemverCheck.previousRelease("0.9.0", published)).isEmpty(); // first of its line: nothing to compare
        assertThat(SemverCheck.previousRelease("1.2.3+build.2", published)).contains("1.0.0");
    }

    @Test
    void removingASkillInAPatchIsRefusedWithTheMajorToUse() throws IOException {
        SemverCheck c = SemverCheck.of("1.2.3", with("a", "review", "hello"), "1.2.4", with("b", "hello"), List.of("1.2.3"));
        assertThat(c.ok()).isFalse();
        assertThat(c.required()).isEqualTo(BumpLevel.MAJOR);
        assertThat(c.suggested()).isEqualTo("2.0.0");
        assertThat(c.refusal("publish")).startsWith("removing skill `review` is a breaking change since 1.2.3: publish 2.0.0, not 1.2.4");
        assertThat(SemverCheck.lines(c.diff())).containsExactly("removed skill `review`");
    }

    @Test
    void addingASkillNeedsAMinorAndAPatchWithoutSurfaceChangesPasses() throws IOException {
        SemverCheck add = SemverCheck.of("1.2.3", with("a", "hello"), "1.2.4", with("b", "hello", "new"), List.of());
        assertThat(add.ok()).isFalse();
        assertThat(add.suggested()).isEqualTo("1.3.0");
        assertThat(SemverCheck.of("1.2.3", with("c", "hello"), "1.3.0", with("d", "hello", "new"), List.of()).ok()).isTrue();
        assertThat(SemverCheck.of("1.2.3", with("e", "hello"), "1.2.4", with("f", "hello"), List.of()).ok()).isTrue();
    }

    @Test
    void belowOneAMinorMayBreakAndAPatchMayAdd() throws IOException {
        assertThat(SemverCheck.of("0.3.0", with("a", "x", "y"), "0.4.0", with("b", "x"), List.of()).ok()).isTrue();
        SemverCheck patch = SemverCheck.of("0.3.0", with("c", "x", "y"), "0.3.1", with("d", "x"), List.of());
        assertThat(patch.ok()).isFalse();
        assertThat(patch.suggested()).isEqualTo("0.4.0");
        assertThat(SemverCheck.of("0.3.0", with("e", "x"), "0.3.1", with("f", "x", "y"), List.of()).ok()).isTrue();
        assertThat(SemverCheck.of("0.0.3", with("g", "x", "y"), "0.0.4", with("h", "x"), List.of()).ok()).isTrue();
    }

    @Test
    void aPreReleaseIsHeldToTheVersionItAnnounces() throws IOException {
        SemverCheck beta = SemverCheck.of("1.2.3", with("a", "x", "y"), "1.2.4-beta.1", with("b", "x"), List.of());
        assertThat(beta.ok()).isFalse();
        assertThat(beta.suggested()).isEqualTo("2.0.0-beta.1");
        assertThat(SemverCheck.of("1.2.3", with("c", "x", "y"), "2.0.0-rc.1", with("d", "x"), List.of()).ok()).isTrue();
    }

    @Test
    void theSuggestedVersionIsNotOneAlreadyPublished() throws IOException {
        SemverCheck c = SemverCheck.of("1.2.3", with("a", "x", "y"), "1.2.4", with("b", "x"), List.of("2.0.0", "3.0.0+b"));
        assertThat(c.suggested()).isEqualTo("4.0.0");
    }
}
