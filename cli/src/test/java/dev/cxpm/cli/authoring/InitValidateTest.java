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

/** What init writes passes cxpm's own validator, strict rules included, with no warning left to fix. */
class InitValidateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void scaffoldPassesStrictValidationWithoutWarnings() throws IOException {
        assertThat(CliRun.in(dir, "init", "demo").exitCode()).isZero();
        assertCleanUnderStrict(dir.resolve("demo"));
    }

    @Test
    void scaffoldWithAnOddDirectoryNamePassesStrictValidation() throws IOException {
        assertThat(CliRun.in(dir, "init", "My Team's Tools!").exitCode()).isZero();
        assertCleanUnderStrict(dir.resolve("My Team's Tools!"));
    }

    @Test
    void adoptedSeedProjectPassesStrictValidationWithoutWarnings() throws IOException {
        Path src = Files.createDirectories(dir.resolve("project/skills"));
        Files.writeString(src.resolve("code-gen.md"), "# Code Review Skill\n\nReview code changes following team standards:\n1. Tests\n");
        Files.writeString(dir.resolve("project/.mcp.json"), """
                {"mcpServers": {
                  "github": {"command": "npx", "args": ["-y", "@anthropic/github-mcp-server"],
                             "env": {"GITHUB_TOKEN": "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"}},
                  "fetch": {"command": "uvx", "args": ["mcp-server-fetch"], "env": {"ROOT": "$HOME/work"}},
                  "docs": {"url": "https://example.com/mcp", "headers": {"Authorization": "Bearer ${DOCS_TOKEN}"}}
                }}""");
        Files.writeString(dir.resolve("project/.app.json"), "{\"apps\": {\"jira\": {\"id\": \"asdk_app_0001\"}}}");
        CliRun r = CliRun.in(dir, "init", "team", "--from", "project");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertCleanUnderStrict(dir.resolve("team"));
    }

    @Test
    void theSecretTheValidatorFlagsIsTheOneInitRefusedToCopy() throws IOException {
        Path src = Files.createDirectories(dir.resolve("project"));
        Files.writeString(src.resolve(".mcp.json"),
                "{\"mcpServers\": {\"gh\": {\"command\": \"npx\", \"env\": {\"GITHUB_TOKEN\": \"ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\"}}}}");
        // the source itself, made a plugin by hand, fails strict validation on its literal secret ...
        Path copy = Files.createDirectories(dir.resolve("by-hand/.codex-plugin"));
        Files.copy(src.resolve(".mcp.json"), dir.resolve("by-hand/.mcp.json"));
        Files.writeString(copy.resolve("plugin.json"), "{\"name\": \"by-hand\", \"version\": \"0.1.0\"}");
        assertThat(CliRun.in(dir, "validate", "--strict", "by-hand").exitCode()).isEqualTo(1);
        // ... while the adopted plugin passes
        assertThat(CliRun.in(dir, "init", "adopted", "--from", "project").exitCode()).isZero();
        assertCleanUnderStrict(dir.resolve("adopted"));
    }

    private static void assertCleanUnderStrict(Path plugin) throws IOException {
        CliRun r = CliRun.in(plugin.getParent(), "validate", "--strict", "--json", plugin.toString());
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        JsonNode report = JSON.readTree(r.stdout());
        assertThat(report.get("valid").asBoolean()).isTrue();
        assertThat(report.get("problems")).as(r.stdout()).isEmpty();
    }
}
