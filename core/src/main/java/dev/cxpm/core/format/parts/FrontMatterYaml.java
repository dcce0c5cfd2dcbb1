package dev.cxpm.core.format.parts;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * A SKILL.md's front matter as the tree Jackson's YAML module reads from it. Setting that module up (an ObjectMapper,
 * SnakeYAML) costs a cold {@code cxpm validate} or {@code install} tens of milliseconds, for what is nearly always a
 * few {@code key: words} lines. So those are read here by hand: each line a simple key, a colon and a space, and a
 * value that YAML can only read as that text (it starts with a letter, holds no character YAML gives a meaning, and is
 * no word YAML reads as a boolean or null). Anything else (quotes, lists, nested keys, comments, a continued line, a
 * repeated key) goes to Jackson whole, so the tree and every error stay Jackson's (its scalars read as Codex reads them:
 * {@link #readWithJackson}). {@code FrontMatterYamlTest} holds
 * the two readers to the same tree.
 */
final class FrontMatterYaml {
    /** YAML 1.1's booleans and null (SnakeYAML's resolver), in any case: Jackson's to read. */
    private static final Set<String> NOT_TEXT = Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");

    private FrontMatterYaml() {
    }

    /** Made on first use only. */
    private static final class Jackson {
        static final YAMLFactory YAML = new YAMLFactory() {
            @Override
            protected YAMLParser _createParser(Reader r, IOContext ctxt) {
                return new AnchoredParser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, r);
            }

            @Override
            protected YAMLParser _createParser(char[] data, int offset, int len, IOContext ctxt, boolean recyclable) {
                return _createParser(new CharArrayReader(data, offset, len), ctxt);
            }
        };
    }

    /** Jackson's YAML parser, telling a scalar's anchor too ({@code x: &a text}), which its getObjectId does not. */
    private static final class AnchoredParser extends YAMLParser {
        AnchoredParser(IOContext ctxt, int features, int yamlFeatures, LoaderOptions options, ObjectCodec codec, Reader r) {
            super(ctxt, features, yamlFeatures, options, codec, r);
        }

        /** The anchor of the value at the current token (a scalar, list or mapping, not an alias), or null. */
        String anchor() {
            return !isCurrentAlias() && _lastTagEvent instanceof NodeEvent n ? n.getAnchor() : null;
        }
    }

    /** The tree of the front matter's text (without its --- lines); null or a missing node when it is empty. */
    static JsonNode read(String yaml) throws IOException {
        ObjectNode simple = readSimple(yaml);
        return simple != null ? simple : readWithJackson(yaml);
    }

    /**
     * Jackson's tree of the text, but with every scalar but null as the text it was written as: Codex (serde_yaml, YAML
     * 1.2) reads {@code name: off}, {@code yes}, {@code 0x10}, {@code 1e3} or {@code 2024-01-01} into a string field as
     * that text, where Jackson's tree holds YAML 1.1's boolean or number ({@code false}, {@code 16}, {@code 1000.0}).
     * Only {@code ~}, {@code null} and nothing are no value, for both. Built without recursion (a stack of the open
     * containers; SnakeYAML bounds the depth too); the first document only, as {@code readTree} reads.
     */
    static JsonNode readWithJackson(String yaml) throws IOException {
        try (AnchoredParser p = (AnchoredParser) Jackson.YAML.createParser(yaml)) {
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            Deque<ContainerNode<?>> open = new ArrayDeque<>();
            // an alias is what its anchor names (Codex's serde_yaml resolves it; Jackson gives the alias's own name): a
            // scalar's text, or an empty list or mapping standing for one, so that nothing is ever expanded
            Map<String, JsonNode> anchored = new HashMap<>();
            String key = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                JsonNode value;
                switch (t) {
                    case FIELD_NAME -> {
                        key = p.currentName();
                        continue;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        JsonNode done = open.pop();
                        if (open.isEmpty()) {
                            return done;
                        }
                        continue;
                    }
                    case START_OBJECT -> value = nodes.objectNode();
                    case START_ARRAY -> value = nodes.arrayNode();
                    case VALUE_NULL -> value = nodes.nullNode();
                    default -> value = p.isCurrentAlias() ? aliased(p, anchored) : nodes.textNode(p.getText()); // as written
                }
                String anchor = p.anchor();
                if (anchor != null) {
                    anchored.put(anchor, value.isObject() ? nodes.objectNode() : value.isArray() ? nodes.arrayNode() : value);
                }
                ContainerNode<?> parent = open.peek();
                if (parent == null) {
                    if (!value.isContainerNode()) {
                        return value;
                    }
                } else if (parent instanceof ObjectNode o) {
                    o.set(key, value);
                } else {
                    ((ArrayNode) parent).add(value);
                }
                if (value instanceof ContainerNode<?> c && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
                    open.push(c); // an alias's stand-in is complete: no end token follows it
                }
            }
            return null; // an empty text: no document
        }
    }

    /** What the alias at p stands for; one that names no anchor before it is an error (Codex: "unknown anchor"). */
    private static JsonNode aliased(YAMLParser p, Map<String, JsonNode> anchored) throws IOException {
        JsonNode value = anchored.get(p.getText());
        if (value == null) {
            throw new JsonParseException(p, "the alias *" + p.getText() + " names no anchor (&" + p.getText() + ") before it");
        }
        return value.deepCopy();
    }

    /** What this reader makes of the text, or null where it leaves it to Jackson. */
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
        return out.isEmpty() ? null : out; // an empty front matter: Jackson says what it is
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
