package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.testkit.CodexClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A project whose cxpm.toml names a git marketplace: sync clones it as Codex would and locks the commit. */
class SyncGitMarketplaceTest {

    @TempDir
    Path dir;

    @Test
    void syncClonesTheDeclaredGitMarketplaceAndLocksItsCommit() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("app", "1.0.0", "util", "^2").plugin("util", "2.0.0");
        Path home = dir.resolve("home");
        String url = Fixtures.gitRepo(t.market, home, "mk");
        String commit = Fixtures.git(t.market, "rev-parse", "HEAD");
        t.toml("[marketplaces]\nfx = \"" + url + "\"\n\n[plugins]\napp = \"^1\"\n");

        Map<String, String> env = new HashMap<>(t.env("codex-home"));
        CliRun r = CliRun.in(t.project, env, "sync");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String lock = t.read(t.project.resolve("cxpm.lock"));
        assertThat(lock).contains("source = \"git+" + url + "?path=plugins/app#" + commit + "\"",
                "source = \"git+" + url + "?path=plugins/util#" + commit + "\"");

        CodexClient codex = new CodexClient(t.codexHome(), home);
        CodexClient.Result list = codex.run("plugin", "list", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.stdout()).contains("\"pluginId\": \"app@fx\"", "\"pluginId\": \"util@fx\"", "\"installed\": true");

        // A teammate with an empty home and an empty store gets the same plugins, from the same commit.
        Map<String, String> mate = new HashMap<>(t.env("mate-home"));
        mate.put("CXPM_STORE", dir.resolve("mate-store").toString());
        CliRun m = CliRun.in(t.project, mate, "sync", "--frozen");
        assertThat(m.exitCode()).as(m.stderr()).isZero();
        assertThat(TeamFixture.tree(dir.resolve("mate-home/plugins/cache")))
                .isEqualTo(TeamFixture.tree(t.codexHome().resolve("plugins/cache")));
    }
}
