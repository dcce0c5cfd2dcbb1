package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.CxpmProcess;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.install.TreeDigest;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.testkit.CodexClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
        ObjectMapper om = new ObjectMapper();
        String lockA = t.read(t.project.resolve("cxpm.lock"));
        Map<String, String> versionsA = seen(om, codex);
        Map<String, Integrity> digestsA = digests(t, versionsA);

        for (int i = 1; i <= 5; i++) {
            t.plugin("p" + i, "1.1.0");
            bulk(t, "p" + i, "two");
        }
        CliRun toB = t.cxpm("update");
        assertThat(toB.exitCode()).as(toB.stderr()).isZero();
        String lockB = t.read(t.project.resolve("cxpm.lock"));
        Map<String, String> versionsB = seen(om, codex);
        Map<String, Integrity> digestsB = digests(t, versionsB);
        assertThat(lockB).isNotEqualTo(lockA);
        assertThat(versionsB).containsEntry("p1@fx", "1.1.0");

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
            Process p = CxpmProcess.start(t.project, t.env("codex-home"), dir.resolve("kill.log"), "update");
            Thread.sleep(wholeMs / 5 + random.nextInt(wholeMs));
            p.destroyForcibly();
            p.waitFor();

            String lock = t.read(t.project.resolve("cxpm.lock"));
            assertThat(lock).as("round %d: cxpm.lock is A's or B's, whole", round).isIn(lockA, lockB);
            if (lock.equals(lockA)) {
                lockA0++;
            } else {
                lockB0++;
            }
            CodexConfig.read(t.codexHome().resolve("config.toml"));
            for (var e : seen(om, codex).entrySet()) {
                Integrity expected = e.getValue().equals(versionsA.get(e.getKey())) ? digestsA.get(e.getKey()) : digestsB.get(e.getKey());
                assertThat(expected).as("round %d: Codex shows %s %s, a version of neither setup", round, e.getKey(), e.getValue()).isNotNull();
                assertThat(TreeDigest.of(t.codexHome().resolve("plugins/cache/fx/" + e.getKey().split("@")[0] + "/" + e.getValue()), Set.of()))
                        .as("round %d: Codex shows %s %s, so its files must be exactly that version's", round, e.getKey(), e.getValue())
                        .isEqualTo(expected);
            }
        }
        CliRun finish = t.cxpm("update");
        assertThat(finish.exitCode()).as(finish.stderr()).isZero();
        assertThat(t.read(t.project.resolve("cxpm.lock"))).isEqualTo(lockB);
        assertThat(seen(om, codex)).isEqualTo(versionsB);
        assertThat(digests(t, versionsB)).isEqualTo(digestsB);
        System.out.println("update kill test: the lock was A after " + lockA0 + " kills and B after " + lockB0);
    }

    private static Map<String, Integrity> digests(TeamFixture t, Map<String, String> versions) {
        Map<String, Integrity> out = new HashMap<>();
        versions.forEach((id, v) -> out.put(id, TreeDigest.of(t.codexHome().resolve("plugins/cache/fx/" + id.split("@")[0] + "/" + v), Set.of())));
        return out;
    }

    /** Plugin id to version, as the real Codex CLI lists what is installed (it must list it: exit 0). */
    private static Map<String, String> seen(ObjectMapper om, CodexClient codex) throws Exception {
        CodexClient.Result list = codex.run("plugin", "list", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        Map<String, String> out = new HashMap<>();
        for (JsonNode p : om.readTree(list.stdout()).path("installed")) {
            out.put(p.path("pluginId").asText(), p.path("version").asText());
        }
        return out;
    }

    /** Enough files that packing and copying a plugin takes a while, so kills land mid-way too. */
    private static void bulk(TeamFixture t, String plugin, String word) {
        for (int i = 0; i < 150; i++) {
            TeamFixture.write(t.market.resolve("plugins/" + plugin + "/skills/" + plugin + "-skill/f" + i + ".txt"),
                    (word + " ").repeat(300) + i);
        }
    }
}
