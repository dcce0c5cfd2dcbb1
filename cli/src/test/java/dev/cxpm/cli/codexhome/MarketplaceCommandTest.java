package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.testkit.CodexClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketplaceCommandTest {

    @TempDir
    Path tmp;
    Path codexHome;
    Path home;
    Map<String, String> env;
    CodexClient codex;

    @BeforeEach
    void setUp() {
        codexHome = tmp.resolve("codex-home");
        home = tmp.resolve("home");
        env = Fixtures.env(codexHome, home);
        codex = new CodexClient(codexHome, home);
    }

    CliRun cxpm(String... args) {
        return CliRun.in(tmp, env, args);
    }

    @Test
    void localMarketplaceAddedByCxpmIsListedByCodex() throws Exception {
        Path m = Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        CliRun r = cxpm("marketplace", "add", "mk");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("Added marketplace `fx` from " + m + ".\nInstalled marketplace root: " + m + "\n");

        CodexClient.Result list = codex.run("plugin", "marketplace", "list", "--json");
        assertThat(list.stdout()).contains("\"name\": \"fx\"", "\"root\": \"" + m + "\"", "\"sourceType\": \"local\"");
        assertThat(codex.run("plugin", "add", "demo@fx").exitCode()).isZero();
    }

    @Test
    void addingTheSameMarketplaceAgainSaysAlreadyAdded() throws Exception {
        Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        cxpm("marketplace", "add", "mk");
        CliRun again = cxpm("marketplace", "add", "./mk", "--json");
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("\"alreadyAdded\": true");
    }

    @Test
    void marketplaceAddedByCodexIsListedByCxpm() throws Exception {
        Path m = Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        assertThat(codex.run("plugin", "marketplace", "add", m.toString()).exitCode()).isZero();
        CliRun r = cxpm("marketplace", "list", "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("\"name\": \"fx\"", "\"root\": \"" + m + "\"", "\"plugins\": 1");
        CliRun human = cxpm("marketplace", "list");
        assertThat(human.stdout()).startsWith("MARKETPLACE").contains("fx", "local", m.toString());
    }

    @Test
    void removedMarketplaceDisappearsForCodex() throws Exception {
        Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        cxpm("marketplace", "add", "mk");
        CliRun r = cxpm("marketplace", "remove", "fx", "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("\"installedRoot\": null");
        assertThat(codex.run("plugin", "marketplace", "list").stdout()).contains("No plugin marketplaces in scope.");
    }

    @Test
    void removingAnUnknownMarketplaceIsNotFound() {
        CliRun r = cxpm("marketplace", "remove", "nomk");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("marketplace `nomk` is not configured or installed");
    }

    @Test
    void fileUrlsAreRefusedLikeCodexDoes() {
        CliRun r = cxpm("marketplace", "add", "file:///nonexistent/repo.git");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("invalid marketplace source format");
    }

    @Test
    void missingDirectoryIsNotFound() {
        CliRun r = cxpm("marketplace", "add", "./nope");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("does not exist");
    }

    @Test
    void directoryWithoutManifestIsInvalid() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        CliRun r = cxpm("marketplace", "add", "./empty");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("marketplace root does not contain a supported manifest");
    }

    @Test
    void sameNameFromAnotherWorkingSourceIsAConflict() throws Exception {
        Fixtures.marketplace(tmp.resolve("a"), "fx", "demo", "1.0.0");
        Fixtures.marketplace(tmp.resolve("b"), "fx", "demo", "1.0.0");
        cxpm("marketplace", "add", "a");
        CliRun r = cxpm("marketplace", "add", "b");
        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(r.stderr()).contains("already added from a different source");
    }

    @Test
    void updateWithOnlyLocalMarketplacesSaysThereIsNothingToUpdate() throws Exception {
        Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        assertThat(cxpm("marketplace", "add", "mk").exitCode()).isZero();
        CliRun r = cxpm("marketplace", "update");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("No Git marketplace to update: local marketplaces are read in place.\n");
        CliRun json = cxpm("marketplace", "update", "--json");
        assertThat(json.stdout()).contains("\"selectedMarketplaces\": []", "\"changed\": false");
    }

    @Test
    void nameOptionRefusesAMarketplaceCalledOtherwise() throws Exception {
        Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        assertThat(cxpm("marketplace", "add", "mk", "--name", "other").exitCode()).isEqualTo(6);
        assertThat(cxpm("marketplace", "add", "mk", "--name", "fx").exitCode()).isZero();
    }

    @Test
    void gitMarketplaceIsClonedWhereCodexLooksAndUpdatedWhenTheRemoteMoves() throws Exception {
        Path repo = Fixtures.marketplace(tmp.resolve("repo"), "fx", "demo", "1.0.0");
        String url = Fixtures.gitRepo(repo, home, "mk");

        CliRun add = cxpm("marketplace", "add", url, "--json");
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        Path clone = codexHome.resolve(".tmp/marketplaces/fx");
        assertThat(add.stdout()).contains("\"installedRoot\": \"" + clone + "\"");
        assertThat(clone.resolve(".agents/plugins/marketplace.json")).exists();

        assertThat(codex.run("plugin", "marketplace", "list", "--json").stdout()).contains("\"sourceType\": \"git\"", url);
        CodexClient.Result codexAdd = codex.run("plugin", "add", "demo@fx", "--json");
        assertThat(codexAdd.exitCode()).as(codexAdd.output()).isZero();

        assertThat(cxpm("marketplace", "update").stdout()).contains("Upgraded 1 marketplace(s).");
        assertThat(cxpm("marketplace", "update", "fx").stdout()).isEqualTo("Git marketplace `fx` is already up to date.\n");
        CliRun same = cxpm("marketplace", "update", "--json");
        assertThat(same.exitCode()).as(same.stderr()).isZero();
        assertThat(same.stdout()).contains("\"changed\": false", "\"upgradedRoots\": []");
        assertThat(codex.run("plugin", "marketplace", "upgrade").stdout()).contains("already up to date");

        Files.writeString(repo.resolve("NEW.md"), "new\n");
        Fixtures.commitAll(repo, "second");
        Fixtures.push(repo, "mk");
        CliRun up = cxpm("marketplace", "update", "--json");
        assertThat(up.stdout()).contains("\"changed\": true", "\"upgradedRoots\": [", clone.toString());
        assertThat(clone.resolve("NEW.md")).exists();

        CliRun rm = cxpm("marketplace", "remove", "fx");
        assertThat(rm.exitCode()).isZero();
        assertThat(clone).doesNotExist();
    }

    @Test
    void sparseGitMarketplaceChecksOutWhatCodexChecksOutAndWritesTheSameConfig() throws Exception {
        Path repo = Fixtures.marketplace(tmp.resolve("repo"), "fx", "demo", "1.0.0", "other", "1.0.0");
        Files.createDirectories(repo.resolve("docs"));
        Files.writeString(repo.resolve("docs/guide.md"), "guide\n");
        Files.writeString(repo.resolve("README.md"), "top\n");
        String url = Fixtures.gitRepo(repo, home, "mk");

        CliRun add = cxpm("marketplace", "add", url, "--sparse", ".agents", "--sparse", "plugins/demo");
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        Path clone = codexHome.resolve(".tmp/marketplaces/fx");
        assertThat(clone.resolve(".agents/plugins/marketplace.json")).exists();
        assertThat(clone.resolve("plugins/demo/.codex-plugin/plugin.json")).exists();
        assertThat(clone.resolve("README.md")).as("cone mode keeps top-level files").exists();
        assertThat(clone.resolve("plugins/other")).doesNotExist();
        assertThat(clone.resolve("docs")).doesNotExist();
        String ours = Files.readString(codexHome.resolve("config.toml"));
        assertThat(ours).contains("sparse_paths = [\".agents\", \"plugins/demo\"]");
        assertThat(cxpm("marketplace", "list", "--json").stdout()).contains("\"sparsePaths\": [\n          \".agents\",\n          \"plugins/demo\"\n        ]");

        // The real client, on its own home, writes the same config.toml bytes and checks out the same files.
        Path codexHome2 = tmp.resolve("codex-home-2");
        CodexClient codex2 = new CodexClient(codexHome2, home);
        assertThat(codex2.run("plugin", "marketplace", "add", url, "--sparse", ".agents", "--sparse", "plugins/demo").exitCode()).isZero();
        assertThat(Files.readString(codexHome2.resolve("config.toml"))).isEqualTo(ours);
        assertThat(codexHome2.resolve(".tmp/marketplaces/fx/plugins/other")).doesNotExist();

        // Codex installs from our sparse clone what was checked out, and refuses what was not.
        assertThat(codex.run("plugin", "add", "demo@fx").exitCode()).isZero();
        assertThat(codex.run("plugin", "add", "other@fx").output()).contains("missing plugin.json");
        assertThat(cxpm("install", "other@fx").stderr()).contains("missing plugin.json");

        // Adding it again with other paths is another source; update keeps the sparse paths.
        assertThat(cxpm("marketplace", "add", url).stderr()).contains("already added from a different source");
        Files.writeString(repo.resolve("docs/guide.md"), "guide 2\n");
        Fixtures.commitAll(repo, "second");
        Fixtures.push(repo, "mk");
        assertThat(cxpm("marketplace", "update", "fx").exitCode()).isZero();
        assertThat(clone.resolve("docs")).doesNotExist();
        assertThat(Files.readString(clone.resolve(".codex-marketplace-install.json")))
                .contains("\"sparse_paths\": [\n    \".agents\",\n    \"plugins/demo\"\n  ],");
    }

    @Test
    void sparseIsOnlyForGitSources() throws Exception {
        Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        CliRun r = cxpm("marketplace", "add", "mk", "--sparse", ".agents");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--sparse is only supported for git marketplace sources");
        assertThat(cxpm("marketplace", "add", "https://git.example.test/x.git", "--sparse", "../up").stderr())
                .contains("is not a path inside the repository");
        assertThat(codexHome.resolve("config.toml")).doesNotExist();
    }

    @Test
    void gitMarketplaceAddedByCodexIsUpdatedByCxpm() throws Exception {
        Path repo = Fixtures.marketplace(tmp.resolve("repo"), "fx", "demo", "1.0.0");
        String url = Fixtures.gitRepo(repo, home, "mk");
        assertThat(codex.run("plugin", "marketplace", "add", url, "--ref", "main").exitCode()).isZero();
        CliRun list = cxpm("marketplace", "list", "--json");
        assertThat(list.stdout()).contains("\"sourceType\": \"git\"", "\"ref\": \"main\"");
        assertThat(cxpm("marketplace", "update", "fx").exitCode()).isZero();
    }

    @Test
    void updatingALocalMarketplaceSaysItIsNotGit() throws Exception {
        Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        cxpm("marketplace", "add", "mk");
        CliRun r = cxpm("marketplace", "update", "fx");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("is not configured as a Git marketplace");
    }

    @Test
    void missingGitIsAClearError() {
        Map<String, String> noGit = new HashMap<>(env);
        noGit.put("PATH", tmp.resolve("empty-path").toString());
        CliRun r = CliRun.in(tmp, noGit, "marketplace", "add", "https://git.example.test/team/x.git");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stderr()).contains("git is not installed");
    }

    @Test
    void unreachableGitRemoteIsANetworkError() throws Exception {
        Files.createDirectories(home);
        CliRun r = cxpm("marketplace", "add", "https://git.example.test/team/none.git");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stderr()).contains("git clone");
        try (var s = Files.list(codexHome.resolve(".tmp/marketplaces/.staging"))) {
            assertThat(s).isEmpty();
        }
    }
}
