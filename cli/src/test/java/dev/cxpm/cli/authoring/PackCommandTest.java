package dev.cxpm.cli.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.core.pack.Integrity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackCommandTest {
    @TempDir
    Path dir;

    Path plugin(String manifest) throws IOException {
        Path p = dir.resolve("demo");
        Files.createDirectories(p.resolve(".codex-plugin"));
        Files.writeString(p.resolve(".codex-plugin/plugin.json"), manifest);
        Files.createDirectories(p.resolve("skills/hello"));
        Files.writeString(p.resolve("skills/hello/SKILL.md"), "---\nname: hello\ndescription: Says hello.\n---\nSay hello.\n");
        return p;
    }

    @Test
    void packWritesNameVersionTgzInTheCurrentDirectoryAndPrintsItsIntegrity() throws IOException {
        plugin("{\"name\":\"demo\",\"version\":\"1.2.3\",\"description\":\"Demo.\"}");
        CliRun r = CliRun.in(dir, "pack", "demo");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Path tgz = dir.resolve("demo-1.2.3.tgz");
        assertThat(tgz).exists();
        assertThat(r.stdout()).contains("demo-1.2.3.tgz").contains(Integrity.sha512(tgz).toString())
                .contains(Files.size(tgz) + " bytes");
    }

    @Test
    void packJsonGivesFileSizeIntegrityAndFiles() throws IOException {
        plugin("{\"name\":\"demo\",\"version\":\"1.2.3\"}");
        CliRun r = CliRun.in(dir, "pack", "demo", "-o", "out/x.tgz", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        Path tgz = dir.resolve("out/x.tgz");
        assertThat(j.get("file").asText()).isEqualTo(tgz.toString());
        assertThat(j.get("size").asLong()).isEqualTo(Files.size(tgz));
        assertThat(j.get("integrity").asText()).isEqualTo(Integrity.sha512(tgz).toString());
        assertThat(j.get("contentIntegrity").asText()).isEqualTo(dev.cxpm.core.pack.Packer.contentIntegrityOfArchive(tgz).toString());
        assertThat(j.get("files")).extracting(f -> f.get("path").asText())
                .containsExactly(".codex-plugin/plugin.json", "skills/hello/SKILL.md");
    }

    @Test
    void packingTwiceFromTheCliGivesTheSameIntegrity() throws IOException {
        plugin("{\"name\":\"demo\",\"version\":\"1.2.3\"}");
        CliRun a = CliRun.in(dir, "pack", "demo", "-o", "a.tgz", "--json");
        CliRun b = CliRun.in(dir, "pack", "demo", "-o", "b.tgz", "--json");
        assertThat(new ObjectMapper().readTree(a.stdout()).get("integrity"))
                .isEqualTo(new ObjectMapper().readTree(b.stdout()).get("integrity"));
    }

    @Test
    void aMissingPluginIsNotFoundAndAMissingManifestIsInvalid() throws IOException {
        assertThat(CliRun.in(dir, "pack", "nope").exitCode()).isEqualTo(3);
        Files.createDirectories(dir.resolve("empty"));
        CliRun r = CliRun.in(dir, "pack", "empty");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("missing plugin.json");
        assertThat(dir.resolve("empty")).isEmptyDirectory();
    }

    @Test
    void anOversizedFileIsRefusedWithItsName() throws IOException {
        Path p = plugin("{\"name\":\"demo\",\"version\":\"1.2.3\"}");
        try (var ch = Files.newByteChannel(p.resolve("huge.bin"), java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            ch.position((65L << 20));
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
        }
        CliRun r = CliRun.in(dir, "pack", "demo");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("huge.bin").contains("64.0 MiB").contains(".cxpmignore");
        assertThat(dir.resolve("demo-1.2.3.tgz")).doesNotExist();
    }

    @Test
    void dryRunListsFilesAndExclusionsAndWritesNothing() throws IOException {
        Path p = plugin("{\"name\":\"demo\",\"version\":\"1.2.3\"}");
        Files.writeString(p.resolve(".cxpmignore"), "*.log\n");
        Files.writeString(p.resolve("debug.log"), "x");
        CliRun r = CliRun.in(dir, "pack", "demo", "--dry-run");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("would pack demo@1.2.3").contains("0644 skills/hello/SKILL.md")
                .contains("left out:  debug.log");
        assertThat(dir.resolve("demo-1.2.3.tgz")).doesNotExist();
        assertThat(p.resolve(".cxpm")).doesNotExist();
    }

    @Test
    void aPluginDirectoryThatCannotRecordTheLastReleaseStillGetsItsArchive() throws IOException {
        Path p = plugin("{\"name\":\"demo\",\"version\":\"1.2.3\"}");
        Files.writeString(p.resolve(".cxpm"), "a file where the .cxpm directory would go");
        CliRun r = CliRun.in(dir, "pack", "demo");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("warning: could not record the pack");
        assertThat(dir.resolve("demo-1.2.3.tgz")).exists();
    }

    @Test
    void aPluginThatFailsStrictValidationIsRefusedWithItsProblems() throws IOException {
        Path p = plugin("{\"name\":\"demo\",\"version\":\"1.2.3\"}");
        Files.writeString(p.resolve("skills/hello/SKILL.md"), "---\nname: hello\n---\nNo description.\n");
        Files.writeString(p.resolve(".mcp.json"), "{\"mcpServers\":{\"gh\":{\"command\":\"npx\",\"args\":[\"gh-mcp\"]}}}");
        CliRun r = CliRun.in(dir, "pack", "demo");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("SKILL.md").contains("npx").contains("not packed");
        assertThat(dir.resolve("demo-1.2.3.tgz")).doesNotExist();
        assertThat(p.resolve(".cxpm")).doesNotExist();

        CliRun j = CliRun.in(dir, "pack", "demo", "--json");
        assertThat(j.exitCode()).isEqualTo(1);
        JsonNode o = new ObjectMapper().readTree(j.stdout());
        assertThat(o.get("packed").asBoolean()).isFalse();
        assertThat(o.get("problems")).isNotEmpty().allSatisfy(n -> assertThat(n.has("code")).isTrue());
    }

    @Test
    void aVersionThatIsNotSemVerIsRefused() throws IOException {
        plugin("{\"name\":\"demo\",\"version\":\"1.2\"}");
        CliRun r = CliRun.in(dir, "pack", "demo");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("1.2");
        assertThat(dir.resolve("demo-1.2.tgz")).doesNotExist();
    }

    @Test
    void declaredPrerequisitesMakeTheSamePluginPackable() throws IOException {
        Path p = plugin("{\"name\":\"demo\",\"version\":\"1.2.3\",\"prerequisites\":{\"commands\":{\"npx\":\"Node.js 18+\"}}}");
        Files.writeString(p.resolve(".mcp.json"), "{\"mcpServers\":{\"gh\":{\"command\":\"npx\",\"args\":[\"gh-mcp\"]}}}");
        CliRun r = CliRun.in(dir, "pack", "demo");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(dir.resolve("demo-1.2.3.tgz")).exists();
    }
}
