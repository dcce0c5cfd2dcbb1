package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.testkit.CodexClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other direction at the size users reach: the real Codex CLI adds 100 plugins (one `codex plugin add` each) into a
 * config.toml a user wrote, then a project names 90 of them in cxpm.toml (one disabled). cxpm's list, outdated, doctor
 * and sync see and keep what Codex installed; sync changes only the one table it must (config.toml otherwise byte for
 * byte as Codex left it) and leaves the 10 plugins the project does not name alone; Codex then lists all 100, as before.
 */
class CodexAddedPluginsAtSizeTest {

    private static final int N = 100;
    private static final int NAMED = 90;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String name(int i) {
        return "p%03d".formatted(i);
    }

    private static String version(int i) {
        return "1." + (i % 3) + ".0";
    }

    @Test
    void pluginsCodexAddedAreSeenKeptAndSyncedWithoutTouchingTheRestOfConfigToml() throws IOException {
        String[] pairs = new String[2 * N];
        for (int i = 1; i <= N; i++) {
            pairs[2 * (i - 1)] = name(i);
            pairs[2 * (i - 1) + 1] = version(i);
        }
        Path market = Fixtures.marketplace(dir.resolve("market"), "fx", pairs);
        Path codexHome = dir.resolve("codex-home");
        Path home = dir.resolve("home");
        Files.createDirectories(codexHome);
        Path config = codexHome.resolve("config.toml");
        Files.writeString(config, """
                # my settings
                model = "o3"   # trailing comment
                approval_policy = "on-request"

                [profiles.fast]
                model = "gpt-5-mini"

                [tui]
                theme = "dark"  # keep
                """, StandardCharsets.UTF_8);
        CodexClient codex = new CodexClient(codexHome, home);
        CodexClient.Result added = codex.run("plugin", "marketplace", "add", market.toString());
        assertThat(added.exitCode()).as(added.output()).isZero();
        for (int i = 1; i <= N; i++) {
            CodexClient.Result add = codex.run("plugin", "add", name(i) + "@fx");
            assertThat(add.exitCode()).as("codex plugin add %s: %s", name(i), add.output()).isZero();
        }
        String asCodexWroteIt = Files.readString(config, StandardCharsets.UTF_8);
        assertThat(asCodexWroteIt).contains("[plugins.\"p100@fx\"]");

        Map<String, String> env = Fixtures.env(codexHome, home);
        Path project = dir.resolve("project");
        Files.createDirectories(project);
        StringBuilder manifest = new StringBuilder("[marketplaces]\nfx = \"" + market + "\"\n\n[plugins]\n");
        for (int i = 1; i <= NAMED; i++) {
            manifest.append(name(i)).append(i == 10 ? " = { version = \"^1\", enabled = false }\n" : " = \"^1\"\n");
        }
        Files.writeString(project.resolve("cxpm.toml"), manifest);

        // list sees every plugin Codex added, enabled, at the version Codex installed
        CliRun list = CliRun.in(project, env, "list", "--json");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        Map<String, String> listed = new TreeMap<>();
        for (JsonNode p : JSON.readTree(list.stdout()).get("installed")) {
            listed.put(p.get("pluginId").asText(), p.get("version").asText() + (p.get("enabled").asBoolean() ? "" : " disabled"));
        }
        assertThat(listed).isEqualTo(expected(false));

        // before the first sync: outdated names each plugin's wanted version, doctor asks for the lock; neither writes
        CliRun outdated = CliRun.in(project, env, "outdated", "--json");
        assertThat(outdated.exitCode()).as(outdated.stderr()).isIn(0, 1);
        List<String> wanted = new ArrayList<>();
        JSON.readTree(outdated.stdout()).get("plugins").forEach(p -> wanted.add(p.get("plugin").asText() + " " + p.get("wanted").asText()));
        assertThat(wanted).hasSize(NAMED).contains("p001 " + version(1), "p090 " + version(90));
        CliRun doctor = CliRun.in(project, env, "doctor");
        assertThat(doctor.exitCode()).as(doctor.stderr()).isEqualTo(1);
        assertThat(doctor.stdout() + doctor.stderr()).contains("no cxpm.lock yet");
        assertThat(Files.readString(config, StandardCharsets.UTF_8)).isEqualTo(asCodexWroteIt);

        CliRun sync = CliRun.in(project, env, "sync", "--yes");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        // the one table the project changes, and nothing else: not a space, comment or plugin the project does not name
        String p010 = "[plugins.\"p010@fx\"]\nenabled = ";
        assertThat(Files.readString(config, StandardCharsets.UTF_8)).isEqualTo(asCodexWroteIt.replace(p010 + "true", p010 + "false"));

        CliRun after = CliRun.in(project, env, "doctor");
        assertThat(after.exitCode()).as(after.stdout() + after.stderr()).isZero();
        CliRun upToDate = CliRun.in(project, env, "outdated");
        assertThat(upToDate.exitCode()).as(upToDate.stdout() + upToDate.stderr()).isZero();
        CliRun again = CliRun.in(project, env, "sync", "--frozen");
        assertThat(again.exitCode()).as(again.stderr()).isZero();

        CodexClient.Result codexList = codex.run("plugin", "list", "--json");
        assertThat(codexList.exitCode()).as(codexList.output()).isZero();
        Map<String, String> seenByCodex = new TreeMap<>();
        for (JsonNode p : JSON.readTree(codexList.stdout()).get("installed")) {
            seenByCodex.put(p.get("pluginId").asText(), p.get("version").asText() + (p.get("enabled").asBoolean() ? "" : " disabled"));
        }
        assertThat(seenByCodex).isEqualTo(expected(true));
    }

    /** Every plugin Codex added at its version, p010 disabled once the project synced. */
    private static Map<String, String> expected(boolean synced) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 1; i <= N; i++) {
            m.put(name(i) + "@fx", version(i) + (synced && i == 10 ? " disabled" : ""));
        }
        return m;
    }
}
