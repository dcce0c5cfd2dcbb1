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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
        for (int i = 1; i <= 6; i++) {
            t.plugin("p" + i, "1.0.0");
            bulk(t, "p" + i, "one");
        }
        t.needs("p1", "^1", "p2", "^1", "p3", "^1", "p4", "^1", "p5", "^1", "p6", "^1");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Setup a = Setup.capture(t);

        for (int i = 1; i <= 5; i++) {
            t.plugin("p" + i, "1.1.0");
            bulk(t, "p" + i, "two");
        }
        t.plugin("p7", "1.0.0");
        bulk(t, "p7", "seven");
        t.needs("p1", "^1", "p2", "^1", "p3", "^1", "p4", "^1", "p5", "^1", "p7", "^1");
        CliRun toB = t.cxpm("update");
        assertThat(toB.exitCode()).as(toB.stderr()).isZero();
        Setup b = Setup.capture(t);
        assertThat(b.versions).doesNotContainKey("p6@fx").containsEntry("p1@fx", "1.1.0").containsKey("p7@fx");

        CodexClient codex = new CodexClient(t.codexHome(), dir.resolve("home"));
        ObjectMapper om = new ObjectMapper();
        Random random = new Random(7);
        int partial = 0;
        Setup target = b;
        for (int round = 0; round < 12; round++) {
            target = seen(om, codex).equals(a.versions) ? b : a;
            target.writeTo(t);
            Process p = CxpmProcess.start(t.project, t.env("codex-home"), dir.resolve("kill.log"), "sync", "--frozen");
            Thread.sleep(250 + random.nextInt(1200));
            p.destroyForcibly();
            p.waitFor();

            CodexConfig.read(t.codexHome().resolve("config.toml"));
            Map<String, String> seen = seen(om, codex);
            for (var e : seen.entrySet()) {
                Integrity expected = e.getValue().equals(a.versions.get(e.getKey())) ? a.digests.get(e.getKey()) : b.digests.get(e.getKey());
                assertThat(expected).as("round %d: Codex shows %s %s, a version of neither setup", round, e.getKey(), e.getValue()).isNotNull();
                String[] id = e.getKey().split("@");
                assertThat(TreeDigest.of(t.codexHome().resolve("plugins/cache/fx/" + id[0] + "/" + e.getValue()), Set.of()))
                        .as("round %d: Codex shows %s %s, so its files must be exactly that version's", round, e.getKey(), e.getValue())
                        .isEqualTo(expected);
            }
            if (!seen.equals(a.versions) && !seen.equals(b.versions)) {
                partial++; // killed between two plugins: each is whole, the set is part-way
            }
        }
        // Whatever the last kill left, the next sync finishes the job and leaves no staging behind.
        CliRun finish = t.cxpm("sync", "--frozen");
        assertThat(finish.exitCode()).as(finish.stderr()).isZero();
        assertThat(seen(om, codex)).isEqualTo(target.versions);
        for (var e : target.digests.entrySet()) {
            String[] id = e.getKey().split("@");
            assertThat(TreeDigest.of(t.codexHome().resolve("plugins/cache/fx/" + id[0] + "/" + target.versions.get(e.getKey())), Set.of()))
                    .isEqualTo(e.getValue());
        }
        assertThat(t.cxpm("sync", "--frozen").stdout()).startsWith("Already in sync");
        try (var s = Files.list(t.codexHome().resolve("plugins/.cxpm-staging"))) {
            assertThat(s).isEmpty();
        }
        System.out.println("sync kill test: " + partial + " of 12 kills left the home part-way between the setups");
    }

    /** Plugin id to version, as the real Codex CLI lists what is installed. */
    private static Map<String, String> seen(ObjectMapper om, CodexClient codex) throws Exception {
        CodexClient.Result list = codex.run("plugin", "list", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        Map<String, String> out = new HashMap<>();
        for (JsonNode p : om.readTree(list.stdout()).path("installed")) {
            out.put(p.path("pluginId").asText(), p.path("version").asText());
        }
        return out;
    }

    /** Enough files that copying a plugin takes a while, so kills land mid-copy too. */
    private static void bulk(TeamFixture t, String plugin, String word) {
        for (int i = 0; i < 150; i++) {
            TeamFixture.write(t.market.resolve("plugins/" + plugin + "/skills/" + plugin + "-skill/f" + i + ".txt"),
                    (word + " ").repeat(300) + i);
        }
    }

    /** One complete setup: cxpm.toml and cxpm.lock, and what a finished sync of them installs. */
    private record Setup(String toml, String lock, Map<String, String> versions, Map<String, Integrity> digests) {
        static Setup capture(TeamFixture t) throws Exception {
            CodexClient codex = new CodexClient(t.codexHome(), t.dir.resolve("home"));
            Map<String, String> versions = seen(new ObjectMapper(), codex);
            Map<String, Integrity> digests = new HashMap<>();
            for (var e : versions.entrySet()) {
                digests.put(e.getKey(), TreeDigest.of(t.codexHome().resolve("plugins/cache/fx/" + e.getKey().split("@")[0] + "/" + e.getValue()), Set.of()));
            }
            return new Setup(t.read(t.project.resolve("cxpm.toml")), t.read(t.project.resolve("cxpm.lock")), versions, digests);
        }

        void writeTo(TeamFixture t) {
            TeamFixture.write(t.project.resolve("cxpm.toml"), toml);
            TeamFixture.write(t.project.resolve("cxpm.lock"), lock);
        }
    }
}
