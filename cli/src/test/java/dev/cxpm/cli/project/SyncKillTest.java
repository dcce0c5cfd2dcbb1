package dev.cxpm.cli.project;

import static dev.cxpm.cli.fixtures.Kills.bulk;
import static dev.cxpm.cli.fixtures.Kills.digests;
import static dev.cxpm.cli.fixtures.Kills.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Kills;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.testkit.CodexClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxpm sync} killed (SIGKILL) at random points while it moves a Codex home between two locked
 * setups: A (p1..p5 at 1.0.0, and p6) and B (p1..p5 at 1.1.0, p6 dropped, p7 added). After every kill
 * the real Codex CLI must see each plugin wholly in one state (its files exactly those of the version it
 * shows, or not installed at all), config.toml must parse, and the next sync must finish the job.
 */
class SyncKillTest {

    @TempDir
    Path dir;

    @Test
    void syncKilledAtRandomPointsLeavesEveryPluginWhollyOldOrNewAndTheNextSyncFinishes() throws Exception {
        TeamFixture t = new TeamFixture(dir);
        CodexClient codex = new CodexClient(t.codexHome(), dir.resolve("home"));
        for (int i = 1; i <= 6; i++) {
            t.plugin("p" + i, "1.0.0");
            bulk(t, "p" + i, "one");
        }
        t.needs("p1", "^1", "p2", "^1", "p3", "^1", "p4", "^1", "p5", "^1", "p6", "^1");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Setup a = Setup.capture(t, codex);

        for (int i = 1; i <= 5; i++) {
            t.plugin("p" + i, "1.1.0");
            bulk(t, "p" + i, "two");
        }
        t.plugin("p7", "1.0.0");
        bulk(t, "p7", "seven");
        t.needs("p1", "^1", "p2", "^1", "p3", "^1", "p4", "^1", "p5", "^1", "p7", "^1");
        CliRun toB = t.cxpm("update");
        assertThat(toB.exitCode()).as(toB.stderr()).isZero();
        Setup b = Setup.capture(t, codex);
        assertThat(b.installed.versions()).doesNotContainKey("p6@fx").containsEntry("p1@fx", "1.1.0").containsKey("p7@fx");

        Random random = new Random(7);
        int partial = 0;
        Setup target = b;
        for (int round = 0; round < 12; round++) {
            target = seen(codex).equals(a.installed.versions()) ? b : a;
            target.writeTo(t);
            Map<String, String> seen = Kills.killAndCheck(t, codex, dir.resolve("kill.log"), 250 + random.nextInt(1200), round,
                    a.installed, b.installed, "sync", "--frozen");
            if (!seen.equals(a.installed.versions()) && !seen.equals(b.installed.versions())) {
                partial++; // killed between two plugins: each is whole, the set is part-way
            }
        }
        // Whatever the last kill left, the next sync finishes the job and leaves no staging behind.
        CliRun finish = t.cxpm("sync", "--frozen");
        assertThat(finish.exitCode()).as(finish.stderr()).isZero();
        assertThat(seen(codex)).isEqualTo(target.installed.versions());
        assertThat(digests(t, target.installed.versions())).isEqualTo(target.installed.digests());
        assertThat(t.cxpm("sync", "--frozen").stdout()).startsWith("Already in sync");
        try (var s = Files.list(t.codexHome().resolve("plugins/.cxpm-staging"))) {
            assertThat(s).isEmpty();
        }
        System.out.println("sync kill test: " + partial + " of 12 kills left the home part-way between the setups");
    }

    /** One complete setup: cxpm.toml and cxpm.lock, and what a finished sync of them installs. */
    private record Setup(String toml, String lock, Kills.Installed installed) {
        static Setup capture(TeamFixture t, CodexClient codex) throws Exception {
            return new Setup(t.read(t.project.resolve("cxpm.toml")), t.read(t.project.resolve("cxpm.lock")), Kills.Installed.capture(t, codex));
        }

        void writeTo(TeamFixture t) {
            TeamFixture.write(t.project.resolve("cxpm.toml"), toml);
            TeamFixture.write(t.project.resolve("cxpm.lock"), lock);
        }
    }
}
