package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.core.codexhome.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync killed after it placed every plugin, while it deleted its work directory (the old versions it moved aside),
 * leaves a home that is otherwise in sync: the next sync must still clean the staging area, not stop at "in sync".
 */
class SyncLeftoverStagingTest {

    @TempDir
    Path dir;

    @Test
    void aSyncAfterOneKilledWhileCleaningUpRemovesWhatItLeftInTheStagingArea() throws Exception {
        TeamFixture t = new TeamFixture(dir);
        t.plugin("p1", "1.0.0");
        t.needs("p1", "^1");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Path staging = t.codexHome().resolve("plugins/.cxpm-staging");
        // what a run killed in HomeApply's cache.discard(work) leaves: a work directory with an old version moved aside
        Path left = Files.createDirectories(staging.resolve("install-3d690e575e52-85732cfc6241ff9-1/old-1/skills"));
        Files.writeString(left.resolve("SKILL.md"), "old");

        for (String[] args : new String[][] {{"sync", "--frozen"}, {"sync"}}) {
            // and no sync stamp: the killed run forgot it when it took the home lock, and died before writing it again
            Trees.delete(t.codexHome().resolve(".cxpm/sync-stamps"));
            CliRun again = t.cxpm(args);
            assertThat(again.exitCode()).as(again.stderr()).isZero();
            try (var s = Files.list(staging)) {
                assertThat(s).as(String.join(" ", args)).isEmpty();
            }
            Files.createDirectories(left);
            Files.writeString(left.resolve("SKILL.md"), "old");
        }
    }
}
