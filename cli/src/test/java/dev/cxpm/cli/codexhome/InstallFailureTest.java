package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.CxpmProcess;
import dev.cxpm.cli.fixtures.Fixtures;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failures issue 4 names that the happy-path tests do not reach: a disk that fills up in the
 * middle of an install, and an uninstall killed at random points. Both must lose nothing installed
 * before and leave Codex a consistent view.
 */
class InstallFailureTest {

    @TempDir
    Path tmp;
    Path mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            new ProcessBuilder("umount", mounted.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void installOnAFullDiskFailsWithAnIoErrorAndKeepsThePreviousVersion() throws Exception {
        Path codexHome = tmp.resolve("codex-home");
        Files.createDirectories(codexHome);
        // A real full disk: the Codex home on a 4 MiB tmpfs (needs root, as CI's .ci/run has).
        int rc = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", codexHome.toString())
                .redirectErrorStream(true).start().waitFor();
        assumeTrue(rc == 0, "mounting a tmpfs needs root; .ci/run runs as root so this runs in CI");
        mounted = codexHome;

        Path home = tmp.resolve("home");
        Map<String, String> env = new HashMap<>(Fixtures.env(codexHome, home));
        env.put("CXPM_STORE", tmp.resolve("store").toString());
        Path mk = Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        assertThat(CliRun.in(tmp, env, "marketplace", "add", "mk").exitCode()).isZero();
        assertThat(CliRun.in(tmp, env, "install", "demo@fx").exitCode()).isZero();
        Path v1 = codexHome.resolve("plugins/cache/fx/demo/1.0.0");
        Integrity v1Digest = TreeDigest.of(v1, Set.of());
        String configBefore = Files.readString(codexHome.resolve("config.toml"));

        // Version 2 carries 6 MiB of incompressible data: it cannot fit.
        Path live = mk.resolve("plugins/demo");
        Files.writeString(live.resolve(".codex-plugin/plugin.json"), "{\"name\": \"demo\", \"version\": \"2.0.0\"}\n");
        byte[] junk = new byte[6 << 20];
        new Random(7).nextBytes(junk);
        Files.write(live.resolve("skills/hello/blob.bin"), junk);

        CliRun r = CliRun.in(tmp, env, "install", "demo@fx");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(ExitCodes.IO);
        assertThat(r.stderr()).contains("No space left on device", "hint: the disk is full").doesNotContain("Exception", "\tat ");

        assertThat(Files.readString(codexHome.resolve("config.toml"))).isEqualTo(configBefore);
        assertThat(TreeDigest.of(v1, Set.of())).isEqualTo(v1Digest);
        assertThat(codexHome.resolve("plugins/cache/fx/demo/2.0.0")).doesNotExist();
        JsonNode list = new ObjectMapper().readTree(new CodexClient(codexHome, home).run("plugin", "list", "--json").stdout());
        assertThat(list.path("installed")).hasSize(1);
        assertThat(list.path("installed").get(0).path("version").asText()).isEqualTo("1.0.0");
        try (var s = Files.list(codexHome.resolve("plugins/.cxpm-staging"))) {
            assertThat(s).as("the failed copy is cleaned up, giving the space back").isEmpty();
        }
    }

    @Test
    void uninstallKilledAtRandomPointsLeavesThePluginWhollyInstalledOrGone() throws Exception {
        Path codexHome = tmp.resolve("codex-home");
        Path home = tmp.resolve("home");
        Map<String, String> env = Fixtures.env(codexHome, home);
        Path mk = Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0");
        for (int i = 0; i < 2000; i++) {
            Files.writeString(mk.resolve("plugins/demo/skills/hello/f" + i + ".txt"), "text ".repeat(200) + i);
        }
        assertThat(CliRun.in(tmp, env, "marketplace", "add", "mk").exitCode()).isZero();
        Integrity full = TreeDigest.of(mk.resolve("plugins/demo"), Set.of());
        CodexClient codex = new CodexClient(codexHome, home);
        ObjectMapper om = new ObjectMapper();
        Random random = new Random(11);
        int sawInstalled = 0;
        int sawGone = 0;
        for (int round = 0; round < 10; round++) {
            CliRun install = CliRun.in(tmp, env, "install", "demo@fx");
            assertThat(install.exitCode()).as(install.stderr()).isZero();
            Process p = CxpmProcess.start(tmp, env, tmp.resolve("kill.log"), "uninstall", "demo@fx");
            Thread.sleep(100 + random.nextInt(500));
            p.destroyForcibly();
            p.waitFor();

            CodexConfig cfg = CodexConfig.read(codexHome.resolve("config.toml"));
            JsonNode installed = om.readTree(codex.run("plugin", "list", "--json").stdout()).path("installed");
            if (installed.isEmpty()) {
                sawGone++;
                assertThat(cfg.plugins()).as("round %d", round).doesNotContainKey("demo@fx");
            } else {
                sawInstalled++;
                assertThat(cfg.plugins()).as("round %d", round).containsEntry("demo@fx", true);
                assertThat(TreeDigest.of(codexHome.resolve("plugins/cache/fx/demo/1.0.0"), Set.of()))
                        .as("round %d: Codex shows the plugin, so all of its files must be there", round).isEqualTo(full);
            }
        }
        // Whatever a killed run left, the next uninstall finishes the job and leaves nothing behind.
        CliRun last = CliRun.in(tmp, env, "uninstall", "demo@fx");
        assertThat(last.exitCode()).as(last.stderr()).isZero();
        assertThat(codexHome.resolve("plugins/cache/fx/demo")).doesNotExist();
        assertThat(om.readTree(codex.run("plugin", "list", "--json").stdout()).path("installed")).isEmpty();
        try (var s = Files.list(codexHome.resolve("plugins/.cxpm-staging"))) {
            assertThat(s).isEmpty();
        }
        assertThat(sawInstalled + sawGone).isEqualTo(10);
    }
}
