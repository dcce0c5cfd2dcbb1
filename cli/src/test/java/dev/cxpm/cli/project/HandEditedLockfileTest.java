package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.testkit.CodexClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cxpm.lock edited by hand (in a pull request, say) is refused, as README promises: each entry's version, name
 * and source must be those of the content its integrity names, and a refused sync changes nothing in the Codex
 * home, the lockfile or the sync state.
 */
class HandEditedLockfileTest {

    @TempDir
    Path dir;

    /** lone 1.0.0 then 1.1.0 synced, so the store holds both; cxpm.lock now locks 1.1.0. */
    private TeamFixture lockedAt110() {
        TeamFixture t = new TeamFixture(dir).plugin("lone", "1.0.0").needs("lone", "^1");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        t.plugin("lone", "1.1.0");
        CliRun up = t.cxpm("update", "lone");
        assertThat(up.exitCode()).as(up.stderr()).isZero();
        assertThat(t.read(t.project.resolve("cxpm.lock"))).contains("version = \"1.1.0\"");
        return t;
    }

    private Map<String, String> everything(TeamFixture t) {
        Map<String, String> all = new java.util.TreeMap<>();
        TeamFixture.tree(t.codexHome()).forEach((k, v) -> all.put("home/" + k, v));
        TeamFixture.tree(t.project).forEach((k, v) -> all.put("project/" + k, v));
        return all;
    }

    @Test
    void aVersionEditedByHandIsRefusedAndNothingChanges() throws Exception {
        TeamFixture t = lockedAt110();
        Path lockFile = t.project.resolve("cxpm.lock");
        Files.writeString(lockFile, t.read(lockFile).replace("version = \"1.1.0\"", "version = \"1.0.0\""));
        Map<String, String> before = everything(t);

        CliRun r = t.cxpm("sync");

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("cxpm.lock", "lone", "1.0.0", "1.1.0");
        assertThat(everything(t)).isEqualTo(before);
        assertThat(t.codexHome().resolve("plugins/cache/fx/lone/1.0.0")).doesNotExist();
        CodexClient.Result list = new CodexClient(t.codexHome(), dir.resolve("home")).run("plugin", "list", "--json");
        assertThat(list.stdout()).contains("\"version\": \"1.1.0\"").doesNotContain("\"version\": \"1.0.0\"");
    }

    @Test
    void aVersionEditedByHandIsRefusedByFrozenOnAFreshHome() throws Exception {
        TeamFixture t = lockedAt110();
        Path lockFile = t.project.resolve("cxpm.lock");
        Files.writeString(lockFile, t.read(lockFile).replace("version = \"1.1.0\"", "version = \"1.0.0\""));

        CliRun r = t.cxpmIn(t.project, "fresh-home", "sync", "--frozen");

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(dir.resolve("fresh-home")).doesNotExist();
    }

    @Test
    void aNameEditedByHandIsRefusedAndNothingChanges() throws Exception {
        TeamFixture t = lockedAt110();
        Path lockFile = t.project.resolve("cxpm.lock");
        Files.writeString(lockFile, t.read(lockFile).replace("name = \"lone\"", "name = \"other\""));
        Files.writeString(t.project.resolve("cxpm.toml"), t.read(t.project.resolve("cxpm.toml")).replace("lone = ", "other = "));
        Map<String, String> before = everything(t);

        CliRun r = t.cxpm("sync");

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("other", "lone");
        assertThat(everything(t)).isEqualTo(before);
        assertThat(t.codexHome().resolve("plugins/cache/fx/other")).doesNotExist();
    }

    @Test
    void aSourceThatDoesNotHoldTheLockedContentIsRefused() throws Exception {
        TeamFixture t = lockedAt110();
        t.plugin("util", "1.1.0");
        Path lockFile = t.project.resolve("cxpm.lock");
        Files.writeString(lockFile, t.read(lockFile).replace("path+./plugins/lone", "path+./plugins/util"));
        var env = t.env("fresh-home");
        env.put("CXPM_STORE", dir.resolve("empty-store").toString());
        String lock = t.read(lockFile);

        CliRun r = CliRun.in(t.project, env, "sync");

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("path+./plugins/util", "path+./plugins/lone");
        assertThat(t.read(lockFile)).isEqualTo(lock);
        assertThat(dir.resolve("fresh-home/plugins")).doesNotExist();
    }
    @Test
    void aSourceEditedByHandIsRefusedWhenTheStoreAlreadyHoldsTheContent() throws Exception {
        TeamFixture t = lockedAt110();
        t.plugin("util", "1.1.0");
        Path lockFile = t.project.resolve("cxpm.lock");
        Files.writeString(lockFile, t.read(lockFile).replace("path+./plugins/lone", "path+./plugins/util"));
        String lock = t.read(lockFile);

        CliRun r = t.cxpmIn(t.project, "fresh-home", "sync"); // the store (shared) holds lone 1.1.0: nothing to fetch

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("path+./plugins/util", "path+./plugins/lone", "nothing was changed");
        assertThat(t.read(lockFile)).isEqualTo(lock);
        assertThat(dir.resolve("fresh-home")).doesNotExist();
    }

    @Test
    void aSourceEditedByHandIsRefusedWhenThePluginIsAlreadyInstalled() throws Exception {
        TeamFixture t = lockedAt110();
        t.plugin("util", "1.1.0");
        Path lockFile = t.project.resolve("cxpm.lock");
        Files.writeString(lockFile, t.read(lockFile).replace("path+./plugins/lone", "path+./plugins/util"));
        Map<String, String> before = everything(t);

        CliRun r = t.cxpm("sync");

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("path+./plugins/util", "path+./plugins/lone");
        assertThat(everything(t)).isEqualTo(before);
    }

    @Test
    void aLockedVersionTheMarketplaceNoLongerOffersIsInstalledFromTheStoreWithoutASourceCheck() throws Exception {
        TeamFixture t = lockedAt110();
        t.plugin("lone", "1.2.0"); // the marketplace moved on: nothing to compare the locked source with

        CliRun r = t.cxpmIn(t.project, "fresh-home", "sync");

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(dir.resolve("fresh-home/plugins/cache/fx/lone/1.1.0")).isDirectory();
    }
}
