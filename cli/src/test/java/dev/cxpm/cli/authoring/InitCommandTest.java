package dev.cxpm.cli.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.parts.Skill;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GITHUB_SECRET = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";

    @TempDir
    Path dir;

    // ---- scaffold ----

    @Test
    void scaffoldWritesManifestExampleSkillAndReadme() throws IOException {
        CliRun r = CliRun.in(dir, "init", "demo");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Path plugin = dir.resolve("demo");
        JsonNode m = JSON.readTree(plugin.resolve(".codex-plugin/plugin.json").toFile());
        assertThat(m.get("name").asText()).isEqualTo("demo");
        assertThat(m.get("version").asText()).isEqualTo("0.1.0");
        assertThat(m.get("description").asText()).isNotBlank();
        assertThat(m.get("skills").asText()).isEqualTo("./skills/");
        assertThat(m.at("/interface/displayName").asText()).isEqualTo("Demo");
        assertThat(m.at("/interface/shortDescription").asText()).isNotBlank();
        assertThat(m.at("/interface/category").asText()).isEqualTo("Productivity");
        assertThat(m.at("/interface/capabilities").isArray()).isTrue();
        assertThat(Files.readString(plugin.resolve("skills/example/SKILL.md")))
                .startsWith("---\nname: example\ndescription: ");
        assertThat(plugin.resolve("README.md")).exists();
        assertThat(r.stdout()).contains("Created plugin `demo`").contains(".codex-plugin/plugin.json");
    }

    @Test
    void scaffoldInTheCurrentDirectoryNamesThePluginAfterIt() throws IOException {
        Path cwd = Files.createDirectories(dir.resolve("team-tools"));
        CliRun r = CliRun.in(cwd, "init");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(JSON.readTree(cwd.resolve(".codex-plugin/plugin.json").toFile()).get("name").asText())
                .isEqualTo("team-tools");
    }

    @Test
    void defaultNameIsMadeValidFromAnOddDirectoryName() throws IOException {
        CliRun r = CliRun.in(dir, "init", "My Team's Tools!");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode m = JSON.readTree(dir.resolve("My Team's Tools!/.codex-plugin/plugin.json").toFile());
        assertThat(m.get("name").asText()).isEqualTo("my-team-s-tools");
        assertThat(m.at("/interface/displayName").asText()).isEqualTo("My Team S Tools");
    }

    @Test
    void nameOptionIsUsedWhenValid() throws IOException {
        CliRun r = CliRun.in(dir, "init", "x", "--name", "Demo_Plugin-2.v1", "--description", "Does things.");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode m = JSON.readTree(dir.resolve("x/.codex-plugin/plugin.json").toFile());
        assertThat(m.get("name").asText()).isEqualTo("Demo_Plugin-2.v1");
        assertThat(m.get("description").asText()).isEqualTo("Does things.");
    }

    @Test
    void nameWithASpaceIsRefusedAsBadUsageWithASuggestion() {
        CliRun r = CliRun.in(dir, "init", "x", "--name", "demo plugin");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("invalid plugin name 'demo plugin'").contains("hint: try --name demo-plugin");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void namesCodexWouldMisreadAreRefused() {
        for (String bad : new String[] {"demo@fx", "../up", ".hidden", "-opt", "a/b", "é", "x".repeat(65)}) {
            CliRun r = CliRun.in(dir, "init", "x", "--name", bad);
            assertThat(r.exitCode()).as(bad).isEqualTo(2);
            assertThat(r.stderr()).as(bad).contains("invalid plugin name");
        }
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void existingManifestIsRefusedAndLeftUntouched() throws IOException {
        Path plugin = dir.resolve("demo");
        Path manifest = Files.createDirectories(plugin.resolve(".codex-plugin")).resolve("plugin.json");
        Files.writeString(manifest, "{\"name\": \"mine\"}");
        CliRun r = CliRun.in(dir, "init", "demo");
        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(r.stderr()).contains("already a plugin: .codex-plugin/plugin.json exists").contains("hint:");
        assertThat(Files.readString(manifest)).isEqualTo("{\"name\": \"mine\"}");
        assertThat(plugin.resolve("skills")).doesNotExist();
    }

    @Test
    void existingClaudeManifestIsAlsoRefused() throws IOException {
        Path plugin = dir.resolve("demo");
        Files.createDirectories(plugin.resolve(".claude-plugin"));
        Files.writeString(plugin.resolve(".claude-plugin/plugin.json"), "{\"name\": \"demo\"}");
        CliRun r = CliRun.in(dir, "init", "demo");
        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(plugin.resolve(".codex-plugin")).doesNotExist();
    }

    @Test
    void scaffoldKeepsAnExistingReadme() throws IOException {
        Path plugin = Files.createDirectories(dir.resolve("demo"));
        Files.writeString(plugin.resolve("README.md"), "# mine\n");
        CliRun r = CliRun.in(dir, "init", "demo");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(Files.readString(plugin.resolve("README.md"))).isEqualTo("# mine\n");
        assertThat(r.stdout()).contains("Kept as they were:\n  README.md");
    }

    @Test
    void targetThatIsAFileIsBadUsage() throws IOException {
        Files.writeString(dir.resolve("file"), "x");
        CliRun r = CliRun.in(dir, "init", "file");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("is a file, not a directory");
    }

    @Test
    void jsonOutputListsCreatedFiles() throws IOException {
        CliRun r = CliRun.in(dir, "init", "demo", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode o = JSON.readTree(r.stdout());
        assertThat(o.get("name").asText()).isEqualTo("demo");
        assertThat(o.get("from").isNull()).isTrue();
        assertThat(o.get("created").toString()).contains(".codex-plugin/plugin.json", "skills/example/SKILL.md", "README.md");
    }

    // ---- adopt ----

    @Test
    void adoptsTheSeedArticlesScatteredProject() throws IOException {
        Path src = seedProject();
        CliRun r = CliRun.in(dir, "init", "team-workflow", "--from", src.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Path plugin = dir.resolve("team-workflow");
        JsonNode m = JSON.readTree(plugin.resolve(".codex-plugin/plugin.json").toFile());
        assertThat(m.get("name").asText()).isEqualTo("team-workflow");
        assertThat(m.get("version").asText()).isEqualTo("0.1.0");
        assertThat(m.get("skills").asText()).isEqualTo("./skills/");
        assertThat(m.get("mcpServers").asText()).isEqualTo("./.mcp.json");
        assertThat(m.get("apps").asText()).isEqualTo("./.app.json");
        assertThat(m.at("/prerequisites/commands/npx").asText()).contains("Node.js");
        assertThat(m.at("/prerequisites/env").has("GITHUB_TOKEN")).isTrue();
        assertThat(m.at("/prerequisites/env").has("SLACK_BOT_TOKEN")).isTrue();
        assertThat(plugin.resolve("skills/code-gen/SKILL.md")).exists();
        assertThat(plugin.resolve("skills/testing/SKILL.md")).exists();
        assertThat(plugin.resolve(".app.json")).hasSameTextualContentAs(src.resolve(".app.json"));
        assertThat(plugin.resolve("src")).doesNotExist();
        assertThat(r.stdout()).contains("skills/code-gen.md -> skills/code-gen/SKILL.md")
                .contains("Left in the source (not part of the plugin):\n  package.json\n  src/");
    }

    @Test
    void flatMarkdownSkillGetsADirectoryAndDraftedFrontMatter() throws IOException {
        Path src = seedProject();
        CliRun.in(dir, "init", "p", "--from", src.toString());
        String skill = Files.readString(dir.resolve("p/skills/code-gen/SKILL.md"));
        assertThat(skill).startsWith("---\nname: code-gen\ndescription: Review code changes following team standards\n---\n");
        assertThat(skill).endsWith(Files.readString(src.resolve("skills/code-gen.md")));
    }

    @Test
    void skillDirectoryIsCopiedWholeAndCompleteFrontMatterIsKeptByteForByte() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/skills/deploy/scripts"));
        String md = "---\nname: deploy\ndescription: Deploy the app\n# a comment\n---\nSteps.\n";
        Files.writeString(dir.resolve("src/skills/deploy/SKILL.md"), md);
        Files.writeString(src.resolve("run.sh"), "echo hi\n");
        CliRun r = CliRun.in(dir, "init", "p", "--from", "src");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(Files.readString(dir.resolve("p/skills/deploy/SKILL.md"))).isEqualTo(md);
        assertThat(Files.readString(dir.resolve("p/skills/deploy/scripts/run.sh"))).isEqualTo("echo hi\n");
    }

    @Test
    void skillWithoutDescriptionGetsOneAddedAndKeepsItsOtherKeys() throws IOException {
        Files.createDirectories(dir.resolve("src/skills/lint"));
        Files.writeString(dir.resolve("src/skills/lint/SKILL.md"), "---\nname: lint\nlicense: MIT\n---\n# Lint\n\nRun the linter on changed files.\n");
        CliRun r = CliRun.in(dir, "init", "p", "--from", "src");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(Files.readString(dir.resolve("p/skills/lint/SKILL.md"))).isEqualTo(
                "---\nname: lint\nlicense: MIT\ndescription: Run the linter on changed files.\n---\n# Lint\n\nRun the linter on changed files.\n");
        assertThat(r.stdout()).contains("front matter description drafted");
    }

    @Test
    void rootPluginJsonWithTheAgentPluginsSchemaCountsAsAnExistingManifest() throws IOException {
        Path plugin = Files.createDirectories(dir.resolve("demo"));
        Files.writeString(plugin.resolve("plugin.json"),
                "{\"$schema\": \"https://agent-plugins.org/schemas/1.0.0/plugin.schema.json\", \"name\": \"demo\"}");
        assertThat(CliRun.in(dir, "init", "demo").exitCode()).isEqualTo(6);
        Files.writeString(plugin.resolve("plugin.json"), "{\"name\": \"not-a-manifest\"}");
        assertThat(CliRun.in(dir, "init", "demo").exitCode()).isZero();
    }

    @Test
    void flatSkillDoesNotShadowASkillDirectoryOfTheSameName() throws IOException {
        Files.createDirectories(dir.resolve("src/skills/a"));
        Files.writeString(dir.resolve("src/skills/a/SKILL.md"), "---\nname: a\ndescription: real\n---\n");
        Files.writeString(dir.resolve("src/skills/a.md"), "# old copy\n");
        CliRun r = CliRun.in(dir, "init", "p", "--from", "src");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(Files.readString(dir.resolve("p/skills/a/SKILL.md"))).contains("description: real");
        assertThat(r.stdout()).contains("skills/a.md not taken");
    }

    @Test
    void literalSecretsAreNotCopiedButBecomePrerequisites() throws IOException {
        Path src = seedProject();
        CliRun r = CliRun.in(dir, "init", "p", "--from", src.toString(), "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Path plugin = dir.resolve("p");
        String everything = readTree(plugin).values().stream().reduce("", String::concat);
        assertThat(everything).doesNotContain(GITHUB_SECRET);
        JsonNode mcp = JSON.readTree(plugin.resolve(".mcp.json").toFile());
        assertThat(mcp.at("/mcpServers/github/env/GITHUB_TOKEN").asText()).isEqualTo("${GITHUB_TOKEN}");
        assertThat(mcp.at("/mcpServers/slack/env/SLACK_TEAM_ID").asText()).isEqualTo("T01234567");
        JsonNode out = JSON.readTree(r.stdout());
        assertThat(out.at("/secretsNotCopied/0/env").asText()).isEqualTo("GITHUB_TOKEN");
        assertThat(out.at("/secretsNotCopied/0/server").asText()).isEqualTo("github");
        assertThat(out.at("/prerequisites/env/GITHUB_TOKEN").asText()).contains("not copied");
    }

    @Test
    void humanOutputSaysWhichSecretWasNotCopied() throws IOException {
        CliRun r = CliRun.in(dir, "init", "p", "--from", seedProject().toString());
        assertThat(r.stdout()).contains("Secret NOT copied: .mcp.json server `github` env GITHUB_TOKEN");
        assertThat(r.stdout()).doesNotContain(GITHUB_SECRET);
    }

    @Test
    void mcpFileWithoutSecretsIsCopiedByteForByte() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        String mcp = "{\"mcpServers\": {\"fs\": {\"command\": \"uvx\", \"args\": [\"mcp-fs\"], \"env\": {\"ROOT\": \"$HOME/work\"}}}}";
        Files.writeString(src.resolve(".mcp.json"), mcp);
        CliRun r = CliRun.in(dir, "init", "p", "--from", "src", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(Files.readString(dir.resolve("p/.mcp.json"))).isEqualTo(mcp);
        JsonNode out = JSON.readTree(r.stdout());
        assertThat(out.at("/prerequisites/commands/uvx").asText()).contains("uv");
        assertThat(out.at("/prerequisites/env/HOME").asText()).contains("fs");
        assertThat(out.get("secretsNotCopied")).isEmpty();
    }

    @Test
    void variablesWithAFallbackAndCommandsThatArePathsOrVariablesAreNotDraftedAsPrerequisites() throws IOException {
        // init drafted LOG_LEVEL from ${LOG_LEVEL:-info}, which validate says is not needed and install then demanded.
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve(".mcp.json"), """
                {"mcpServers": {
                  "a": {"command": "${SERVER_BIN}", "env": {"LEVEL": "${LOG_LEVEL:-info}", "KEY": "${API_TOKEN}"}},
                  "b": {"command": "C:\\\\tools\\\\srv.exe"}
                }}""");
        CliRun r = CliRun.in(dir, "init", "p", "--from", "src", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode out = JSON.readTree(r.stdout());
        assertThat(out.at("/prerequisites/env").size()).isEqualTo(1);
        assertThat(out.at("/prerequisites/env").has("API_TOKEN")).isTrue();
        assertThat(out.at("/prerequisites/commands").isEmpty()).isTrue();
        CliRun strict = CliRun.in(dir, "validate", "p", "--strict");
        assertThat(strict.exitCode()).as(strict.stdout()).isZero();
    }

    @Test
    void remoteServerHeadersGiveTheirVariablesAndLoseTheirLiteralTokens() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve(".mcp.json"), """
                {"mcpServers": {
                  "docs": {"url": "https://example.com/mcp", "headers": {"Authorization": "Bearer ${DOCS_TOKEN}"}},
                  "crm": {"url": "https://crm.example.com/mcp", "headers": {"Authorization": "Bearer s3cr3t-v4lue-123"}}
                }}""");
        CliRun r = CliRun.in(dir, "init", "p", "--from", "src", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode out = JSON.readTree(r.stdout());
        assertThat(out.at("/prerequisites/env").has("DOCS_TOKEN")).isTrue();
        assertThat(out.at("/prerequisites/env").has("CRM_TOKEN")).isTrue();
        assertThat(out.at("/secretsNotCopied/0/env").asText()).isEqualTo("CRM_TOKEN");
        String mcp = Files.readString(dir.resolve("p/.mcp.json"));
        assertThat(mcp).doesNotContain("s3cr3t-v4lue-123").contains("Bearer ${CRM_TOKEN}").contains("Bearer ${DOCS_TOKEN}");
    }

    @Test
    void sourceTreeIsByteIdenticalAfterAdoption() throws IOException {
        Path src = seedProject();
        Map<String, String> before = hashes(src);
        CliRun r = CliRun.in(dir, "init", "p", "--from", src.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(hashes(src)).isEqualTo(before);
    }

    @Test
    void pluginMadeInsideTheSourceLeavesSourceFilesUntouched() throws IOException {
        Path src = seedProject();
        Map<String, String> before = hashes(src);
        CliRun r = CliRun.in(src, "init", "plugin", "--from", ".");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Map<String, String> after = hashes(src);
        after.keySet().removeIf(k -> k.startsWith("plugin/"));
        assertThat(after).isEqualTo(before);
        assertThat(r.stdout()).doesNotContain("  plugin/");
    }

    @Test
    void adoptingInPlaceRefusesWhenASecretWouldHaveToBeRewritten() throws IOException {
        Path src = seedProject();
        Map<String, String> before = hashes(src);
        CliRun r = CliRun.in(src, "init", "--from", ".");
        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(r.stderr()).contains("would overwrite").contains(".mcp.json");
        assertThat(hashes(src)).isEqualTo(before);
    }

    @Test
    void adoptingInPlaceWithoutSecretsOnlyAddsFiles() throws IOException {
        Path src = Files.createDirectories(dir.resolve("proj/skills"));
        Files.writeString(src.resolve("review.md"), "Review the diff.\n");
        Path proj = dir.resolve("proj");
        Map<String, String> before = hashes(proj);
        CliRun r = CliRun.in(proj, "init", "--from", ".");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Map<String, String> after = hashes(proj);
        assertThat(after).containsAllEntriesOf(before);
        assertThat(after).containsKeys(".codex-plugin/plugin.json", "skills/review/SKILL.md");
    }

    @Test
    void sourceWithNothingToAdoptIsAClearError() throws IOException {
        Files.createDirectories(dir.resolve("empty/src"));
        CliRun r = CliRun.in(dir, "init", "p", "--from", "empty");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("nothing to adopt").contains("hint:");
        assertThat(dir.resolve("p")).doesNotExist();
    }

    @Test
    void missingSourceIsNotFound() {
        CliRun r = CliRun.in(dir, "init", "p", "--from", "nope");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("no such directory");
    }

    @Test
    void malformedMcpJsonNamesTheFileAndLineAndWritesNothing() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve(".mcp.json"), "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"npx\",}\n  }\n}\n");
        CliRun r = CliRun.in(dir, "init", "p", "--from", "src");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains(src.resolve(".mcp.json") + ":3:28: invalid JSON: a comma before `}`").doesNotContain("Exception");
        assertThat(dir.resolve("p")).doesNotExist();
    }

    @Test
    void mcpJsonOfTheWrongShapeIsAClearError() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve(".mcp.json"), "[1, 2]");
        CliRun r = CliRun.in(dir, "init", "p", "--from", "src");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("\"mcpServers\" object");
    }

    @Test
    void binaryJunkInAppJsonIsAClearError() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.write(src.resolve(".app.json"), new byte[] {0, (byte) 0xff, 0x13, 0x7f, 'x'});
        CliRun r = CliRun.in(dir, "init", "p", "--from", "src");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains(".app.json: not UTF-8 text").doesNotContain("Exception");
    }

    @Test
    void deeplyNestedMcpJsonIsAClearErrorNotACrash() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve(".mcp.json"), "{\"mcpServers\": " + "[".repeat(5000) + "]".repeat(5000) + "}");
        CliRun r = CliRun.in(dir, "init", "p", "--from", "src");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains(".mcp.json").doesNotContain("Exception").doesNotContain("internal error");
        assertThat(dir.resolve("p")).doesNotExist();
    }

    @Test
    void skillsTreeOverTheFileLimitIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path big = Files.createDirectories(dir.resolve("src/skills/big"));
        Files.writeString(big.resolve("SKILL.md"), "---\nname: big\ndescription: d\n---\n");
        for (int i = 0; i < 10_001; i++) {
            Files.writeString(big.resolve("f" + i + ".txt"), "x");
        }
        CliRun r = CliRun.in(dir, "init", "p", "--from", "src");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("too large to adopt").contains("10000 files");
        assertThat(dir.resolve("p")).doesNotExist();
    }

    @Test
    void symlinkOutOfTheSkillsDirectoryIsNotFollowed() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/skills"));
        Path secret = Files.writeString(dir.resolve("secret.md"), "top secret\n");
        Files.createSymbolicLink(src.resolve("leak.md"), secret);
        Files.writeString(src.resolve("ok.md"), "Fine.\n");
        CliRun r = CliRun.in(dir, "init", "p", "--from", "src");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(dir.resolve("p/skills/leak")).doesNotExist();
        assertThat(r.stdout()).contains("skills/leak.md is a symbolic link");
    }

    @Test
    void adoptedPluginNeverOverwritesAnExistingDifferentFile() throws IOException {
        Path src = seedProject();
        Path plugin = Files.createDirectories(dir.resolve("p"));
        Files.writeString(plugin.resolve(".app.json"), "{\"apps\": {}}");
        CliRun r = CliRun.in(dir, "init", "p", "--from", src.toString());
        assertThat(r.exitCode()).isEqualTo(6);
        assertThat(Files.readString(plugin.resolve(".app.json"))).isEqualTo("{\"apps\": {}}");
        assertThat(plugin.resolve(".codex-plugin")).doesNotExist();
    }

    @Test
    void helpDescribesTheCommand() {
        CliRun r = CliRun.in(dir, "init", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("--from").contains("--name").contains("--json");
    }

    @Test
    void formatModelReadsTheAdoptedPluginWithItsSkillsServersAndPrerequisites() throws IOException {
        CliRun r = CliRun.in(dir, "init", "p", "--from", seedProject().toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Plugin plugin = Plugin.load(dir.resolve("p"));
        assertThat(plugin.name()).contains("p");
        assertThat(plugin.version()).contains("0.1.0");
        assertThat(plugin.skills()).extracting(Skill::id).containsExactly("code-gen", "testing");
        assertThat(plugin.skills()).allSatisfy(s -> {
            assertThat(s.frontMatterError()).isEmpty();
            assertThat(s.name()).isPresent();
            assertThat(s.description()).isPresent();
        });
        assertThat(plugin.mcpServers()).containsOnlyKeys("github", "slack");
        assertThat(plugin.mcpServers().get("github").env()).containsEntry("GITHUB_TOKEN", "${GITHUB_TOKEN}");
        assertThat(plugin.apps()).containsOnlyKeys("jira");
        assertThat(plugin.prerequisites().commands()).containsOnlyKeys("npx");
        assertThat(plugin.prerequisites().env()).containsOnlyKeys("GITHUB_TOKEN", "SLACK_BOT_TOKEN");
    }

    @Test
    void formatModelReadsTheScaffold() {
        assertThat(CliRun.in(dir, "init", "demo").exitCode()).isZero();
        Plugin plugin = Plugin.load(dir.resolve("demo"));
        assertThat(plugin.skills()).extracting(Skill::id).containsExactly("example");
        assertThat(plugin.skills().get(0).description()).isPresent();
        assertThat(plugin.pluginInterface().displayName()).contains("Demo");
        assertThat(plugin.prerequisites().isEmpty()).isTrue();
    }

    // ---- helpers ----

    /** A copy of the seed article's "before" project (test resources), so tests may hash and compare it. */
    private Path seedProject() throws IOException {
        Path from = Path.of("src/test/resources/seed-project");
        Path to = dir.resolve("seed-project");
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }

    static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) {
                    out.put(root.relativize(p).toString().replace('\\', '/'), sha256(Files.readAllBytes(p)));
                }
            }
        }
        return out;
    }

    private static Map<String, String> readTree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) {
                    out.put(root.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
