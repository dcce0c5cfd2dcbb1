package dev.cxpm.cli.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parts of a plugin that the real Codex CLI installs without a word and then cannot use (checked with
 * codex 0.171: {@code plugin add} accepts a plugin whose .mcp.json is not JSON, and {@code codex mcp list}
 * then shows none of its servers; an app is connected by its id): an error under {@code --strict}, and
 * never summed up as "valid".
 */
class ValidateUnusablePartsTest {
    @TempDir
    Path dir;

    @Test
    void anAppThatInitWarnedHasNoIdFailsStrictValidation() throws IOException {
        Path src = Files.createDirectories(dir.resolve("project"));
        Files.writeString(src.resolve(".app.json"), "{\"apps\": {\"calendar\": {\"name\": \"Calendar\"}}}");
        CliRun init = CliRun.in(dir, "init", "team", "--from", "project");
        assertThat(init.exitCode()).as(init.stderr()).isZero();
        assertThat(init.stdout() + init.stderr()).contains("app `calendar` has no \"id\"");

        CliRun strict = CliRun.in(dir, "validate", "--strict", "team");
        assertThat(strict.exitCode()).as(strict.stdout()).isEqualTo(1);
        assertThat(strict.stdout()).contains("error [app.missing-id]").contains("app `calendar` has no \"id\"")
                .doesNotContain("is valid");

        CliRun plain = CliRun.in(dir, "validate", "team");
        assertThat(plain.exitCode()).isZero(); // Codex installs it
        assertThat(plain.stdout()).contains("warning [app.missing-id]").doesNotContain("is valid")
                .contains("Codex installs it but cannot use all of it");
    }

    @Test
    void anUnreadableMcpJsonIsNeverReportedValid() throws IOException {
        Path plugin = Files.createDirectories(dir.resolve("demo/.codex-plugin"));
        Files.writeString(plugin.resolve("plugin.json"), "{\"name\": \"demo\", \"version\": \"1.0.0\", \"description\": \"d\"}");
        Files.writeString(dir.resolve("demo/.mcp.json"), "{\"mcpServers\": {\"x\": {\"command\": \"node\",}");

        CliRun plain = CliRun.in(dir, "validate", "demo");
        assertThat(plain.stdout()).contains("warning [mcp.invalid-json]").contains("none of its MCP servers")
                .doesNotContain("is valid").contains("Codex installs it but cannot use all of it");

        CliRun strict = CliRun.in(dir, "validate", "--strict", "demo");
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.stdout()).contains("error [mcp.invalid-json]").doesNotContain("is valid");
    }

    @Test
    void anAppsFileWithoutAnAppsObjectOrNotJsonFailsStrictValidation() throws IOException {
        Path plugin = Files.createDirectories(dir.resolve("demo/.codex-plugin"));
        Files.writeString(plugin.resolve("plugin.json"),
                "{\"name\": \"demo\", \"version\": \"1.0.0\", \"description\": \"d\", \"apps\": \"./.app.json\"}");
        Files.writeString(dir.resolve("demo/.app.json"), "{\"calendar\": {\"id\": \"asdk_app_1\"}}");
        CliRun noObject = CliRun.in(dir, "validate", "--strict", "demo");
        assertThat(noObject.exitCode()).isEqualTo(1);
        assertThat(noObject.stdout()).contains("error [app.no-apps]");

        Files.writeString(dir.resolve("demo/.app.json"), "{\"apps\": ");
        CliRun notJson = CliRun.in(dir, "validate", "--strict", "demo");
        assertThat(notJson.exitCode()).isEqualTo(1);
        assertThat(notJson.stdout()).contains("error [app.invalid-json]");

        Files.writeString(dir.resolve("demo/.app.json"), "{\"apps\": {\"calendar\": {\"id\": \"asdk_app_1\"}}}");
        CliRun fine = CliRun.in(dir, "validate", "--strict", "demo");
        assertThat(fine.exitCode()).as(fine.stdout()).isZero();
        assertThat(fine.stdout()).contains("is valid");
    }
}
