package dev.cxpm.core.format.parts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cxpm.core.PlainText;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A SKILL.md's front matter as the real Codex CLI (0.171.0) reads it, measured with {@code codex debug prompt-input}
 * ({@code SkillFrontMatterAsCodexTest} holds the table):
 * <ul>
 * <li>a file that starts with a byte order mark, or a front matter line that does, is not loaded;</li>
 * <li>a {@code name} or {@code description} given twice is not loaded (other keys may repeat), also where a key is an
 * alias of it ({@code x: &k name} then {@code *k : s14}); an alias key naming another key is that key;</li>
 * <li>when the YAML does not parse, or {@code name} or {@code description} is a list or mapping, Codex reads it again
 * with each top-level value that holds {@code ": "}, or opens a {@code [} or {@code {} it does not close, as the text it
 * was written as ({@code name: [b6} is the skill {@code [b6}; a broken {@code x: [} line elsewhere is ignored); a value
 * in quotes is left as it is; what still does not parse is not loaded;</li>
 * <li>{@code key:<tab>value} is {@code key: value} (SnakeYAML refuses the tab, Codex's YAML does not).</li>
 * </ul>
 * Each refusal names the line and the fix. The text is read at most twice, so the bounds of {@link FrontMatterYaml}
 * (size, depth, aliases) hold.
 */
final class CodexSkillFrontMatter {
    private static final String NOT_LOADED = "Codex does not load the skill until then";
    /** The keys Codex reads from a front matter, which it refuses to find twice. */
    private static final Set<String> ONCE = Set.of("name", "description");

    private CodexSkillFrontMatter() {
    }

    static FrontMatter read(String text) {
        if (text.startsWith("\uFEFF")) {
            return failed("the file starts with a byte order mark (U+FEFF)", 1,
                    "save SKILL.md as UTF-8 without a byte order mark: " + NOT_LOADED);
        }
        String[] lines = PlainText.lines(text);
        if (!lines[0].trim().equals("---")) {
            return failed("no YAML front matter (the file must start with a `---` line)", 1,
                    "start SKILL.md with a `---` line, then name: ..., description: ... and a closing `---` line: " + NOT_LOADED);
        }
        int end = -1;
        for (int i = 1; i < lines.length && end < 0; i++) {
            if (lines[i].trim().equals("---")) {
                end = i;
            }
        }
        if (end < 0) {
            return failed("front matter is not closed by a `---` line", 1,
                    "add a `---` line after the front matter's last key: " + NOT_LOADED);
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 1; i < end; i++) {
            if (lines[i].startsWith("\uFEFF")) {
                return failed("a byte order mark (U+FEFF) starts line " + (i + 1), i + 1, "delete it: " + NOT_LOADED);
            }
            String key = key(lines[i]);
            if (key != null && (key.equals("name") || key.equals("description"))) {
                Integer first = seen.putIfAbsent(key, i + 1);
                if (first != null) {
                    return repeated(key, first, i + 1);
                }
            }
        }
        FrontMatter asWritten = parse(lines, end, false);
        if (asWritten.error().isEmpty()) {
            return asWritten;
        }
        FrontMatter asText = parse(lines, end, true);
        // where the second reading does not parse either, the first one's error says where
        return asText == null || asText.error().isPresent() && asText.fix().isEmpty() ? asWritten : asText;
    }

    /** The front matter read as written, or (asText) with Codex's second reading; null when that changes no line. */
    private static FrontMatter parse(String[] lines, int end, boolean asText) {
        StringBuilder yaml = new StringBuilder();
        boolean changed = false;
        for (int i = 1; i < end; i++) {
            String line = lines[i];
            if (asText) {
                String rewritten = asText(line);
                changed |= !rewritten.equals(line);
                line = rewritten;
            }
            yaml.append(i > 1 ? "\n" : "").append(line);
        }
        if (asText && !changed) {
            return null;
        }
        JsonNode node;
        try {
            node = FrontMatterYaml.read(yaml.toString(), ONCE);
        } catch (YamlEvents.RepeatedKey e) { // given as an alias or with an anchor: the lines above did not see it
            return repeated(e.key, e.first + 1, e.second + 1);
        } catch (JsonProcessingException e) {
            int at = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            return asText ? failed("", 0, "") : failed("front matter is not valid YAML: " + firstLine(String.valueOf(e.getMessage())),
                    at > 0 ? at + 1 : 1, "fix the YAML at that line (close its quotes, brackets or braces, or write the value in quotes): " + NOT_LOADED);
        } catch (java.io.IOException | RuntimeException | StackOverflowError e) {
            return asText ? failed("", 0, "") : failed("front matter is not valid YAML: " + firstLine(String.valueOf(e.getMessage())), 1,
                    "fix the YAML between the --- lines: " + NOT_LOADED);
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return new FrontMatter(JsonNodeFactory.instance.objectNode(), Optional.empty(), end + 1, 0, "");
        }
        if (!node.isObject()) {
            return failed("front matter is not a YAML mapping", 2, "write it as name: ... and description: ... lines: " + NOT_LOADED);
        }
        for (String field : new String[] {"name", "description"}) {
            if (node.path(field).isContainerNode()) {
                return failed("`" + field + "` is a YAML " + (node.path(field).isArray() ? "list" : "mapping") + ", not text",
                        lineOf(lines, end, field), "write it in quotes: " + field + ": \"...\": " + NOT_LOADED);
            }
        }
        return new FrontMatter(node, Optional.empty(), end + 1, 0, "");
    }

    /** A top-level line as Codex reads it again: its value as the text it was written as where YAML would not. */
    private static String asText(String line) {
        String key = key(line);
        if (key == null) {
            return line;
        }
        String value = line.substring(key.length() + 1).strip();
        if (value.isEmpty()) {
            return line;
        }
        char c = value.charAt(0);
        boolean quote = c != '"' && c != '\'' && (value.contains(": ") || c == '[' && !value.endsWith("]")
                || c == '{' && !value.endsWith("}"));
        return key + ": " + (quote ? "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : value);
    }

    /** The key of a top-level {@code key: value} line ({@code :} then a space, a tab or nothing), or null. */
    private static String key(String line) {
        int i = 0;
        while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_' || i > 0 && line.charAt(i) == '-')) {
            i++;
        }
        if (i == 0 || i >= line.length() || line.charAt(i) != ':') {
            return null;
        }
        return i + 1 == line.length() || line.charAt(i + 1) == ' ' || line.charAt(i + 1) == '\t' ? line.substring(0, i) : null;
    }

    private static int lineOf(String[] lines, int end, String key) {
        for (int i = 1; i < end; i++) {
            if (key.equals(key(lines[i]))) {
                return i + 1;
            }
        }
        return 2;
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl > 0 ? message.substring(0, nl) : message;
    }

    private static FrontMatter repeated(String key, int first, int second) {
        return failed("`" + key + "` is given twice (lines " + first + " and " + second + ")", second,
                "keep one `" + key + "` line: " + NOT_LOADED);
    }

    private static FrontMatter failed(String why, int line, String fix) {
        return new FrontMatter(JsonNodeFactory.instance.objectNode(), Optional.of(why), 0, line, fix);
    }
}
