package dev.cxpm.core.format.parts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * A SKILL.md's front matter as a tree. Setting up a YAML reader costs a cold {@code cxpm validate} or {@code install}
 * milliseconds, for what is nearly always a few {@code key: words} lines. So those are read here by hand: each line a
 * simple key, a colon and a space, and a value that YAML can only read as that text (it starts with a letter, holds no
 * character YAML gives a meaning, and is no word YAML 1.1 reads as a boolean or null). Anything else (quotes, lists,
 * nested keys, comments, a continued line, a repeated key, anchors and aliases) goes to {@link YamlEvents} whole, so the
 * tree and every error are SnakeYAML's. {@code FrontMatterYamlTest} holds the two readers to the same tree.
 */
final class FrontMatterYaml {
    /** YAML 1.1's booleans and null (SnakeYAML's resolver), in any case: the full reader's. */
    private static final Set<String> NOT_TEXT = Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");

    private FrontMatterYaml() {
    }

    /** The tree of the front matter's text (without its --- lines); null or a missing node when it is empty. */
    static JsonNode read(String yaml) throws IOException {
        return read(yaml, Set.of());
    }

    /** As {@link #read(String)}, refusing a top-level key of once given twice ({@link YamlEvents.RepeatedKey}). */
    static JsonNode read(String yaml, Set<String> once) throws IOException {
        ObjectNode simple = readSimple(yaml);
        return simple != null ? simple : YamlEvents.read(yaml, once);
    }

    /** What this reader makes of the text, or null where it leaves it to {@link YamlEvents}. */
    static ObjectNode readSimple(String yaml) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        int start = 0;
        while (start <= yaml.length()) {
            int end = yaml.indexOf('\n', start);
            if (end < 0) {
                end = yaml.length();
            }
            if (!line(yaml, start, end, out)) {
                return null;
            }
            start = end + 1;
        }
        return out.isEmpty() ? null : out; // an empty front matter: the full reader says what it is
    }

    private static boolean line(String s, int start, int end, ObjectNode out) {
        int i = start;
        while (i < end && (keyChar(s.charAt(i)) || (i > start && s.charAt(i) == '-'))) {
            i++;
        }
        if (i == start) {
            return blank(s, start, end);
        }
        if (!letter(s.charAt(start)) || i + 1 >= end || s.charAt(i) != ':' || s.charAt(i + 1) != ' ') {
            return false;
        }
        String key = s.substring(start, i);
        i += 2;
        while (i < end && s.charAt(i) == ' ') {
            i++;
        }
        int last = end;
        while (last > i && s.charAt(last - 1) == ' ') {
            last--;
        }
        if (i == last || !letter(s.charAt(i))) {
            return false;
        }
        for (int k = i; k < last; k++) {
            if (!plain(s.charAt(k))) {
                return false;
            }
        }
        String value = s.substring(i, last);
        if (out.has(key) || NOT_TEXT.contains(key.toLowerCase(Locale.ROOT)) || NOT_TEXT.contains(value.toLowerCase(Locale.ROOT))) {
            return false;
        }
        out.put(key, value);
        return true;
    }

    private static boolean blank(String s, int start, int end) {
        for (int k = start; k < end; k++) {
            if (s.charAt(k) != ' ') {
                return false;
            }
        }
        return true;
    }

    private static boolean letter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean keyChar(char c) {
        return letter(c) || (c >= '0' && c <= '9') || c == '_';
    }

    /** Characters a plain YAML scalar takes as themselves anywhere after its first (no `:`, `#`, quotes, brackets...). */
    private static boolean plain(char c) {
        if (c < 0x80) {
            return keyChar(c) || " .,;()/_+=?!'-".indexOf(c) >= 0;
        }
        return c >= 0xA0 && Character.isLetterOrDigit(c);
    }
}
