package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.testkit.CodexClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One rule for prerequisites across install, add, sync and enable: a plugin that lacks a command on PATH or an
 * environment variable its MCP servers need is refused with the same message and exit code, nothing written,
 * unless --ignore-prerequisites (the same flag on all four) turns it into a warning. And doctor tells drift
 * (exit 1) from missing prerequisites (a warning, exit 0, unless --strict). Each command passes --yes: gh's MCP server is
 * approved as it is shown (ApprovalsTest has that rule); prerequisites are checked first, so --yes changes no refusal.
 */
class PrerequisitesRuleTest {

    static final String REFUSAL = """
            error: gh@fx needs what this machine lacks:
              - command `cxpm-test-no-such-cmd` not found on PATH (MCP server `gh` runs it): get it from https://example.test/cmd
              - environment variable CXPM_TEST_TOKEN is not set (MCP server `gh` reads it): a token with repo scope; then export CXPM_TEST_TOKEN=...
            hint: install the commands and set the variables, then run the command again; or pass --ignore-prerequisites to go on anyway \
            (the plugin's MCP servers fail until they are there)
            """;
    static final String WARNING = """
            warning: gh@fx needs what this machine lacks:
              - command `cxpm-test-no-such-cmd` not found on PATH (MCP server `gh` runs it): get it from https://example.test/cmd
              - environment variable CXPM_TEST_TOKEN is not set (MCP server `gh` reads it): a token with repo scope; then export CXPM_TEST_TOKEN=...
              (went on because of --ignore-prerequisites)
            """;

    @TempDir
    Path dir;

    /** Marketplace fx with plugin gh, whose MCP server runs a command and reads a variable this machine lacks. */
    private TeamFixture team() {
        TeamFixture t = new TeamFixture(dir).plugin("gh", "1.0.0").plugin("plain", "1.0.0");
        TeamFixture.write(t.market.resolve("plugins/gh/.codex-plugin/plugin.json"), """
                {"name": "gh", "version": "1.0.0", "description": "GitHub tools.",
                 "prerequisites": {"commands": {"cxpm-test-no-such-cmd": "get it from https://example.test/cmd"},
                                   "env": {"CXPM_TEST_TOKEN": "a token with repo scope"}}}
                """);
        TeamFixture.write(t.market.resolve("plugins/gh/.mcp.json"), """
                {"mcpServers": {"gh": {"command": "cxpm-test-no-such-cmd", "args": [], "env": {"TOKEN": "${CXPM_TEST_TOKEN}"}}}}
                """);
        return t;
    }

