package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.HomeLock;
import dev.cxpm.testkit.CodexClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallCommandTest {

    @TempDir
    Path tmp;
    Path codexHome;
    Path home;
    Map<String, String> env;
    CodexClient codex;
    Path market;

    @BeforeEach
    void setUp() throws Exception {
        codexHome = tmp.resolve("codex-home");
        home = tmp.resolve("home");
        env = new HashMap<>(Fixtures.env(codexHome, home));
        codex = new CodexClient(codexHome, home);
        market = Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0", "nover", null);
        assertThat(cxpm("marketplace", "add", "mk").exitCode()).isZero();
    }

    CliRun cxpm(String... args) {
        return CliRun.in(tmp, env, args);
    }

    @Test
    void pluginInstalledByCxpmIsInstalledAndEnabledForCodex() {
        CliRun r = cxpm("install", "demo@fx", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Path installed = codexHome.resolve("plugins/cache/fx/demo/1.0.0");
        assertThat(r.stdout()).contains("\"pluginId\": \"demo@fx\"", "\"installedPath\": \"" + installed + "\"", "\"integrity\": \"sha512-");
        assertThat(installed.resolve(".codex-plugin/plugin.json")).exists();
        assertThat(installed.resolve("skills/hello/SKILL.md")).exists();

        CodexClient.Result list = codex.run("plugin", "list", "--json");
        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout()).contains("\"pluginId\": \"demo@fx\"", "\"version\": \"1.0.0\"", "\"installed\": true", "\"enabled\": true");
    }

    @Test
    void pluginInstalledByCodexIsListedAndUninstalledByCxpm() {
        assertThat(codex.run("plugin", "add", "demo@fx").exitCode()).isZero();
        CliRun list = cxpm("list", "--json");
        assertThat(list.stdout()).contains("\"pluginId\": \"demo@fx\"", "\"version\": \"1.0.0\"", "\"enabled\": true");
        assertThat(cxpm("list").stdout()).contains("demo@fx", "1.0.0", "enabled");

        CliRun rm = cxpm("uninstall", "demo@fx");
        assertThat(rm.exitCode()).isZero();
        assertThat(rm.stdout()).contains("Removed plugin `demo` from marketplace `fx`.");
        assertThat(codexHome.resolve("plugins/cache/fx/demo")).doesNotExist();
        assertThat(codex.run("plugin", "list", "--json").stdout()).contains("\"installed\": []");
    }

    @Test
    void installFromAMarketplaceWhoseFileBrokeSaysSoAndChangesNothing() throws Exception {
        Path file = market.resolve(".agents/plugins/marketplace.json");
        Files.writeString(file, "{\"name\": \"fx\", \"plugins\": [");
        Path config = codexHome.resolve("config.toml");
        String before = Files.readString(config);
        CliRun r = cxpm("install", "demo@fx");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("plugin `demo` was not found in marketplace `fx`", "marketplace file cannot be read");
        assertThat(Files.readString(config)).isEqualTo(before);
        assertThat(codexHome.resolve("plugins/cache/fx/demo")).doesNotExist();
    }

    @Test
    void unversionedPluginIsInstalledAsLocalLikeCodex() {
        CliRun r = cxpm("install", "nover@fx", "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("plugins/cache/fx/nover/local");
    }

    @Test
    void rangeSelectsMatchingVersionAndSkipsUnversioned() {
        assertThat(cxpm("install", "demo@fx", "--version", "^1.0").exitCode()).isZero();
        CliRun none = cxpm("install", "demo@fx", "--version", "^2");
        assertThat(none.exitCode()).isEqualTo(3);
        assertThat(none.stderr()).contains("no version of demo@fx matches ^2");
        assertThat(cxpm("install", "nover@fx", "--version", "*").exitCode()).isEqualTo(3);
        assertThat(cxpm("install", "demo@fx", "--version", "~1.0.0").exitCode()).isZero();
        assertThat(cxpm("install", "demo@fx", "--version", "1.x").exitCode()).isZero();
        assertThat(cxpm("install", "demo@fx", "--version", "1.0.0").exitCode()).isZero();
    }

    @Test
    void newVersionReplacesTheOldOne() throws Exception {
        cxpm("install", "demo@fx");
        Path manifest = market.resolve("plugins/demo/.codex-plugin/plugin.json");
        Files.writeString(manifest, Files.readString(manifest).replace("1.0.0", "1.1.0"));
        assertThat(cxpm("install", "demo@fx").exitCode()).isZero();
        try (var s = Files.list(codexHome.resolve("plugins/cache/fx/demo"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("1.1.0");
        }
        assertThat(codex.run("plugin", "list", "--json").stdout()).contains("\"version\": \"1.1.0\"");
        try (var s = Files.list(codexHome.resolve("plugins/.cxpm-staging"))) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void reinstallingUnchangedContentCopiesNothing() {
        cxpm("install", "demo@fx");
        CliRun again = cxpm("install", "demo@fx", "--json");
        assertThat(again.stdout()).contains("\"unchanged\": true");
    }

    @Test
    void disableAndEnableAreSeenByCodex() {
        cxpm("install", "demo@fx");
        assertThat(cxpm("disable", "demo@fx").exitCode()).isZero();
        assertThat(codex.run("plugin", "list", "--json").stdout()).contains("\"enabled\": false");
        assertThat(cxpm("enable", "demo@fx").exitCode()).isZero();
        assertThat(codex.run("plugin", "list", "--json").stdout()).contains("\"enabled\": true");
    }

    @Test
    void enablingAPluginThatIsNotInstalledIsNotFound() {
        CliRun r = cxpm("enable", "demo@fx");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("not installed");
    }

    @Test
    void unknownPluginAndMarketplaceAreNotFoundWithCodexMessage() {
        CliRun r = cxpm("install", "nope@fx");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("plugin `nope` was not found in marketplace `fx`");
        assertThat(cxpm("install", "demo@nomk").stderr()).contains("plugin `demo` was not found in marketplace `nomk`");
    }

    @Test
    void pluginWithoutMarketplaceIsInstalledFromTheOneMarketplaceThatHasIt() {
        CliRun r = cxpm("install", "demo");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("Added plugin `demo` from marketplace `fx`.");
        assertThat(cxpm("install", "demo", "-m", "fx").exitCode()).isZero();
    }

    @Test
    void missingPrerequisitesAreListedWithTheirHintsAndNothingIsInstalled() throws Exception {
        Path p = market.resolve("plugins/demo");
        Files.writeString(p.resolve(".codex-plugin/plugin.json"), """
                {"name": "demo", "version": "1.0.0",
                 "prerequisites": {"commands": {"cxpm-test-no-such-cmd": "get it from https://example.test/cmd"},
                                   "env": {"CXPM_TEST_TOKEN": "a token from https://example.test/tokens"}}}
                """);
        Files.writeString(p.resolve(".mcp.json"), """
                {"mcpServers": {"srv": {"command": "cxpm-test-no-such-cmd", "args": [], "env": {"TOKEN": "${CXPM_TEST_TOKEN}"}}}}
                """);
        CliRun r = cxpm("install", "demo@fx");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("command `cxpm-test-no-such-cmd` not found on PATH (MCP server `srv` runs it): get it from https://example.test/cmd",
                "environment variable CXPM_TEST_TOKEN is not set (MCP server `srv` reads it): a token from https://example.test/tokens; "
                        + "then export CXPM_TEST_TOKEN=...", "--ignore-prerequisites");
        assertThat(codexHome.resolve("plugins/cache/fx/demo")).doesNotExist();

        CliRun forced = cxpm("install", "demo@fx", "--ignore-prerequisites", "--yes"); // --yes: approve what srv runs (ApprovalsTest)
        assertThat(forced.exitCode()).isZero();
        assertThat(forced.stderr()).contains("warning: demo@fx needs what this machine lacks:", "command `cxpm-test-no-such-cmd` not found");

        cxpm("disable", "demo@fx");
        assertThat(cxpm("enable", "demo@fx").exitCode()).isEqualTo(1);
        env.put("CXPM_TEST_TOKEN", "x");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path cmd = Files.writeString(bin.resolve("cxpm-test-no-such-cmd"), "#!/bin/sh\n");
        cmd.toFile().setExecutable(true);
        env.put("PATH", bin + ":" + env.get("PATH"));
        assertThat(cxpm("enable", "demo@fx").exitCode()).isZero();
    }

    @Test
    void manifestThatIsNotAnObjectIsRefusedByInstallAsByValidateAndTheRealCodex() throws Exception {
        // Install's own copy of Codex's rules accepted this as version `local`; validate and Codex refuse it.
        Files.writeString(market.resolve("plugins/demo/.codex-plugin/plugin.json"), "\"demo\"\n");
        CliRun r = cxpm("install", "demo@fx");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("failed to parse plugin.json: invalid type: string");
        assertThat(codexHome.resolve("plugins/cache/fx/demo")).doesNotExist();
        assertThat(cxpm("validate", market.resolve("plugins/demo").toString()).stdout())
                .contains("error [manifest.not-object] failed to parse plugin.json: invalid type: string");
        CodexClient.Result real = codex.run("plugin", "add", "demo@fx");
        assertThat(real.exitCode()).isNotZero();
        assertThat(real.stderr()).contains("failed to parse plugin.json: invalid type: string");
    }

    @Test
    void installPrintsEveryProblemCodexRefusesAPluginForAndNoStrictWarning() throws Exception {
        Files.writeString(market.resolve("plugins/demo/.codex-plugin/plugin.json"),
                "{\"name\": \"demo\", \"version\": \" \", \"keywords\": \"a\", \"skills\": \"skills\"}\n");
        CliRun r = cxpm("install", "demo@fx");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("invalid plugin version in plugin.json: must not be blank",
                "missing or invalid plugin.json: `keywords` must be an array of strings")
                .doesNotContain("Codex ignores");
    }

    @Test
    void commandsThatArePathsOrVariablesAndVariablesWithAFallbackAreNotPrerequisites() throws Exception {
        // install asked for a command `${SERVER_BIN}` on PATH, which validate --strict does not ask to declare.
        Path p = market.resolve("plugins/demo");
        Files.writeString(p.resolve(".mcp.json"), """
                {"mcpServers": {"a": {"command": "${SERVER_BIN}", "env": {"LEVEL": "${CXPM_TEST_LEVEL:-info}"}},
                                "b": {"command": "C:\\\\tools\\\\srv.exe"}, "c": {"command": "./bin/srv"}}}
                """);
        CliRun r = cxpm("install", "demo@fx", "--yes");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).doesNotContain("not found on PATH", "is not set");
        assertThat(cxpm("validate", p.toString(), "--strict").stdout()).doesNotContain("prereq.");
    }

    @Test
    void notAvailablePolicyIsRefused() throws Exception {
        Path m = tmp.resolve("na");
        Fixtures.marketplace(m, "na", "demo", "1.0.0");
        Files.writeString(m.resolve(".agents/plugins/marketplace.json"), """
                {"name": "na", "plugins": [{"name": "demo", "source": "./plugins/demo", "policy": {"installation": "NOT_AVAILABLE"}}]}
                """);
        cxpm("marketplace", "add", "na");
        CliRun r = cxpm("install", "demo@na");
        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(r.stderr()).contains("plugin `demo` is not available for install in marketplace `na`");
    }

    @Test
    void gitSourcedPluginInstallsFromTheStoreWhenItsRepositoryIsUnreachable() throws Exception {
        Path repo = Fixtures.plugin(tmp.resolve("gitplugin"), "{\"name\": \"gp\", \"version\": \"3.0.0\"}");
        String url = Fixtures.gitRepo(repo, home, "gp");
        Path m = tmp.resolve("gm");
        Files.createDirectories(m.resolve(".agents/plugins"));
        Files.writeString(m.resolve(".agents/plugins/marketplace.json"),
                "{\"name\": \"gm\", \"plugins\": [{\"name\": \"gp\", \"source\": {\"source\": \"url\", \"url\": \"" + url + "\"}}]}");
        assertThat(cxpm("marketplace", "add", "gm").exitCode()).isZero();
        CliRun first = cxpm("install", "gp@gm", "--json");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).contains("\"origin\": \"source\"");
        assertThat(codexHome.resolve("plugins/cache/gm/gp/3.0.0/.git")).doesNotExist();
        cxpm("uninstall", "gp@gm");

        dev.cxpm.core.codexhome.Trees.delete(tmp.resolve("gp.git"));
        CliRun offline = cxpm("install", "gp@gm", "--json");
        assertThat(offline.exitCode()).as(offline.stderr()).isZero();
        assertThat(offline.stdout()).contains("\"origin\": \"store-offline\"");
        assertThat(codex.run("plugin", "list", "--json").stdout()).contains("\"pluginId\": \"gp@gm\"", "\"version\": \"3.0.0\"");
    }

    @Test
    void lockedHomeFailsWithConflictAndChangesNothing() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            try (HomeLock lock = HomeLock.acquire(new CodexHome(codexHome), Duration.ofSeconds(10))) {
                held.countDown();
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        held.await();
        env.put("CXPM_LOCK_TIMEOUT", "0.2");
        CliRun r = cxpm("install", "demo@fx");
        done.countDown();
        holder.join();
        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(r.stderr()).contains("another cxpm is changing this Codex home", "CXPM_LOCK_TIMEOUT");
        assertThat(codexHome.resolve("plugins/cache/fx/demo")).doesNotExist();
    }
}
