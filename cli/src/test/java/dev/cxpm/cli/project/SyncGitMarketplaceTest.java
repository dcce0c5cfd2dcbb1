package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.cli.fixtures.TeamFixture;
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

    @Test
    void pluginsWithGitSourcesAreClonedResolvedAndLockedToTheirCommit() throws Exception {
        Path home = dir.resolve("home");
        // Two plugins live in their own repositories: one whole ("url"), one in a subdirectory ("git-subdir").
        Path whole = dir.resolve("repos/whole");
        TeamFixture.write(whole.resolve(".codex-plugin/plugin.json"),
                "{\"name\": \"whole\", \"version\": \"3.1.0\", \"dependencies\": {\"part\": \"^1\"}}");
        String wholeUrl = Fixtures.gitRepo(whole, home, "whole");
        Path mono = dir.resolve("repos/mono");
        TeamFixture.write(mono.resolve("plugins/part/.codex-plugin/plugin.json"), "{\"name\": \"part\", \"version\": \"1.4.0\"}");
        TeamFixture.write(mono.resolve("README.md"), "not part of the plugin\n");
        String monoUrl = Fixtures.gitRepo(mono, home, "mono");
        String monoCommit = Fixtures.git(mono, "rev-parse", "HEAD");

        TeamFixture t = new TeamFixture(dir);
        TeamFixture.write(t.market.resolve(".agents/plugins/marketplace.json"), """
                {"name": "fx", "plugins": [
                  {"name": "whole", "source": {"source": "url", "url": "%s"}},
                  {"name": "part", "source": {"source": "git-subdir", "url": "%s", "path": "plugins/part"}}]}
                """.formatted(wholeUrl, monoUrl));
        t.needs("whole", "^3");
        // the clones are made under the store (STORE/tmp/, swept of what a killed sync left), never the shared temp dir
        java.nio.file.Path scratch = java.nio.file.Files.createDirectories(dir.resolve("store/tmp"));
        java.util.List<String> made = new java.util.ArrayList<>();
        CliRun r;
        try (java.nio.file.WatchService watch = scratch.getFileSystem().newWatchService()) {
            java.nio.file.WatchKey key = scratch.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
            r = t.cxpm("sync");
            for (java.nio.file.WatchKey k = key; k != null && made.isEmpty(); k = watch.poll(10, java.util.concurrent.TimeUnit.SECONDS)) {
                k.pollEvents().forEach(e -> made.add(String.valueOf(e.context())));
                k.reset();
            }
        }
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(made).as("the sources were cloned under the store").anySatisfy(n -> assertThat(n).startsWith("sources-"));
        try (var left = java.nio.file.Files.list(scratch)) {
            assertThat(left).as("and removed").isEmpty();
        }
        String lock = t.read(t.project.resolve("cxpm.lock"));
        assertThat(lock).contains("source = \"git+" + monoUrl + "?path=plugins/part#" + monoCommit + "\"",
                "source = \"git+" + wholeUrl + "#", "dependencies = { part = \"^1\" }");
        assertThat(t.codexHome().resolve("plugins/cache/fx/part/1.4.0/.codex-plugin/plugin.json")).exists();
        assertThat(t.codexHome().resolve("plugins/cache/fx/whole/3.1.0/.git")).doesNotExist();
    }

    @Test
    void syncSweepsWhatAKilledSyncLeftUnderTheStoreByTheCommandsClock() throws Exception {
        Path repo = dir.resolve("repos/whole");
        TeamFixture.write(repo.resolve(".codex-plugin/plugin.json"), "{\"name\": \"whole\", \"version\": \"3.1.0\"}");
        String url = Fixtures.gitRepo(repo, dir.resolve("home"), "whole");
        TeamFixture t = new TeamFixture(dir);
        TeamFixture.write(t.market.resolve(".agents/plugins/marketplace.json"),
                "{\"name\": \"fx\", \"plugins\": [{\"name\": \"whole\", \"source\": {\"source\": \"url\", \"url\": \"%s\"}}]}\n"
                        .formatted(url));
        t.needs("whole", "^3");
        // clones a killed sync left: one two hours old and one half an hour old on CliRun's clock (2026-11-25T00:00Z),
        // both weeks old on the machine's; only the first is past the hour after which a leftover is swept
        Path old = java.nio.file.Files.createDirectories(dir.resolve("store/tmp/sources-old"));
        Path recent = java.nio.file.Files.createDirectories(dir.resolve("store/tmp/sources-recent"));
        java.nio.file.Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-11-24T22:00:00Z")));
        java.nio.file.Files.setLastModifiedTime(recent, java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-11-24T23:30:00Z")));

        CliRun r = t.cxpm("sync");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(t.codexHome().resolve("plugins/cache/fx/whole/3.1.0/.codex-plugin/plugin.json")).exists();
        assertThat(old).as("two hours old at the command's time").doesNotExist();
        assertThat(recent).as("half an hour old at the command's time: perhaps another sync's").isDirectory();
    }

    @Test
    void doctorReportsAGitMarketplaceCloneNotFetchedForAWeek() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("app", "1.0.0");
        String url = Fixtures.gitRepo(t.market, dir.resolve("home"), "mk");
        t.toml("[marketplaces]\nfx = \"" + url + "\"\n\n[plugins]\napp = \"*\"\n");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        assertThat(t.cxpm("doctor").exitCode()).isZero(); // CliRun's clock is 2026-11-25T00:00Z
        Path clone = t.codexHome().resolve(".tmp/marketplaces/fx/.git");
        for (String f : new String[] {"FETCH_HEAD", "HEAD"}) {
            if (java.nio.file.Files.exists(clone.resolve(f))) {
                java.nio.file.Files.setLastModifiedTime(clone.resolve(f),
                        java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2026-11-10T00:00:00Z")));
            }
        }
        CliRun r = t.cxpm("doctor");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).contains("marketplace `fx` was last fetched 15 days ago", "fix: cxpm marketplace update fx");
    }
}