    /** The environment of a machine that has both: the variable set and the command on PATH. */
    private Map<String, String> provided(TeamFixture t) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path cmd = Files.writeString(bin.resolve("cxpm-test-no-such-cmd"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(cmd, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = t.env("codex-home");
        env.put("CXPM_TEST_TOKEN", "t0k3n");
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        return env;
    }

    private record Snapshot(Map<String, String> home, Map<String, String> project) {
        static Snapshot of(TeamFixture t) {
            return new Snapshot(TeamFixture.tree(t.codexHome()), TeamFixture.tree(t.project));
        }
    }

    private static void assertRefused(CliRun r, TeamFixture t, Snapshot before) {
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo(REFUSAL);
        assertThat(r.stdout()).isEmpty();
        Snapshot after = Snapshot.of(t);
        assertThat(after.home()).as("nothing written to the Codex home").isEqualTo(before.home());
        assertThat(after.project()).as("nothing written to cxpm.toml or cxpm.lock").isEqualTo(before.project());
    }

    private void assertInstalledAndEnabledForCodex(TeamFixture t) {
        CodexClient.Result list = new CodexClient(t.codexHome(), dir.resolve("home")).run("plugin", "list", "--json");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains("\"pluginId\": \"gh@fx\"", "\"installed\": true", "\"enabled\": true");
    }

    @Test
    void installRefusesAPluginThatLacksPrerequisitesAndWritesNothing() {
        TeamFixture t = team().needs();
        assertThat(t.cxpm("marketplace", "add", t.market.toString()).exitCode()).isZero();
        Snapshot before = Snapshot.of(t);
        assertRefused(t.cxpm("install", "--yes", "gh@fx"), t, before);
    }

    @Test
    void addRefusesThePluginWithTheSameMessageAndLeavesCxpmTomlAlone() {
        TeamFixture t = team().needs();
        Snapshot before = Snapshot.of(t);
        assertRefused(t.cxpm("add", "--yes", "gh"), t, before);
        assertThat(t.project.resolve("cxpm.lock")).doesNotExist();
    }

    @Test
    void syncRefusesThePluginWithTheSameMessageInsteadOfWarning() {
        TeamFixture t = team().needs("gh", "*", "plain", "*");
        Snapshot before = Snapshot.of(t);
        assertRefused(t.cxpm("sync", "--yes"), t, before);
        assertThat(t.project.resolve("cxpm.lock")).doesNotExist();
    }

    @Test
    void syncFrozenFailsInCiWhenAPrerequisiteIsMissing() {
        TeamFixture t = team().needs("gh", "*");
        CliRun locked = t.cxpmIn(t.project, "dev-home", "sync", "--yes", "--ignore-prerequisites"); // the developer's machine
        assertThat(locked.exitCode()).as(locked.stderr()).isZero();
        Snapshot before = Snapshot.of(t);
        assertRefused(t.cxpm("sync", "--yes", "--frozen"), t, before);
        CliRun forced = t.cxpm("sync", "--yes", "--frozen", "--ignore-prerequisites");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(forced.stderr()).isEqualTo(WARNING);
    }

    @Test
    void enableRefusesThePluginWithTheSameMessage() {
        TeamFixture t = team().needs();
        assertThat(t.cxpm("marketplace", "add", t.market.toString()).exitCode()).isZero();
        assertThat(t.cxpm("install", "--yes", "gh@fx", "--ignore-prerequisites").exitCode()).isZero();
        assertThat(t.cxpm("disable", "gh@fx").exitCode()).isZero();
        Snapshot before = Snapshot.of(t);
        assertRefused(t.cxpm("enable", "gh@fx"), t, before);
        CliRun forced = t.cxpm("enable", "gh@fx", "--ignore-prerequisites");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(forced.stderr()).isEqualTo(WARNING);
        assertInstalledAndEnabledForCodex(t);
    }

    @Test
    void installWithTheOverrideInstallsAndWarnsWithTheSameWords() {
        TeamFixture t = team().needs();
        assertThat(t.cxpm("marketplace", "add", t.market.toString()).exitCode()).isZero();
        CliRun r = t.cxpm("install", "--yes", "gh@fx", "--ignore-prerequisites");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).isEqualTo(WARNING);
        assertInstalledAndEnabledForCodex(t);
        CliRun json = t.cxpm("install", "--yes", "gh@fx", "--ignore-prerequisites", "--json");
        assertThat(json.stdout()).contains("\"missingPrerequisites\"", "gh@fx: command `cxpm-test-no-such-cmd` not found on PATH");
    }

    @Test
    void addAndSyncWithTheOverrideInstallAndWarnWithTheSameWords() {
        TeamFixture t = team().needs();
        CliRun add = t.cxpm("add", "--yes", "gh", "--ignore-prerequisites");
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        assertThat(add.stderr()).isEqualTo(WARNING);
        assertThat(t.read(t.project.resolve("cxpm.toml"))).contains("gh = ");
        assertInstalledAndEnabledForCodex(t);

        CliRun sync = t.cxpmIn(t.project, "other-home", "sync", "--yes", "--ignore-prerequisites", "--json");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(sync.stdout()).contains("\"missingPrerequisites\" : [ \"gh@fx: command `cxpm-test-no-such-cmd` not found on PATH");
        assertThat(dir.resolve("other-home/plugins/cache/fx/gh/1.0.0/.mcp.json")).exists();
    }

    @Test
    void syncReadsTheMcpConfigurationTheManifestNamesFromTheStoredPlugin() {
        TeamFixture t = new TeamFixture(dir).plugin("gh", "1.0.0").needs("gh", "*");
        TeamFixture.write(t.market.resolve("plugins/gh/.codex-plugin/plugin.json"),
                "{\"name\": \"gh\", \"version\": \"1.0.0\", \"mcpServers\": \"./config/mcp.json\"}\n");
        TeamFixture.write(t.market.resolve("plugins/gh/config/mcp.json"), """
                {"mcpServers": {"gh": {"command": "cxpm-test-no-such-cmd", "env": {"TOKEN": "${CXPM_TEST_TOKEN}"}}}}
                """);
        Snapshot before = Snapshot.of(t);
        CliRun r = t.cxpm("sync", "--yes");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("gh@fx needs what this machine lacks:", "command `cxpm-test-no-such-cmd` not found on PATH (MCP server `gh` runs it)",
                "environment variable CXPM_TEST_TOKEN is not set (MCP server `gh` reads it)");
        assertThat(Snapshot.of(t)).isEqualTo(before);
    }

    @Test
    void updateToAVersionThatNeedsWhatThisMachineLacksIsRefusedByTheSameRule() {
        TeamFixture t = new TeamFixture(dir).plugin("gh", "1.0.0").needs("gh", "^1");
        assertThat(t.cxpm("sync", "--yes").exitCode()).isZero();
        // 1.1.0 gains an MCP server that needs a command and a variable
        TeamFixture.write(t.market.resolve("plugins/gh/.codex-plugin/plugin.json"), """
                {"name": "gh", "version": "1.1.0", "prerequisites": {"commands": {"cxpm-test-no-such-cmd": "get it from https://example.test/cmd"},
                 "env": {"CXPM_TEST_TOKEN": "a token with repo scope"}}}
                """);
        TeamFixture.write(t.market.resolve("plugins/gh/.mcp.json"), """
                {"mcpServers": {"gh": {"command": "cxpm-test-no-such-cmd", "args": [], "env": {"TOKEN": "${CXPM_TEST_TOKEN}"}}}}
                """);
        Snapshot before = Snapshot.of(t);
        assertRefused(t.cxpm("update", "--yes"), t, before);
        CliRun forced = t.cxpm("update", "--yes", "--ignore-prerequisites");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(forced.stderr()).isEqualTo(WARNING);
        assertThat(t.codexHome().resolve("plugins/cache/fx/gh/1.1.0/.mcp.json")).exists();
    }

    @Test
    void aMachineThatHasThePrerequisitesIsNotWarned() throws Exception {
        TeamFixture t = team().needs("gh", "*");
        CliRun r = CliRun.in(t.project, provided(t), "sync", "--yes");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void aPluginAddedDisabledIsNotCheckedUntilItIsEnabled() {
        TeamFixture t = team().needs();
        CliRun add = t.cxpm("add", "--yes", "gh", "--disabled");
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        assertThat(add.stderr()).isEmpty();
        Snapshot before = Snapshot.of(t);
        assertRefused(t.cxpm("enable", "gh@fx"), t, before);
    }

    @Test
    void doctorWithDriftOnlyFails() throws Exception {
        TeamFixture t = team().needs("gh", "*");
        Map<String, String> env = provided(t);
        assertThat(CliRun.in(t.project, env, "sync", "--yes").exitCode()).isZero();
        Files.writeString(t.codexHome().resolve("plugins/cache/fx/gh/1.0.0/skills/gh-skill/SKILL.md"), "hacked\n");
        CliRun r = CliRun.in(t.project, env, "doctor");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).contains("files of gh@fx", "fix: cxpm sync --verify").doesNotContain("prerequisite");
        CliRun json = CliRun.in(t.project, env, "doctor", "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.stdout()).contains("\"healthy\" : false", "\"code\" : \"edited\"", "\"missingPrerequisites\" : [ ]");
    }

    @Test
    void doctorWithMissingPrerequisitesOnlyWarnsAndExitsZero() {
        TeamFixture t = team().needs("gh", "*");
        assertThat(t.cxpm("sync", "--yes", "--ignore-prerequisites").exitCode()).isZero();
        CliRun r = t.cxpm("doctor");
        assertThat(r.exitCode()).as(r.stdout()).isZero();
        assertThat(r.stdout()).isEqualTo("""
                No drift: the Codex home matches cxpm.lock.
                Missing prerequisites (a warning; --strict makes it an error):
                - gh@fx: command `cxpm-test-no-such-cmd` not found on PATH (MCP server `gh` runs it)
                  fix: get it from https://example.test/cmd
                - gh@fx: environment variable CXPM_TEST_TOKEN is not set (MCP server `gh` reads it)
                  fix: a token with repo scope; then export CXPM_TEST_TOKEN=...
                """);
        CliRun json = t.cxpm("doctor", "--json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.stdout()).contains("\"healthy\" : true", "\"findings\" : [ ]", "\"code\" : \"missing-command\"", "\"code\" : \"missing-env\"");
    }

    @Test
    void doctorStrictFailsOnMissingPrerequisites() {
        TeamFixture t = team().needs("gh", "*");
        assertThat(t.cxpm("sync", "--yes", "--ignore-prerequisites").exitCode()).isZero();
        CliRun r = t.cxpm("doctor", "--strict");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).contains("No drift", "Missing prerequisites (an error with --strict):", "CXPM_TEST_TOKEN");
        CliRun json = t.cxpm("doctor", "--strict", "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.stdout()).contains("\"healthy\" : false", "\"findings\" : [ ]", "\"code\" : \"missing-env\"");
    }

