package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.cli.fixtures.TeamFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddRemoveCommandTest {

    @TempDir
    Path dir;

    @Test
    void addSavesCaretOfNewestDeclaresTheMarketplaceAndInstallsWithDependencies() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("app", "1.2.0", "util", "^2").plugin("util", "2.0.5");
        CliRun mk = t.cxpm("sync"); // no cxpm.toml yet: not a project
        assertThat(mk.exitCode()).isEqualTo(3);
        // The Codex home knows the marketplace (as `codex plugin marketplace add` or `cxpm marketplace add` leaves it).
        TeamFixture.write(t.codexHome().resolve("config.toml"),
                "[marketplaces.fx]\nsource_type = \"local\"\nsource = \"" + t.market + "\"\n");
        CliRun r = t.cxpm("add", "app@fx");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("Added app ^1.2.0 to cxpm.toml.", "+ app@fx 1.2.0", "+ util@fx 2.0.5");
        assertThat(t.read(t.project.resolve("cxpm.toml"))).isEqualTo(
                "[marketplaces]\nfx = \"" + t.market + "\"\n\n[plugins]\napp = { version = \"^1.2.0\", marketplace = \"fx\" }\n");
        assertThat(t.project.resolve("cxpm.lock")).exists();
        assertThat(t.codexHome().resolve("plugins/cache/fx/util/2.0.5/skills/util-skill/SKILL.md")).exists();
    }

    @Test
    void addWithRangeKeepsCommentsAndExplainsAConflictChangingNothing() {
        TeamFixture t = new TeamFixture(dir)
                .plugin("app", "1.2.0", "util", "^2").plugin("util", "2.0.5").plugin("old", "1.0.0", "util", "^1")
                .needs("app", "^1");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        String toml = t.read(t.project.resolve("cxpm.toml"));
        String lock = t.read(t.project.resolve("cxpm.lock"));
        CliRun r = t.cxpm("add", "old", "--version", "~1.0");
        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(r.stderr()).contains("app@1.2.0 needs util ^2", "old@1.0.0 needs util ^1");
        assertThat(t.read(t.project.resolve("cxpm.toml"))).isEqualTo(toml);
        assertThat(t.read(t.project.resolve("cxpm.lock"))).isEqualTo(lock);
    }

    @Test
    void addOfAnUnknownPluginIsNotFound() {
        TeamFixture t = new TeamFixture(dir).plugin("app", "1.0.0").needs();
        CliRun r = t.cxpm("add", "ghost");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("plugin `ghost` is not in any marketplace");
    }

    @Test
    void addOfABareNameSeveralMarketplacesHaveListsThemAndChangesNothing() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("app", "1.0.0");
        Fixtures.marketplace(dir.resolve("other"), "other", "app", "9.0.0");
        t.toml("[marketplaces]\nfx = \"../market\"\nother = \"../other\"\n");
        String toml = t.read(t.project.resolve("cxpm.toml"));
        for (String[] args : new String[][] {{"add", "app"}, {"add", "app", "--version", "*"}}) {
            CliRun r = t.cxpm(args);
            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
            assertThat(r.stderr()).contains("plugin `app` is in 2 marketplaces; say which:\n  app@fx\n  app@other");
            assertThat(t.read(t.project.resolve("cxpm.toml"))).isEqualTo(toml);
            assertThat(t.project.resolve("cxpm.lock")).doesNotExist();
        }
        CliRun pinned = t.cxpm("add", "app@other");
        assertThat(pinned.exitCode()).as(pinned.stderr()).isZero();
        assertThat(pinned.stdout()).contains("+ app@other 9.0.0");
    }

    @Test
    void addRejectsABadRangeAsUsage() {
        TeamFixture t = new TeamFixture(dir).plugin("app", "1.0.0").needs();
        assertThat(t.cxpm("add", "app", "--version", "not a range!").exitCode()).isEqualTo(2);
    }

    @Test
    void removeUninstallsWhatTheProjectInstalledAndLeavesOtherPluginsAlone() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("app", "1.2.0", "util", "^2").plugin("util", "2.0.5").plugin("lone", "0.3.0")
                .needs("app", "^1", "lone", "*");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        // A plugin the user installed by hand, outside the project.
        Path handMade = t.codexHome().resolve("plugins/cache/fx/mine/1.0.0/.codex-plugin/plugin.json");
        TeamFixture.write(handMade, "{\"name\": \"mine\"}");
        Files.writeString(t.codexHome().resolve("config.toml"),
                t.read(t.codexHome().resolve("config.toml")) + "\n[plugins.\"mine@fx\"]\nenabled = true\n");

        CliRun r = t.cxpm("remove", "app");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("- app@fx 1.2.0", "- util@fx 2.0.5").doesNotContain("lone");
        assertThat(t.read(t.project.resolve("cxpm.toml"))).isEqualTo(
                "# our plugins\n[marketplaces]\nfx = \"../market\"\n\n[plugins]\nlone = \"*\"\n");
        assertThat(t.codexHome().resolve("plugins/cache/fx/app")).doesNotExist();
        assertThat(t.codexHome().resolve("plugins/cache/fx/lone/0.3.0")).exists();
        assertThat(handMade).exists();
        String config = t.read(t.codexHome().resolve("config.toml"));
        assertThat(config).contains("mine@fx", "lone@fx").doesNotContain("app@fx", "util@fx");
    }

    @Test
    void removeOfAPluginNotInTomlIsNotFound() {
        TeamFixture t = new TeamFixture(dir).plugin("app", "1.0.0").needs("app", "*");
        CliRun r = t.cxpm("remove", "other");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("cxpm why other");
    }
}
