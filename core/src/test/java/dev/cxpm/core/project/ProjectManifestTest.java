package dev.cxpm.core.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectManifestTest {

    @TempDir
    Path dir;

    private static final String EXAMPLE = """
            # Our team's Codex plugins. Run `cxpm sync` after pulling.
            [marketplaces]
            team = "https://git.example.test/acme/plugins.git"
            pinned = { source = "../vendor/market", ref = "v2" }

            [plugins]
            github = "^1.2"   # the GitHub MCP server
            linter = { version = "~2.0", marketplace = "team", enabled = false }
            docs = {}
            """;

    private ProjectManifest parse(String text) {
        return ProjectManifest.parse(dir.resolve("cxpm.toml"), text);
    }

    private UserError problem(String text) {
        try {
            parse(text);
        } catch (UserError e) {
            return e;
        }
        throw new AssertionError("expected a problem in:\n" + text);
    }

    @Test
    void readsMarketplacesAndPluginsInBothForms() {
        ProjectManifest m = parse(EXAMPLE);
        assertThat(m.marketplaces()).containsOnlyKeys("team", "pinned");
        assertThat(m.marketplaces().get("pinned").ref()).contains("v2");
        assertThat(m.marketplaces().get("team").line()).isEqualTo(3);
        assertThat(m.plugins()).containsOnlyKeys("github", "linter", "docs");
        PluginRequirement linter = m.plugins().get("linter");
        assertThat(linter.range().text()).isEqualTo("~2.0");
        assertThat(linter.marketplace()).contains("team");
        assertThat(linter.enabled()).isFalse();
        assertThat(linter.line()).isEqualTo(8);
        assertThat(m.plugins().get("github").enabled()).isTrue();
        assertThat(m.plugins().get("docs").range().text()).isEqualTo("*");
    }

    @Test
    void reportsEveryProblemWithItsLineAtOnce() {
        UserError e = problem("""
                [plugins]
                ok = "^1"
                bad-range = "not a range!"
                typed = 3
                "has space" = "^1"
                flags = { version = "^1", enabled = "yes" }
                extra = { version = "^1", colour = "red" }

                [marketplaces]
                nosource = { ref = "main" }
                """);
        assertThat(e.kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
        assertThat(e.getMessage())
                .contains("has 6 problems")
                .contains("cxpm.toml:3: `not a range!` is not a version range")
                .contains("cxpm.toml:4: plugin `typed` must be a version range string")
                .contains("cxpm.toml:5: invalid plugin name `has space`")
                .contains("cxpm.toml:6: `enabled` of plugin `flags` must be true or false")
                .contains("cxpm.toml:7: unknown field `colour` in `extra` (known: enabled, marketplace, version)")
                .contains("cxpm.toml:10: marketplace `nosource` has no `source`");
    }

    /** A range of 1 MB or one that names a number no version holds is a problem of its line, not a stall or a crash. */
    @Test
    void aHostileRangeIsAProblemOfItsLine() {
        UserError e = problem("[plugins]\nlong = \"" + "1.0.0 || ".repeat(100_000) + "2.0.0\"\nbig = \"^99999999999999999999\"\n");
        assertThat(e.getMessage())
                .contains("cxpm.toml:2: `1.0.0 || 1.0.0 || ")
                .contains("(900005 characters) is not a version range (plugin `long`): the range is 900005 characters long, more than the 1024 read")
                .contains("cxpm.toml:3: `^99999999999999999999` is not a version range (plugin `big`): `^99999999999999999999`: "
                        + "99999999999999999999 is past 2147483647")
                .hasSizeLessThan(2000);
    }

    @Test
    void unknownTopLevelKeyIsAProblem() {
        assertThat(problem("[plugin]\na = \"^1\"\n").getMessage()).contains("cxpm.toml:1: unknown key `plugin`");
    }

    @Test
    void badTomlNamesLineAndColumn() {
        UserError e = problem("[plugins]\ngithub = \"^1.2\n");
        assertThat(e.getMessage()).contains("cxpm.toml:2:").contains("not valid TOML");
    }

    @Test
    void missingFileIsNotFoundWithHint() {
        assertThatThrownBy(() -> ProjectManifest.read(dir))
                .isInstanceOfSatisfying(UserError.class, e -> {
                    assertThat(e.kind()).isEqualTo(UserError.Kind.NOT_FOUND);
                    assertThat(e.hint()).contains("cxpm add");
                });
    }

    @Test
    void editorAddsPluginKeepingCommentsAndLayout() throws Exception {
        Files.writeString(dir.resolve("cxpm.toml"), EXAMPLE);
        ProjectManifestEditor.open(dir).setPlugin("search", "^3", Optional.empty(), true).write();
        assertThat(Files.readString(dir.resolve("cxpm.toml"))).isEqualTo(EXAMPLE + "search = \"^3\"\n");
    }

    @Test
    void editorReplacesOnlyThePluginLine() throws Exception {
        Files.writeString(dir.resolve("cxpm.toml"), EXAMPLE);
        ProjectManifest m = ProjectManifestEditor.open(dir).setPlugin("github", "^2", Optional.of("team"), true).write();
        assertThat(Files.readString(dir.resolve("cxpm.toml"))).isEqualTo(EXAMPLE.replace(
                "github = \"^1.2\"   # the GitHub MCP server", "github = { version = \"^2\", marketplace = \"team\" }"));
        assertThat(m.plugins().get("github").range().text()).isEqualTo("^2");
    }

    @Test
    void editorInsertsBeforeTheNextTableAndItsComments() {
        String text = "[plugins]\na = \"^1\"\n\n# where they come from\n[marketplaces]\nm = \"./m\"\n";
        String out = ProjectManifestEditor.of(dir.resolve("cxpm.toml"), text).setPlugin("b", "~1.0", Optional.empty(), true).text();
        assertThat(out).isEqualTo("[plugins]\na = \"^1\"\nb = \"~1.0\"\n\n# where they come from\n[marketplaces]\nm = \"./m\"\n");
    }

    @Test
    void editorCreatesTheFileFromNothing() {
        ProjectManifestEditor ed = ProjectManifestEditor.open(dir)
                .setPlugin("a", "^1", Optional.empty(), true)
                .setMarketplace("team", "https://git.example.test/m.git", Optional.empty());
        assertThat(ed.text()).isEqualTo("[marketplaces]\nteam = \"https://git.example.test/m.git\"\n\n[plugins]\na = \"^1\"\n");
        assertThat(ed.write().plugins()).containsOnlyKeys("a");
    }

    @Test
    void editorRemovesOnlyThePluginLine() throws Exception {
        Files.writeString(dir.resolve("cxpm.toml"), EXAMPLE);
        ProjectManifestEditor ed = ProjectManifestEditor.open(dir);
        assertThat(ed.removePlugin("linter")).isTrue();
        assertThat(ed.removePlugin("absent")).isFalse();
        ed.write();
        assertThat(Files.readString(dir.resolve("cxpm.toml"))).isEqualTo(EXAMPLE.replace(
                "linter = { version = \"~2.0\", marketplace = \"team\", enabled = false }\n", ""));
    }

    @Test
    void editorRefusesToWriteAnInvalidResultAndLeavesTheFile() throws Exception {
        Files.writeString(dir.resolve("cxpm.toml"), EXAMPLE);
        assertThatThrownBy(() -> ProjectManifestEditor.open(dir).setPlugin("x", "not a range!", Optional.empty(), true).write())
                .isInstanceOf(UserError.class);
        assertThat(Files.readString(dir.resolve("cxpm.toml"))).isEqualTo(EXAMPLE);
    }
}
