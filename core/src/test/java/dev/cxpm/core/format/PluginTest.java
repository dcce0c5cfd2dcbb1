package dev.cxpm.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.parts.FrontMatter;
import dev.cxpm.core.format.parts.Hook;
import dev.cxpm.core.format.parts.McpServer;
import dev.cxpm.core.format.parts.PluginInterface;
import dev.cxpm.core.format.parts.Prerequisites;
import dev.cxpm.core.format.parts.Skill;
import dev.cxpm.testkit.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginTest {
    @TempDir
    Path dir;

    private Path fixturePlugin(String fixture) {
        return TestFiles.codexFixture(fixture, dir).resolve("plugins/demo");
    }

    @Test
    void findsManifestsInCodexOrder() {
        assertThat(ManifestLocation.find(fixturePlugin("manifest-codex-and-claude")).orElseThrow().kind())
                .isEqualTo(ManifestKind.CODEX);
        assertThat(ManifestLocation.find(fixturePlugin("manifest-claude-and-cursor")).orElseThrow().kind())
                .isEqualTo(ManifestKind.CLAUDE);
        assertThat(ManifestLocation.find(fixturePlugin("manifest-cursor-only")).orElseThrow().kind())
                .isEqualTo(ManifestKind.CURSOR);
        assertThat(ManifestLocation.find(fixturePlugin("manifest-root-agent-plugins")).orElseThrow().kind())
                .isEqualTo(ManifestKind.AGENT_PLUGINS_ROOT);
        assertThat(ManifestLocation.find(fixturePlugin("manifest-root-plain"))).isEmpty();
        assertThat(ManifestLocation.find(fixturePlugin("manifest-missing"))).isEmpty();
    }

    @Test
    void hooksAreReadFromTheDefaultFileAFileTheManifestNamesAndInlineAndMergedByEventAndMatcher() {
        String bash = "{\"matcher\": \"Bash\", \"hooks\": [{\"type\": \"command\", \"command\": \"./a.sh\"}]}";
        TestFiles.write(dir, "p/hooks/hooks.json", "{\"hooks\": {\"PreToolUse\": [" + bash + "]}}");
        TestFiles.write(dir, "p/more.json", "{\"hooks\": {\"PreToolUse\": [" + bash.replace("a.sh", "b.sh") + "], \"Stop\": \"junk\"}}");
        TestFiles.write(dir, "p/.claude-plugin/plugin.json", "{\"name\": \"p\", \"hooks\": [\"./more.json\", "
                + "{\"SessionStart\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"./hi.sh\"}]}]}, \"../out.json\"]}");
        List<Hook> hooks = Plugin.load(dir.resolve("p")).hooks();
        assertThat(hooks).containsExactly(new Hook("PreToolUse", "Bash", List.of("./a.sh", "./b.sh")),
                new Hook("SessionStart", "", List.of("./hi.sh")));
        assertThat(hooks.getFirst().key()).isEqualTo("PreToolUse [Bash]");
    }

    @Test
    void slashCommandsComeFromCommandsDirSubdirectoriesAndTheManifest() {
        TestFiles.write(dir, "p/commands/deploy.md", "---\ndescription: Deploys it.\n---\nDeploy.\n");
        TestFiles.write(dir, "p/commands/git/commit.md", "Commit.\n");
        TestFiles.write(dir, "p/commands/notes.txt", "not a command");
        TestFiles.write(dir, "p/extra/review.md", "Review.\n");
        TestFiles.write(dir, "p/.claude-plugin/plugin.json", "{\"name\": \"p\", \"commands\": [\"./extra/review.md\", \"../x.md\"]}");
        Plugin plugin = Plugin.load(dir.resolve("p"));
        assertThat(plugin.commands()).containsOnlyKeys("deploy", "git:commit", "review");
        assertThat(plugin.commands().get("deploy").description()).contains("Deploys it.");
        assertThat(plugin.commands().get("review").description()).isEmpty();
    }

    @Test
    void invalidCodexManifestHidesAValidClaudeOne() {
        Path root = fixturePlugin("manifest-codex-invalid-claude-valid");
        assertThat(ManifestLocation.find(root).orElseThrow().kind()).isEqualTo(ManifestKind.CODEX);
        assertThatThrownBy(() -> Plugin.load(root)).isInstanceOf(UserError.class).hasMessageContaining("invalid JSON");
    }

    @Test
    void missingManifestIsAUserError() {
        assertThatThrownBy(() -> Plugin.load(fixturePlugin("manifest-root-plain")))
                .isInstanceOf(UserError.class).hasMessageContaining("missing plugin.json");
    }

    @Test
    void readsEveryComponentOfAFullPlugin() {
        Plugin p = Plugin.load(fixturePlugin("manifest-codex-full"));
        assertThat(p.name()).contains("demo");
        assertThat(p.version()).contains("2.1.0-beta.1+build.5");
        assertThat(p.description()).contains("Full demo plugin");
        assertThat(p.keywords()).containsExactly("demo", "test");
        PluginInterface i = p.pluginInterface();
        assertThat(i.displayName()).contains("Demo");
        assertThat(i.developerName()).contains("Example Org");
        assertThat(i.capabilities()).containsExactly("Interactive", "Write");
        assertThat(i.brandColor()).contains("#10A37F");
        assertThat(i.defaultPrompts()).containsExactly("Say hello", "Say goodbye");
        assertThat(p.skills()).extracting(Skill::id, Skill::name, Skill::description)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hello", Optional.of("hello"), Optional.of("Say hello")));
        assertThat(p.mcpServers()).containsOnlyKeys("echo", "remote");
        McpServer echo = p.mcpServers().get("echo");
        assertThat(echo.command()).contains("node");
        assertThat(echo.args()).containsExactly("server.js");
        assertThat(echo.env()).containsEntry("A", "1");
        assertThat(p.mcpServers().get("remote").url()).contains("https://example.com/mcp");
        assertThat(p.apps()).containsOnlyKeys("demo-app");
        assertThat(p.apps().get("demo-app").id()).contains("asdk_app_0000");
    }

    @Test
    void versionIsTrimmedAndNameFallsBackToTheDirectory() {
        assertThat(Plugin.load(fixturePlugin("manifest-version-padded")).version()).contains("1.2.3");
        Plugin empty = Plugin.load(fixturePlugin("manifest-name-empty"));
        assertThat(empty.name()).isEmpty();
        assertThat(empty.effectiveName()).isEqualTo("demo");
        assertThat(Plugin.load(fixturePlugin("manifest-no-version")).version()).isEmpty();
    }

    @Test
    void arrayManifestIsReadPositionallyLikeCodex() {
        assertThat(Plugin.load(fixturePlugin("manifest-not-object")).version()).contains("demo");
    }

    @Test
    void inlineMcpServersAndIllTypedFieldsAreReadLeniently() {
        assertThat(Plugin.load(fixturePlugin("manifest-mcp-inline")).mcpServers()).containsOnlyKeys("echo");
        assertThat(Plugin.load(fixturePlugin("manifest-mcp-wrong-type")).mcpServers()).isEmpty();
        assertThat(Plugin.load(fixturePlugin("manifest-keywords-wrong-type")).keywords()).isEmpty();
        assertThat(Plugin.load(fixturePlugin("manifest-interface-wrong-type")).pluginInterface())
                .isEqualTo(PluginInterface.empty());
        Plugin badMcp = Plugin.load(fixturePlugin("manifest-bad-mcp-json"));
        assertThat(badMcp.mcpServers()).isEmpty();
        assertThat(badMcp.mcpConfig().failure()).isPresent();
    }

    @Test
    void defaultPromptsAreCleanedAsCodexDoes() {
        assertThat(Plugin.load(fixturePlugin("manifest-default-prompt-4")).pluginInterface().defaultPrompts()).hasSize(3);
        assertThat(Plugin.defaultPrompts(com.fasterxml.jackson.databind.node.TextNode.valueOf("  a \n  b "))).containsExactly("a b");
    }

    @Test
    void malformedSkillFrontMatterIsRecordedNotThrown() {
        Plugin p = Plugin.load(fixturePlugin("manifest-bad-skill-frontmatter"));
        assertThat(p.skills()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo("bad");
            assertThat(s.frontMatterError()).hasValueSatisfying(e -> assertThat(e).contains("no YAML front matter"));
        });
        assertThat(FrontMatter.parse("---\nname: [unclosed\n---\n").error()).isPresent();
        assertThat(FrontMatter.parse("---\n- a\n---\n").error()).contains("front matter is not a YAML mapping");
        assertThat(FrontMatter.parse("---\nname: x\n").error()).isPresent();
        assertThat(FrontMatter.parse("---\nname: x\ndescription: y\n---\nbody").yaml().path("description").asText())
                .isEqualTo("y");
    }

    @Test
    void manifestSkillPathsMayNameOneSkillDirectory() {
        Path root = dir.resolve("p");
        TestFiles.write(root, ".codex-plugin/plugin.json", "{\"name\": \"p\", \"skills\": [\"./extra/one\", \"../x\", \"/etc\"]}");
        TestFiles.write(root, "extra/one/SKILL.md", "---\nname: one\ndescription: d\n---\n");
        TestFiles.write(root, "skills/two/SKILL.md", "---\nname: two\ndescription: d\n---\n");
        assertThat(Plugin.load(root).skills()).extracting(Skill::id).containsExactly("two", "one");
    }

    @Test
    void prerequisitesAreReadFromCxpmsOwnField() {
        Path root = dir.resolve("p");
        TestFiles.write(root, ".codex-plugin/plugin.json", """
                {"name": "p", "prerequisites": {"commands": {"npx": "Node.js 18+"}, "env": {"GITHUB_TOKEN": "a token"}}}
                """);
        Prerequisites pre = Plugin.load(root).prerequisites();
        assertThat(pre.commands()).containsEntry("npx", "Node.js 18+");
        assertThat(pre.env()).containsEntry("GITHUB_TOKEN", "a token");
        TestFiles.write(root, ".codex-plugin/plugin.json", "{\"name\": \"p\", \"prerequisites\": 3}");
        assertThat(Plugin.load(root).prerequisites().isEmpty()).isTrue();
    }

    @Test
    void symlinkLoopsAndLinksOutOfThePluginAreNotFollowed() throws IOException {
        Path root = dir.resolve("p");
        TestFiles.write(root, ".codex-plugin/plugin.json", "{\"name\": \"p\"}");
        Path outside = TestFiles.write(dir, "outside/secret/SKILL.md", "---\nname: secret\ndescription: d\n---\n");
        Files.createDirectories(root.resolve("skills"));
        Files.createSymbolicLink(root.resolve("skills/secret"), outside.getParent());
        Files.createSymbolicLink(root.resolve("skills/loop"), root.resolve("skills/loop"));
        Files.createSymbolicLink(root.resolve(".mcp.json"), TestFiles.write(dir, "outside/mcp.json", "{\"mcpServers\": {\"x\": {\"command\": \"y\"}}}"));
        TestFiles.write(root, "skills/ok/SKILL.md", "---\nname: ok\ndescription: d\n---\n");
        Plugin p = Plugin.load(root);
        assertThat(p.skills()).extracting(Skill::id).containsExactly("ok");
        assertThat(p.mcpServers()).isEmpty();
    }

    @Test
    void tenThousandFilesInASkillsDirectoryAreFine() throws IOException {
        Path root = dir.resolve("p");
        TestFiles.write(root, ".codex-plugin/plugin.json", "{\"name\": \"p\"}");
        Path skills = Files.createDirectories(root.resolve("skills"));
        for (int i = 0; i < 10_000; i++) {
            Files.createFile(skills.resolve("f" + i));
        }
        TestFiles.write(root, "skills/real/SKILL.md", "---\nname: real\ndescription: d\n---\n");
        assertThat(Plugin.load(root).skills()).extracting(Skill::id).isEqualTo(List.of("real"));
    }
}
