package dev.cxpm.core.init;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Gives an adopted skill the YAML front matter Codex reads ({@code name}, {@code description}),
 * drafting what is missing from the text itself. A front matter that already has both is left
 * byte for byte; one that lacks a key gets it added before its closing {@code ---}, so the
 * author's other keys and comments survive. The YAML is read by the format model's
 * {@link dev.cxpm.core.format.parts.FrontMatter}, so init and validate agree on what a front matter says.
 */
final class SkillDraft {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLAIN_SCALAR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._()/,-]*");
    private static final int MAX_DESCRIPTION = 200;

    /** The SKILL.md text to write and what was done to it ({@code note} empty when copied unchanged). */
    record Drafted(String text, Optional<String> note) {
    }

    private SkillDraft() {
    }

    static Drafted draft(String skillId, String original) {
        String text = original.startsWith("\uFEFF") ? original.substring(1) : original;
        String nl = text.contains("\r\n") ? "\r\n" : "\n";
        FrontMatter fm = FrontMatter.split(text);
        if (fm == null) {
            String fresh = "---" + nl + "name: " + scalar(skillId) + nl
                    + "description: " + scalar(describe(skillId, text)) + nl + "---" + nl + text;
            return new Drafted(fresh, Optional.of("front matter drafted"));
        }
        dev.cxpm.core.format.parts.FrontMatter parsed = dev.cxpm.core.format.parts.FrontMatter.parse(text); // read as validate reads it
        if (parsed.error().isPresent()) {
            return new Drafted(original, Optional.of(parsed.error().get() + "; copied unchanged, fix it by hand"));
        }
        JsonNode yaml = parsed.yaml();
        boolean hasName = hasText(yaml, "name");
        boolean hasDescription = hasText(yaml, "description");
        if (hasName && hasDescription) {
            return new Drafted(original, Optional.empty());
        }
        if (yaml.has("name") && !hasName || yaml.has("description") && !hasDescription) {
            return new Drafted(original, Optional.of("front matter has an empty name or description; copied unchanged, fill it in"));
        }
        StringBuilder added = new StringBuilder();
        if (!hasName) {
            added.append("name: ").append(scalar(skillId)).append(nl);
        }
        if (!hasDescription) {
            added.append("description: ").append(scalar(describe(skillId, fm.body()))).append(nl);
        }
        String yamlPart = fm.yaml().isEmpty() || fm.yaml().endsWith("\n") ? fm.yaml() : fm.yaml() + nl;
        String result = fm.opening() + yamlPart + added + fm.closing() + fm.body();
        String what = !hasName && !hasDescription ? "name and description" : !hasName ? "name" : "description";
        return new Drafted(result, Optional.of("front matter " + what + " drafted"));
    }

    /** A one-line description from the body: its first sentence-like line, else its first heading. */
    static String describe(String skillId, String body) {
        String heading = null;
        for (String raw : body.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("```") || line.startsWith("<!--") || line.equals("---")) {
                continue;
            }
            if (line.startsWith("#")) {
                if (heading == null) {
                    heading = line.replaceFirst("^#+\\s*", "").strip();
                }
                continue;
            }
            String text = line.replaceFirst("^([-*+>]|\\d+[.)])\\s+", "").replaceAll("[*_`]", "").strip();
            text = text.replaceFirst("[:;,]+$", "").strip();
            if (!text.isEmpty()) {
                return shorten(text);
            }
        }
        if (heading != null && !heading.isEmpty()) {
            return shorten(heading);
        }
        return "Use the " + skillId + " skill";
    }

    private static String shorten(String text) {
        if (text.length() <= MAX_DESCRIPTION) {
            return text;
        }
        String cut = text.substring(0, MAX_DESCRIPTION);
        int space = cut.lastIndexOf(' ');
        return (space > MAX_DESCRIPTION / 2 ? cut.substring(0, space) : cut) + "...";
    }

    private static boolean hasText(JsonNode yaml, String key) {
        JsonNode v = yaml.get(key);
        return v != null && v.isValueNode() && !v.asText().isBlank();
    }

    /** A YAML scalar: plain when unambiguous, else double-quoted (a JSON string is valid YAML). */
    static String scalar(String s) {
        if (PLAIN_SCALAR.matcher(s).matches() && !s.endsWith(" ")
                && !s.matches("(?i)(true|false|yes|no|on|off|null|~|[0-9.+-]+)")) {
            return s;
        }
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A markdown file cut at its front matter: {@code ---} line, YAML, closing line, the rest. */
    record FrontMatter(String opening, String yaml, String closing, String body) {
        static FrontMatter split(String text) {
            int firstEnd = text.indexOf('\n');
            if (firstEnd < 0 || !text.substring(0, firstEnd).strip().equals("---")) {
                return null;
            }
            int pos = firstEnd + 1;
            while (pos <= text.length()) {
                int end = text.indexOf('\n', pos);
                String line = end < 0 ? text.substring(pos) : text.substring(pos, end);
                String trimmed = line.strip();
                if (trimmed.equals("---")) {
                    int after = end < 0 ? text.length() : end + 1;
                    return new FrontMatter(text.substring(0, firstEnd + 1), text.substring(firstEnd + 1, pos),
                            text.substring(pos, after), text.substring(after));
                }
                if (end < 0) {
                    return null;
                }
                pos = end + 1;
            }
            return null;
        }
    }
}
