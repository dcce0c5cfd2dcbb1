package dev.cxpm.cli.project;

import static dev.cxpm.cli.fixtures.Kills.bulk;
import static dev.cxpm.cli.fixtures.Kills.digests;
import static dev.cxpm.cli.fixtures.Kills.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.CxpmProcess;
import dev.cxpm.cli.fixtures.Kills;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.testkit.CodexClient;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxpm update} (a sync that resolves again and rewrites {@code cxpm.lock}, where {@link SyncKillTest} covers
 * {@code --frozen}) killed with SIGKILL at random points while it moves a project from lock A (p1..p5 at 1.0.0) to B
 * (1.1.0). After every kill {@code cxpm.lock} is A's or B's byte for byte, never a part of one; the real Codex CLI
 * lists the home, each plugin wholly at a version of A or B; {@code config.toml} parses; the next update finishes.
 */
class UpdateKillTest {

    @TempDir
    Path dir;

    @Test
    void updateKilledAtRandomPointsLeavesTheLockOldOrNewWholeAndEveryPluginWhollyOneVersion() throws Exception {
        TeamFixture t = new TeamFixture(dir);
        for (int i = 1; i <= 5; i++) {
            t.plugin("p" + i, "1.0.0");
            bulk(t, "p" + i, "one");
        }
        t.needs("p1", "^1", "p2", "^1", "p3", "^1", "p4", "^1", "p5", "^1");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        CodexClient codex = new CodexClient(t.codexHome(), dir.resolve("home"));
        String lockA = t.read(t.project.resolve("cxpm.lock"));
        Kills.Installed a = Kills.Installed.capture(t, codex);

        for (int i = 1; i <= 5; i++) {
            t.plugin("p" + i, "1.1.0");
            bulk(t, "p" + i, "two");
        }
        CliRun toB = t.cxpm("update");
        assertThat(toB.exitCode()).as(toB.stderr()).isZero();
        String lockB = t.read(t.project.resolve("cxpm.lock"));
        Kills.Installed b = Kills.Installed.capture(t, codex);
        assertThat(lockB).isNotEqualTo(lockA);
        assertThat(b.versions()).containsEntry("p1@fx", "1.1.0");

        // how long a whole update from A takes in its own JVM here: the kills are spread over it, so some land after
        // the lock is written (the last thing an update does) and most before
        TeamFixture.write(t.project.resolve("cxpm.lock"), lockA);
        long started = System.nanoTime();
        Process whole = CxpmProcess.start(t.project, t.env("codex-home"), dir.resolve("whole.log"), "update");
        assertThat(whole.waitFor()).as(t.read(dir.resolve("whole.log"))).isZero();
        int wholeMs = (int) Math.max(500, (System.nanoTime() - started) / 1_000_000);
        Random random = new Random(11);
        int lockA0 = 0;
        int lockB0 = 0;
        for (int round = 0; round < 10; round++) {
            TeamFixture.write(t.project.resolve("cxpm.lock"), lockA);
            Kills.killAndCheck(t, codex, dir.resolve("kill.log"), wholeMs / 5 + random.nextInt(wholeMs), round, a, b, "update");

            String lock = t.read(t.project.resolve("cxpm.lock"));
            assertThat(lock).as("round %d: cxpm.lock is A's or B's, whole", round).isIn(lockA, lockB);
            if (lock.equals(lockA)) {
                lockA0++;
            } else {
                lockB0++;
            }
        }
        CliRun finish = t.cxpm("update");
        assertThat(finish.exitCode()).as(finish.stderr()).isZero();
        assertThat(t.read(t.project.resolve("cxpm.lock"))).isEqualTo(lockB);
        assertThat(seen(codex)).isEqualTo(b.versions());
        assertThat(digests(t, b.versions())).isEqualTo(b.digests());
        System.out.println("update kill test: the lock was A after " + lockA0 + " kills and B after " + lockB0);
    }
}
