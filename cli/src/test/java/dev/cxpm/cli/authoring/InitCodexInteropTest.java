package dev.cxpm.cli.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.testkit.CodexClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Codex CLI installs what {@code cxpm init} writes, scaffolded or adopted. */
class InitCodexInteropTest {
    @TempDir
    Path dir;

    @Test
    void realCodexInstallsAScaffoldedPlugin() throws IOException {
        Path market = marketplaceWith("demo");
        assertThat(CliRun.in(market.resolve("plugins"), "init", "demo").exitCode()).isZero();
        CodexClient.Result add = install(market, "demo");
        assertThat(add.exitCode()).as(add.output()).isZero();
        assertThat(add.stdout()).contains("\"version\": \"0.1.0\"");
    }

    @Test
    void realCodexInstallsAnAdoptedPlugin() throws IOException {
        Path src = Files.createDirectories(dir.resolve("project/skills"));
        Files.writeString(src.resolve("code-gen.md"), "# Code gen\n\nGenerate code the team's way.\n");
        Files.writeString(dir.resolve("project/.mcp.json"),
                "{\"mcpServers\": {\"github\": {\"command\": \"npx\", \"env\": {\"GITHUB_TOKEN\": \"ghp_a1B2c3D4e5F6g7H8i9J0k1L2\"}}}}");
        Path market = marketplaceWith("team");
        CliRun r = CliRun.in(market.resolve("plugins"), "init", "team", "--from", dir.resolve("project").toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        CodexClient.Result add = install(market, "team");
        assertThat(add.exitCode()).as(add.output()).isZero();
        assertThat(dir.resolve("codex-home/plugins/cache/fx/team/0.1.0/skills/code-gen/SKILL.md")).exists();
    }

    private Path marketplaceWith(String plugin) throws IOException {
        Path market = dir.resolve("market");
        Files.createDirectories(market.resolve(".agents/plugins"));
        Files.createDirectories(market.resolve("plugins"));
        Files.writeString(market.resolve(".agents/plugins/marketplace.json"),
                "{\"name\": \"fx\", \"plugins\": [{\"name\": \"" + plugin + "\", \"source\": \"./plugins/" + plugin + "\"}]}");
        return market;
    }

    private CodexClient.Result install(Path market, String plugin) {
        CodexClient codex = new CodexClient(dir.resolve("codex-home"), dir.resolve("home"));
        CodexClient.Result added = codex.run("plugin", "marketplace", "add", market.toString());
        assertThat(added.exitCode()).as(added.output()).isZero();
        return codex.run("plugin", "add", plugin + "@fx", "--json");
    }
}
