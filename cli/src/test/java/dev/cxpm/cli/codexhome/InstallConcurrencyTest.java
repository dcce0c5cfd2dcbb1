package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.CxpmProcess;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.install.TreeDigest;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.testkit.CodexClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes against one Codex home: parallel installs, and installs killed at random points. */
class InstallConcurrencyTest {

    @TempDir
    Path tmp;

    @Test
    void eightParallelInstallsOfDifferentPluginsAllEndUpInstalled() throws Exception {
        Path codexHome = tmp.resolve("codex-home");
        Path home = tmp.resolve("home");
        Map<String, String> env = Fixtures.env(codexHome, home);
        List<String> pv = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pv.add("p" + i);
            pv.add("1.0." + i);
        }
        Fixtures.marketplace(tmp.resolve("mk"), "fx", pv.toArray(String[]::new));
        assertThat(CliRun.in(tmp, env, "marketplace", "add", "mk").exitCode()).isZero();

        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ps.add(CxpmProcess.start(tmp, env, tmp.resolve("log" + i), "install", "p" + i + "@fx"));
        }
        for (int i = 0; i < 8; i++) {
            assertThat(ps.get(i).waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(ps.get(i).exitValue()).as(Files.readString(tmp.resolve("log" + i))).isZero();
        }
        CodexConfig cfg = CodexConfig.read(codexHome.resolve("config.toml"));
        assertThat(cfg.plugins()).hasSize(8).allSatisfy((id, enabled) -> assertThat(enabled).isTrue());
        JsonNode list = new ObjectMapper().readTree(new CodexClient(codexHome, home).run("plugin", "list", "--json").stdout());
        assertThat(list.path("installed")).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(codexHome.resolve("plugins/cache/fx/p" + i + "/1.0." + i + "/.codex-plugin/plugin.json")).exists();
        }
    }

    @Test
    void installKilledAtRandomPointsLeavesCodexSeeingTheOldOrTheNewPluginNeverAMix() throws Exception {
        Path codexHome = tmp.resolve("codex-home");
        Path home = tmp.resolve("home");
        Map<String, String> env = new HashMap<>(Fixtures.env(codexHome, home));
        Path mk = Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        Path live = mk.resolve("plugins/demo");
        Path v1 = tmp.resolve("v1");
        Path v2 = tmp.resolve("v2");
        dev.cxpm.core.codexhome.Trees.copy(live, v1);
        dev.cxpm.core.codexhome.Trees.copy(live, v2);
        Files.writeString(v2.resolve(".codex-plugin/plugin.json"), "{\"name\": \"demo\", \"version\": \"2.0.0\"}\n");
        for (int i = 0; i < 300; i++) {
            Files.writeString(v1.resolve("skills/hello/f" + i + ".txt"), "one ".repeat(500) + i);
            Files.writeString(v2.resolve("skills/hello/f" + i + ".txt"), "two ".repeat(500) + i);
        }
        Map<String, Integrity> digests = Map.of("1.0.0", TreeDigest.of(v1, Set.of()), "2.0.0", TreeDigest.of(v2, Set.of()));
        useVersion(live, v1);
        assertThat(CliRun.in(tmp, env, "marketplace", "add", "mk").exitCode()).isZero();
        assertThat(CliRun.in(tmp, env, "install", "demo@fx").exitCode()).isZero();

        CodexClient codex = new CodexClient(codexHome, home);
        ObjectMapper om = new ObjectMapper();
        Random random = new Random(42);
        int sawOld = 0;
        int sawNew = 0;
        for (int round = 0; round < 12; round++) {
            String current = installedVersion(om, codex);
            useVersion(live, current.equals("1.0.0") ? v2 : v1);
            Process p = CxpmProcess.start(tmp, env, tmp.resolve("kill.log"), "install", "demo@fx");
            Thread.sleep(200 + random.nextInt(900));
            p.destroyForcibly();
            p.waitFor();

            CodexConfig.read(codexHome.resolve("config.toml"));
            String seen = installedVersion(om, codex);
            assertThat(seen).isIn("1.0.0", "2.0.0");
            assertThat(TreeDigest.of(codexHome.resolve("plugins/cache/fx/demo/" + seen), Set.of()))
                    .as("round %d: Codex shows %s and its files must be exactly that version", round, seen)
                    .isEqualTo(digests.get(seen));
            if (seen.equals(current)) {
                sawOld++;
            } else {
                sawNew++;
            }
        }
        // A later run finishes the job and leaves no staging behind.
        useVersion(live, v2);
        CliRun last = CliRun.in(tmp, env, "install", "demo@fx");
        assertThat(last.exitCode()).as(last.stderr()).isZero();
        assertThat(installedVersion(om, codex)).isEqualTo("2.0.0");
        try (var s = Files.list(codexHome.resolve("plugins/.cxpm-staging"))) {
            assertThat(s).isEmpty();
        }
        assertThat(sawOld + sawNew).isEqualTo(12);
    }

    private static String installedVersion(ObjectMapper om, CodexClient codex) throws Exception {
        JsonNode installed = om.readTree(codex.run("plugin", "list", "--json").stdout()).path("installed");
        assertThat(installed).hasSize(1);
        return installed.get(0).path("version").asText();
    }

    private static void useVersion(Path live, Path version) {
        dev.cxpm.core.codexhome.Trees.delete(live);
        dev.cxpm.core.codexhome.Trees.copy(version, live);
    }
}
