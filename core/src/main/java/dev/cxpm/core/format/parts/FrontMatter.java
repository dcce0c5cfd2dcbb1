package dev.cxpm.core.format.parts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cxpm.core.PlainText;
import java.io.IOException;
import java.util.Optional;

/**
 * A SKILL.md's YAML front matter: the parsed mapping, or why it could not be read, at which line of the file
 * ({@code errorLine}) and how to fix it ({@code fix}, for a skill Codex would not load).
 */
public record FrontMatter(JsonNode yaml, Optional<String> error, int endLine, int errorLine, String fix) {
    /**
     * A SKILL.md as the real Codex CLI (0.171.0) reads it ({@link CodexSkillFrontMatter}): an error (with its line and
     * fix) where Codex does not load the skill. {@link #parse} stays the plain YAML reading other Markdown files get.
     */
    public static FrontMatter ofSkill(String text) {
        return CodexSkillFrontMatter.read(text);
    }

    public static FrontMatter parse(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String[] lines = PlainText.lines(t);
        if (lines.length == 0 || !lines[0].trim().equals("---")) {
            return failed("no YAML front matter (the file must start with a `---` line)");
        }
        int end = -1;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].trim().equals("---")) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return failed("front matter is not closed by a `---` line");
        }
        String yaml = String.join("\n", java.util.Arrays.asList(lines).subList(1, end));
        try {
            JsonNode node = FrontMatterYaml.read(yaml);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return new FrontMatter(JsonNodeFactory.instance.objectNode(), Optional.empty(), end + 1, 0, "");
            }
            if (!node.isObject()) {
                return failed("front matter is not a YAML mapping");
            }
            return new FrontMatter(node, Optional.empty(), end + 1, 0, "");
        } catch (IOException | RuntimeException | StackOverflowError e) {
            String msg = String.valueOf(e.getMessage());
            int nl = msg.indexOf('\n');
            return failed("front matter is not valid YAML: " + (nl > 0 ? msg.substring(0, nl) : msg));
        }
    }

    private static FrontMatter failed(String why) {
        return new FrontMatter(JsonNodeFactory.instance.objectNode(), Optional.of(why), 0, 1, "");
    }
}
