package dev.cxpm.core.init;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What init fills in as a description is told apart from what an author writes, on init's real output. */
class GeneratedDescriptionTest {

    @TempDir
    Path tmp;

    private String description(Path plugin) throws Exception {
        return new ObjectMapper().readTree(plugin.resolve(".codex-plugin/plugin.json").toFile()).path("description").asText();
    }

    @Test
    void theDescriptionsInitWritesAreGeneratedAndAnAuthorsIsNot() throws Exception {
        PluginInit.scaffold(tmp.resolve("team-tools"), PluginInit.Options.none());
        String scaffolded = description(tmp.resolve("team-tools"));
        assertThat(GeneratedDescription.isGenerated(scaffolded)).as(scaffolded).isTrue();

        Path src = tmp.resolve("project");
        Files.createDirectories(src.resolve("skills/review"));
        Files.createDirectories(src.resolve("skills/triage"));
        Files.writeString(src.resolve("skills/review/SKILL.md"), "---\nname: review\ndescription: Reviews.\n---\nReview.\n");
        Files.writeString(src.resolve("skills/triage/SKILL.md"), "---\nname: triage\ndescription: Triages.\n---\nTriage.\n");
        Files.writeString(src.resolve(".mcp.json"), "{\"mcpServers\":{\"github\":{\"command\":\"npx\",\"args\":[\"-y\",\"x\"]}}}");
        PluginInit.adopt(src, tmp.resolve("adopted"), PluginInit.Options.none());
        String adopted = description(tmp.resolve("adopted"));
        assertThat(adopted).contains("2 skills").contains("1 MCP server");
        assertThat(GeneratedDescription.isGenerated(adopted)).as(adopted).isTrue();
        assertThat(GeneratedDescription.authored(adopted)).isNull();

        for (String authored : new String[] {"Triage GitHub issues: labels, duplicates, priorities.", "Team Tools: the 3 skills our team uses.",
                "Explore a PostgreSQL database."}) {
            assertThat(GeneratedDescription.authored(authored)).isEqualTo(authored);
        }
    }
}
