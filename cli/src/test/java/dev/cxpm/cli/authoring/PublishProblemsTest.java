package dev.cxpm.cli.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * publish refuses a plugin whose manifest is broken the way validate reports it (file, line, column, code, hint),
 * before anything is uploaded; an archive packed elsewhere is refused by the registry with the same place.
 */
class PublishProblemsTest {
    @TempDir
    Path tmp;
    Registry registry;
    RegistryServer server;
    String url;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        Path data = tmp.resolve("data");
        registry = Registry.embedded(data, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        url = server.url().toString();
        env = new HashMap<>(Fixtures.env(tmp.resolve("codex-home"), tmp.resolve("home")));
        CliRun token = cxpm("token", "create", "--data", data.toString());
        assertThat(cxpm("login", "--registry", url, "--token", token.stdout().strip()).exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    CliRun cxpm(String... args) {
        return CliRun.in(tmp, env, args);
    }

    Path brokenPlugin() throws Exception {
        Path dir = Fixtures.plugin(tmp.resolve("p"), "{}");
        Files.writeString(dir.resolve(".codex-plugin/plugin.json"), "{\n  \"name\": \"p\",\n  \"version\": \"1.0.0\",\n}\n");
        return dir;
    }

    @Test
    void aBrokenManifestIsRefusedWithFileLineAndColumnAsValidateSaysIt() throws Exception {
        brokenPlugin();
        CliRun validate = cxpm("validate", "p");
        String problemLine = validate.stdout().lines().filter(l -> l.contains("[manifest.invalid-json]")).findFirst().orElseThrow();
        CliRun publish = cxpm("publish", "p");
        assertThat(publish.exitCode()).as(publish.stderr()).isEqualTo(1);
        assertThat(publish.stderr()).contains(problemLine).contains("plugin.json:4:1: error [manifest.invalid-json]")
                .contains("hint: ").contains("not published").doesNotContain("not a JSON object");
        assertThat(registry.index("p")).isEmpty();
    }

    @Test
    void underJsonTheRefusalListsTheProblems() throws Exception {
        brokenPlugin();
        CliRun publish = cxpm("publish", "p", "--json");
        assertThat(publish.exitCode()).isEqualTo(1);
        JsonNode o = new ObjectMapper().readTree(publish.stdout());
        assertThat(o.path("error").path("code").asText()).isEqualTo("invalid-input");
        JsonNode problem = o.path("problems").get(0);
        assertThat(problem.path("code").asText()).isEqualTo("manifest.invalid-json");
        assertThat(problem.path("line").asInt()).isEqualTo(4);
        assertThat(problem.path("column").asInt()).isEqualTo(1);
    }

    @Test
    void anArchiveWithABrokenManifestIsRefusedByTheRegistryWithLineAndColumn() throws Exception {
        Path dir = Fixtures.plugin(tmp.resolve("p"), "{\"name\": \"p\", \"version\": \"1.0.0\", \"description\": \"P.\"}");
        Path tgz = tmp.resolve("p.tgz");
        assertThat(cxpm("pack", dir.toString(), "-o", tgz.toString()).exitCode()).isZero();
        // an archive made by another tool: the same files with a broken manifest
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        new ProcessBuilder("tar", "-xzf", tgz.toString(), "-C", other.toString()).inheritIO().start().waitFor();
        Path manifest;
        try (var s = Files.walk(other)) {
            manifest = s.filter(f -> f.endsWith(".codex-plugin/plugin.json")).findFirst().orElseThrow();
        }
        Files.writeString(manifest, "{\n  \"name\": \"p\",\n  \"version\": \"1.0.0\",\n}\n");
        Path broken = tmp.resolve("broken.tgz");
        new ProcessBuilder("tar", "-czf", broken.toString(), "-C", other.toString(), other.relativize(manifest).getName(0).toString())
                .inheritIO().start().waitFor();
        CliRun publish = cxpm("publish", broken.toString());
        assertThat(publish.exitCode()).as(publish.stderr()).isEqualTo(1);
        assertThat(publish.stderr()).contains("plugin.json:4:1: invalid JSON: a comma before `}`").doesNotContain("not a JSON object");
    }
}