    @Test
    void doctorWithDriftAndMissingPrerequisitesShowsBothApart() throws Exception {
        TeamFixture t = team().needs("gh", "*");
        assertThat(t.cxpm("sync", "--yes", "--ignore-prerequisites").exitCode()).isZero();
        Files.writeString(t.codexHome().resolve("plugins/cache/fx/gh/1.0.0/skills/gh-skill/SKILL.md"), "hacked\n");
        CliRun r = t.cxpm("doctor");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).startsWith("- files of gh@fx").contains("Missing prerequisites (a warning", "CXPM_TEST_TOKEN");
        CliRun json = t.cxpm("doctor", "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        String out = json.stdout();
        assertThat(out.substring(out.indexOf("\"findings\""), out.indexOf("\"missingPrerequisites\"")))
                .contains("\"code\" : \"edited\"").doesNotContain("missing-env");
        assertThat(out.substring(out.indexOf("\"missingPrerequisites\""))).contains("\"code\" : \"missing-env\"").doesNotContain("edited");
    }

    @Test
    void doctorDoesNotAskForWhatADisabledPluginNeeds() {
        TeamFixture t = team().toml("[marketplaces]\nfx = \"../market\"\n\n[plugins]\ngh = { version = \"*\", enabled = false }\n");
        assertThat(t.cxpm("sync", "--yes").exitCode()).isZero();
        CliRun r = t.cxpm("doctor", "--strict");
        assertThat(r.exitCode()).as(r.stdout()).isZero();
        assertThat(r.stdout()).isEqualTo("No drift: the Codex home matches cxpm.lock.\n");
    }
}
