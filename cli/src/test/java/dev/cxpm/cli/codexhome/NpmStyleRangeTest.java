package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.cli.fixtures.TeamFixture;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * npm's habit {@code NAME@RANGE}: a marketplace name has only letters, digits, {@code _} and {@code -}, so a part
 * after {@code @} that cannot be one but is a range ({@code ^0.3}, {@code 1.x}, {@code ~1.0.0}) is the range,
 * as {@code npm install name@^0.3} reads it.
 */
class NpmStyleRangeTest {
    @TempDir
    Path dir;

    @Test
    void addNameAtRangeIsAddWithThatRange() {
        TeamFixture t = new TeamFixture(dir).plugin("app", "1.0.0").plugin("util", "2.0.5").needs("app", "^1");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        CliRun r = t.cxpm("add", "util@~2.0");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("Added util ~2.0 to cxpm.toml.");
        assertThat(t.read(t.project.resolve("cxpm.toml"))).contains("~2.0").doesNotContain("marketplace = \"~2.0\"");
    }

    @Test
    void aRangeGivenTwiceIsAUsageErrorNamingBoth() {
        TeamFixture t = new TeamFixture(dir).plugin("app", "1.0.0").needs("app", "^1");
        CliRun r = t.cxpm("add", "app@^1", "--version", "^2");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("^1").contains("^2").contains("twice");
    }

    @Test
    void installNameAtMarketplaceAtRangeInstallsTheMatchingVersion() throws Exception {
        Path codexHome = dir.resolve("codex-home");
        Map<String, String> env = new HashMap<>(Fixtures.env(codexHome, dir.resolve("home")));
        Fixtures.marketplace(dir.resolve("mk"), "fx", "demo", "1.0.0", "nover", null);
        assertThat(CliRun.in(dir, env, "marketplace", "add", "mk").exitCode()).isZero();
        CliRun ok = CliRun.in(dir, env, "install", "demo@fx@^1.0");
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(codexHome.resolve("plugins/cache/fx/demo/1.0.0")).exists();
        CliRun none = CliRun.in(dir, env, "install", "demo@fx@^2");
        assertThat(none.exitCode()).isEqualTo(3);
        assertThat(none.stderr()).contains("no version of demo@fx matches ^2");
        CliRun noMarketplace = CliRun.in(dir, env, "install", "demo@^1.0");
        assertThat(noMarketplace.stderr()).doesNotContain("invalid marketplace name");
    }
}
