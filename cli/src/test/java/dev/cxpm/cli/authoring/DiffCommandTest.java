package dev.cxpm.cli.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffCommandTest {
    @TempDir
    Path dir;

    static void write(Path p, String s) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
    }

    Path plugin(String name, String version) throws IOException {
        Path p = dir.resolve(name);
        write(p.resolve(".codex-plugin/plugin.json"), "{\"name\":\"demo\",\"version\":\"" + version + "\","
                + "\"prerequisites\":{\"commands\":{\"npx\":\"Node.js 18+\"}}}");
        write(p.resolve("skills/hello/SKILL.md"), "---\nname: hello\ndescription: Says hello.\n---\nSay hello.\n");
        write(p.resolve(".mcp.json"), "{\"mcpServers\":{\"gh\":{\"command\":\"npx\",\"args\":[\"gh-mcp\"]}}}");
        return p;
    }

    /**
     * An archive is unpacked under the store ({@code STORE/tmp/}, swept of what a killed command left), never in the
     * shared temp dir, where a JVM killed meanwhile left the plugin's files for good: with {@code java.io.tmpdir}
     * pointing at a directory that does not exist, diff of two archives still works, and leaves nothing behind.
     */
    @Test
    void diffOfTwoArchivesUnpacksThemUnderTheStoreNeverInTheSharedTempDir() throws Exception {
        plugin("v1", "1.0.0");
        assertThat(CliRun.in(dir, "pack", "v1").exitCode()).isZero();
        Path v2 = plugin("v2", "1.1.0");
        write(v2.resolve("skills/wave/SKILL.md"), "---\nname: wave\ndescription: Waves.\n---\nWave.\n");
        assertThat(CliRun.in(dir, "pack", "v2").exitCode()).isZero();
        Path store = dir.resolve("store");
        Path log = dir.resolve("diff.log");
        Process p = dev.cxpm.cli.fixtures.CxpmProcess.start(java.util.List.of("-Djava.io.tmpdir=" + dir.resolve("no-such-tmp")), dir,
                java.util.Map.of("HOME", dir.resolve("home").toString(), "PATH", System.getenv("PATH"), "CXPM_STORE", store.toString()),
                log, "diff", "demo-1.0.0.tgz", "demo-1.1.0.tgz");
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        assertThat(Files.readString(log)).contains("+ skill wave: added  [minor]");
        try (var left = Files.list(store.resolve("tmp"))) {
            assertThat(left).as("what was unpacked is deleted").isEmpty();
        }
    }

    @Test
    void diffOfAPackedOldVersionAndANewDirectoryShowsChangesAndRequiredBump() throws IOException {
        plugin("v1", "1.0.0");
        assertThat(CliRun.in(dir, "pack", "v1").exitCode()).isZero();
        Path v2 = plugin("v2", "1.1.0");
        Files.move(v2.resolve("skills/hello"), v2.resolve("skills/greet"));
        write(v2.resolve("skills/wave/SKILL.md"), "---\nname: wave\ndescription: Waves.\n---\nWave.\n");
        CliRun r = CliRun.in(dir, "diff", "demo-1.0.0.tgz", "v2");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("demo@1.0.0 -> demo@1.1.0")
                .contains("~ skill greet: renamed from hello (same content)  [major]")
                .contains("+ skill wave: added  [minor]")
                .contains("required bump: major")
                .contains("warning: 1.0.0 -> 1.1.0 is a minor bump; these changes need major");
    }

    @Test
    void diffReportsAddedAndRemovedHooksAndSlashCommandsWithTheirBump() throws IOException {
        Path v1 = plugin("v1", "1.0.0");
        write(v1.resolve("commands/deploy.md"), "---\ndescription: Deploys.\n---\nDeploy.\n");
        Path v2 = plugin("v2", "1.1.0");
        write(v2.resolve("commands/review.md"), "Review.\n");
        write(v2.resolve("hooks/hooks.json"), "{\"hooks\":{\"PreToolUse\":[{\"matcher\":\"Bash\",\"hooks\":"
                + "[{\"type\":\"command\",\"command\":\"./guard.sh\"}]}]}}");
        CliRun r = CliRun.in(dir, "diff", "v1", "v2");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("- command /deploy: removed  [major]")
                .contains("+ command /review: added  [minor]")
                .contains("+ hook PreToolUse [Bash]: added (runs `./guard.sh`)  [minor]")
                .contains("required bump: major");
        CliRun json = CliRun.in(dir, "diff", "v1", "v2", "--json");
        JsonNode j = new ObjectMapper().readTree(json.stdout());
        assertThat(j.at("/changes/2/component").asText()).isEqualTo("hook");
        assertThat(j.at("/changes/0/component").asText()).isEqualTo("command");
    }

    @Test
    void diffJsonHasAStableShape() throws IOException {
        plugin("v1", "1.0.0");
        Path v2 = plugin("v2", "1.1.0");
        write(v2.resolve(".mcp.json"), "{\"mcpServers\":{\"gh\":{\"command\":\"npx\",\"args\":[\"gh-mcp\"]},\"db\":{\"command\":\"uvx\"}}}");
        CliRun r = CliRun.in(dir, "diff", "v1", "v2", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        assertThat(j.at("/old/version").asText()).isEqualTo("1.0.0");
        assertThat(j.at("/changes/0/component").asText()).isEqualTo("mcp_server");
        assertThat(j.at("/changes/0/change").asText()).isEqualTo("added");
        assertThat(j.at("/changes/0/name").asText()).isEqualTo("db");
        assertThat(j.get("requiredBump").asText()).isEqualTo("minor");
        assertThat(j.get("declaredBump").asText()).isEqualTo("minor");
        assertThat(j.get("sufficient").asBoolean()).isTrue();
    }

    @Test
    void identicalPluginsSayIdentical() throws IOException {
        plugin("a", "1.0.0");
        plugin("b", "1.0.0");
        CliRun r = CliRun.in(dir, "diff", "a", "b");
        assertThat(r.stdout()).contains("identical content").contains("required bump: none");
    }

    @Test
    void aMissingSideIsNotFoundAndAHostileArchiveIsRefused() throws IOException {
        plugin("a", "1.0.0");
        assertThat(CliRun.in(dir, "diff", "a", "nope").exitCode()).isEqualTo(3);
        Files.write(dir.resolve("junk.tgz"), new byte[] {31, -117, 8, 0, 1, 2});
        CliRun r = CliRun.in(dir, "diff", "junk.tgz", "a");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("refusing to unpack junk.tgz");
    }
}
