package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cxpm.toml, cxpm.lock and {@code $CODEX_HOME/.cxpm/sync-state.json} are untrusted: a name in them that
 * is path syntax is refused with the file and the fix before sync writes or deletes anything, so a
 * directory beside the Codex home (the sentinel) and the plugins installed before stay as they were.
 */
class HostileProjectFilesTest {

    @TempDir
    Path dir;
    TeamFixture t;
    Path sentinel;
    String goodLock;

    @BeforeEach
    void setUp() throws Exception {
        t = new TeamFixture(dir).plugin("app", "1.2.0").plugin("util", "2.0.5").needs("app", "^1", "util", "^2");
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        goodLock = t.read(t.project.resolve("cxpm.lock"));
        sentinel = dir.resolve("somewhere");
        Files.createDirectories(sentinel.resolve("app"));
        Files.writeString(sentinel.resolve("app/keep.txt"), "keep");
    }

    private void assertNothingElseChanged() {
        assertThat(sentinel.resolve("app/keep.txt")).hasContent("keep");
        assertThat(t.codexHome().resolve("plugins/cache/fx/app/1.2.0/.codex-plugin/plugin.json")).exists();
        assertThat(t.codexHome().resolve("plugins/cache/fx/util/2.0.5/.codex-plugin/plugin.json")).exists();
        assertThat(dir.resolve("somewhere/app/1.2.0")).doesNotExist();
        assertThat(dir.resolve("app")).doesNotExist();
    }

    private void lockWith(String field, String from, String to) {
        String lock = goodLock.replace(field + " = \"" + from + "\"", field + " = \"" + to + "\"");
        assertThat(lock).isNotEqualTo(goodLock);
        TeamFixture.write(t.project.resolve("cxpm.lock"), lock);
    }

    @Test
    void lockedMarketplaceThatLeavesTheHomeIsRefusedAndTheNextSyncDeletesNothingOutside() {
        lockWith("marketplace", "fx", "../../../somewhere");
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("cxpm.lock", "marketplace", "../../../somewhere", "git checkout -- cxpm.lock");
        assertNothingElseChanged();
        // cxpm's own hint: restore the lockfile and sync again
        TeamFixture.write(t.project.resolve("cxpm.lock"), goodLock);
        CliRun again = t.cxpm("sync");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertNothingElseChanged();
    }
}
