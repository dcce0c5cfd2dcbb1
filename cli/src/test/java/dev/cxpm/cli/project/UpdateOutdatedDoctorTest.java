package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateOutdatedDoctorTest {

    @TempDir
    Path dir;

    private TeamFixture synced() {
        TeamFixture t = new TeamFixture(dir).plugin("app", "1.2.0", "util", "^2").plugin("util", "2.0.5").needs("app", "^1");
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return t;
    }

    @Test
    void outdatedShowsCurrentWantedAndLatest() {
        TeamFixture t = synced();
        CliRun current = t.cxpm("outdated");
        assertThat(current.exitCode()).as(current.stderr()).isZero();
        assertThat(current.stdout()).isEqualTo("All 2 plugin(s) are up to date.\n");
        CliRun currentJson = t.cxpm("outdated", "--json");
        assertThat(currentJson.exitCode()).as(currentJson.stderr()).isZero();
        assertThat(currentJson.stdout()).contains("\"outdated\" : false").doesNotContain("\"outdated\" : true");
        t.plugin("app", "2.0.0", "util", "^2");
        t.plugin("util", "2.1.0");
        CliRun r = t.cxpm("outdated");
        assertThat(r.exitCode()).as("npm's convention: exit 1 when something is outdated").isEqualTo(1);
        assertThat(r.stdout()).isEqualTo("""
                PLUGIN             CURRENT  WANTED  LATEST  MARKETPLACE
                app                1.2.0    1.2.0   2.0.0   fx
                util (dependency)  2.0.5    2.1.0   2.1.0   fx
                """);
        CliRun json = t.cxpm("outdated", "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.stdout()).contains("\"plugin\" : \"util\"", "\"wanted\" : \"2.1.0\"", "\"direct\" : false", "\"outdated\" : true");
    }

    @Test
    void updateMovesWithinRangeRewritesTheLockAndShowsTheSurfaceChange() {
        TeamFixture t = synced();
        t.plugin("util", "2.1.0");
        TeamFixture.write(t.market.resolve("plugins/util/skills/extra/SKILL.md"), "---\nname: extra\ndescription: More.\n---\nMore.\n");
        CliRun r = t.cxpm("update");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("util: 2.0.5 -> 2.1.0", "skill added: extra", "~ util@fx 2.0.5 -> 2.1.0", "Wrote cxpm.lock.");
        assertThat(t.read(t.project.resolve("cxpm.lock"))).contains("version = \"2.1.0\"").doesNotContain("2.0.5");
        assertThat(t.codexHome().resolve("plugins/cache/fx/util/2.1.0/skills/extra/SKILL.md")).exists();
        assertThat(t.codexHome().resolve("plugins/cache/fx/util/2.0.5")).doesNotExist();
        assertThat(t.cxpm("update").stdout()).contains("Everything is at the newest version its range allows.");
    }

    @Test
    void updateTakesALocalPluginChangedUnderTheSameVersionEvenWithItsSizeAndTimeKept() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("app", "1.2.0", "util", "^2").plugin("util", "2.0.5").needs("app", "^1");
        Thread.sleep(1_100); // files older than the look a sync records trusts (file system clocks tick coarsely)
        assertThat(t.cxpm("sync").exitCode()).isZero();
        String lock = t.read(t.project.resolve("cxpm.lock"));
        CliRun same = t.cxpm("update");
        assertThat(same.stdout()).contains("Everything is at the newest version its range allows.");
        assertThat(t.read(t.project.resolve("cxpm.lock"))).isEqualTo(lock);

        Path skill = t.market.resolve("plugins/util/skills/util-skill/SKILL.md");
        String text = t.read(skill);
        var before = Files.getLastModifiedTime(skill);
        Files.writeString(skill, text.replace("a", "A")); // the same size, and the time set back: as `cp -p` leaves it
        Files.setLastModifiedTime(skill, before);
        CliRun r = t.cxpm("update");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("util: 2.0.5 -> 2.0.5");
        assertThat(t.read(t.project.resolve("cxpm.lock"))).isNotEqualTo(lock);
        assertThat(t.read(t.codexHome().resolve("plugins/cache/fx/util/2.0.5/skills/util-skill/SKILL.md"))).isEqualTo(text.replace("a", "A"));
    }

    @Test
    void updateOfOnePluginLeavesTheOthersLocked() {
        TeamFixture t = synced();
        t.plugin("util", "2.1.0");
        t.plugin("app", "1.3.0", "util", "^2");
        CliRun r = t.cxpm("update", "app");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String lock = t.read(t.project.resolve("cxpm.lock"));
        assertThat(lock).contains("version = \"1.3.0\"").doesNotContain("version = \"2.1.0\"");
    }

    @Test
    void updateOfAnUnknownPluginIsNotFound() {
        TeamFixture t = synced();
        assertThat(t.cxpm("update", "ghost").exitCode()).isEqualTo(3);
    }

    @Test
    void doctorFindsHandEditsAndFlagFlipsAndSyncFixesThem() throws Exception {
        TeamFixture t = synced();
        CliRun ok = t.cxpm("doctor");
        assertThat(ok.exitCode()).as(ok.stdout()).isZero();
        assertThat(ok.stdout()).contains("No drift");

        Files.writeString(t.codexHome().resolve("plugins/cache/fx/util/2.0.5/skills/util-skill/SKILL.md"), "hacked\n");
        Path config = t.codexHome().resolve("config.toml");
        Files.writeString(config, t.read(config).replace("[plugins.\"app@fx\"]\nenabled = true", "[plugins.\"app@fx\"]\nenabled = false"));
        CliRun sick = t.cxpm("doctor");
        assertThat(sick.exitCode()).isEqualTo(1);
        assertThat(sick.stdout()).contains("files of util@fx", "fix: cxpm sync --verify",
                "app@fx is disabled in config.toml but cxpm.toml wants it enabled");

        CliRun fix = t.cxpm("sync", "--verify");
        assertThat(fix.exitCode()).as(fix.stderr()).isZero();
        assertThat(fix.stdout()).contains("! util@fx 2.0.5 (files were edited; reinstalled)", "app@fx enabled");
        assertThat(t.cxpm("doctor").exitCode()).isZero();
    }

    @Test
    void doctorReportsMissingPluginsAndPrerequisitesWithTheirFix() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("gh", "1.0.0").needs("gh", "*");
        TeamFixture.write(t.market.resolve("plugins/gh/.codex-plugin/plugin.json"), """
                {"name": "gh", "version": "1.0.0",
                 "prerequisites": {"commands": {"no-such-cmd-xyz": "get it from https://example.test/xyz"},
                                   "env": {"GH_TEAM_TOKEN": "a token with repo scope"}}}
                """);
        CliRun sync = t.cxpm("sync", "--ignore-prerequisites");
        assertThat(sync.exitCode()).isZero();
        assertThat(sync.stderr()).contains("warning: gh@fx needs what this machine lacks:", "command `no-such-cmd-xyz` not found on PATH",
                "environment variable GH_TEAM_TOKEN is not set");
        CliRun r = t.cxpm("doctor", "--json", "--strict");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).contains("\"healthy\" : false", "\"code\" : \"missing-command\"", "get it from https://example.test/xyz",
                "\"code\" : \"missing-env\"", "export GH_TEAM_TOKEN=");
        ProjectFiles.deleteTree(t.codexHome().resolve("plugins/cache/fx/gh"));
        assertThat(t.cxpm("doctor").stdout()).contains("gh@fx 1.0.0 is not installed", "fix: cxpm sync");
    }
    @Test
    void doctorAndSyncFindCommandsAsTheCallersShellWould() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("gh", "1.0.0").needs("gh", "*");
        TeamFixture.write(t.market.resolve("plugins/gh/.codex-plugin/plugin.json"), """
                {"name": "gh", "version": "1.0.0", "prerequisites": {"commands": {"team-tool-xyz": "make tools",
                 "team-dir-xyz": "make dirs"}}}
                """);
        Path tool = t.project.resolve("tools/team-tool-xyz");
        TeamFixture.write(tool, "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(t.project.resolve("tools/team-dir-xyz")); // a directory on PATH is not a command a shell runs
        var env = t.env("codex-home");
        env.put("PATH", "tools:" + System.getenv("PATH")); // relative: a shell in the project finds tools/team-tool-xyz

        CliRun refused = CliRun.in(t.project, env, "sync");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("command `team-dir-xyz` not found on PATH: make dirs").doesNotContain("team-tool-xyz");
        CliRun sync = CliRun.in(t.project, env, "sync", "--ignore-prerequisites");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(sync.stderr()).contains("command `team-dir-xyz` not found on PATH").doesNotContain("team-tool-xyz");
        CliRun doctor = CliRun.in(t.project, env, "doctor", "--strict");
        assertThat(doctor.exitCode()).as(doctor.stdout()).isEqualTo(1);
        assertThat(doctor.stdout()).contains("gh@fx: command `team-dir-xyz` not found on PATH", "make dirs").doesNotContain("team-tool-xyz");

        env.put("PATH", System.getenv("PATH"));
        CliRun elsewhere = CliRun.in(t.project, env, "doctor");
        assertThat(elsewhere.stdout()).contains("gh@fx: command `team-tool-xyz` not found on PATH", "make tools");
    }
}
