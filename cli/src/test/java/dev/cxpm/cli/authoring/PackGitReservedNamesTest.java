package dev.cxpm.cli.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry refuses at publish any archive holding a name git treats specially ({@code .gitattributes},
 * {@code .gitmodules}, {@code .git} and their look-alikes), because it serves plugins through git. Pack
 * applies the same rule, so {@code cxpm pack && cxpm publish} of a plugin that has one works, and the user
 * is told what was left out.
 */
class PackGitReservedNamesTest {

    @TempDir
    Path tmp;
    Path data;
    Registry registry;
    RegistryServer server;
    String url;

    @BeforeEach
    void start() throws Exception {
        data = tmp.resolve("data");
        registry = Registry.embedded(data, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        url = server.url().toString();
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private Path pluginWithGitFiles() throws Exception {
        Path dir = tmp.resolve("hello");
        write(dir.resolve(".codex-plugin/plugin.json"), "{\"name\":\"hello\",\"version\":\"1.0.0\",\"description\":\"Test plugin.\"}");
        write(dir.resolve("skills/hi/SKILL.md"), "---\nname: hi\ndescription: Greets.\n---\n");
        write(dir.resolve(".gitattributes"), "* text=auto\n");
        write(dir.resolve("sub/.gitmodules"), "[submodule \"x\"]\n\tpath = x\n\turl = https://example.test/x.git\n");
        write(dir.resolve("sub/.GIT./config"), "[core]\n"); // a look-alike of .git the registry refuses too
        write(dir.resolve(".gitignore"), "*.log\n");       // ordinary files, packed as before
        write(dir.resolve(".github/workflows/ci.yml"), "on: push\n");
        return dir;
    }

    private static void write(Path p, String s) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
    }

    @Test
    void packLeavesOutNamesGitTreatsSpeciallySoTheRegistryAcceptsWhatItMakes() throws Exception {
        Path dir = pluginWithGitFiles();

        CliRun json = CliRun.in(tmp, "pack", dir.toString(), "--json");
        assertThat(json.exitCode()).as(json.stderr()).isZero();
        JsonNode j = new ObjectMapper().readTree(json.stdout());
        List<String> files = new ArrayList<>();
        j.get("files").forEach(f -> files.add(f.get("path").asText()));
        assertThat(files).containsExactly(".codex-plugin/plugin.json", ".github/workflows/ci.yml", ".gitignore", "skills/hi/SKILL.md");
        List<String> leftOut = new ArrayList<>();
        j.get("excluded").forEach(e -> leftOut.add(e.get("path").asText() + " " + e.get("reason").asText()));
        assertThat(leftOut).anyMatch(e -> e.startsWith(".gitattributes ") && e.contains("git treats specially"))
                .anyMatch(e -> e.startsWith("sub/.gitmodules ") && e.contains("git treats specially"))
                .anyMatch(e -> e.startsWith("sub/.GIT. ") && e.contains("git treats specially"));

        CliRun human = CliRun.in(tmp, "pack", dir.toString());
        assertThat(human.exitCode()).as(human.stderr()).isZero();
        assertThat(human.stdout()).contains("left out:  .gitattributes (", "left out:  sub/.gitmodules (");

        CliRun token = CliRun.in(tmp, "token", "create", "--data", data.toString());
        CliRun login = CliRun.in(tmp, "login", "--registry", url, "--token", token.stdout().strip());
        assertThat(login.exitCode()).as(login.stderr()).isZero();
        CliRun published = CliRun.in(tmp, "publish", tmp.resolve("hello-1.0.0.tgz").toString());
        assertThat(published.exitCode()).as(published.stdout() + published.stderr()).isZero();
        assertThat(published.stdout()).contains("published hello@1.0.0");
        assertThat(registry.index("hello")).isPresent();

        write(dir.resolve(".codex-plugin/plugin.json"), "{\"name\":\"hello\",\"version\":\"1.0.1\",\"description\":\"Test plugin.\"}");
        CliRun fromDir = CliRun.in(tmp, "publish", dir.toString());
        assertThat(fromDir.exitCode()).as("publish packs the directory the same way: " + fromDir.stderr()).isZero();
    }

    @Test
    void validateWarnsAboutWhatPackWillLeaveOut() throws Exception {
        Path dir = pluginWithGitFiles();
        Files.createDirectories(dir.resolve(".git")); // the plugin's own repository: normal, no warning

        CliRun r = CliRun.in(tmp, "validate", dir.toString());

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        String out = r.stdout() + r.stderr();
        assertThat(out).contains("warning", ".gitattributes", "sub/.gitmodules", "sub/.GIT.", "cxpm pack leaves")
                .doesNotContain("'.git'");
    }
}
