package dev.cxpm.core.format.parts;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The tree of a YAML text built from SnakeYAML's events, as Codex (serde_yaml, YAML 1.2) reads a front matter: every
 * scalar but null as the text it was written as ({@code off}, {@code 0x10}, {@code 2024-01-01} stay text, where
 * Jackson's YAML module makes them a boolean or a number), and an alias as what its anchor names, as a value or as a key
 * ({@code x: &k name} then {@code *k : s10} is the name {@code s10}; Jackson's YAML module refuses an alias key and never
 * tells a key's anchor). An anchored list or mapping stands for an empty one, so nothing is ever expanded (a "billion
 * laughs" front matter is as small as its text). Built without recursion (a stack of the open containers, at most
 * {@link #MAX_DEPTH} deep); the first document only; SnakeYAML's defaults bound the text's size.
 */
final class YamlEvents {
    /** Jackson's default nesting bound, which this reader replaces. */
    static final int MAX_DEPTH = 1000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String NULL_TAG = Tag.PREFIX + "null";

    /** A top-level key that must not repeat ({@code name}, {@code description}), given twice: lines of the YAML text. */
    static final class RepeatedKey extends JsonParseException {
        final String key;
        final int first;
        final int second;

        RepeatedKey(String key, int first, int second) {
            super(null, "`" + key + "` is given twice (lines " + first + " and " + second + ")", at(second, 1));
            this.key = key;
            this.first = first;
            this.second = second;
        }
    }

    /** An open list or mapping; a mapping's key is null while the next scalar is a key. */
    private static final class Open {
        final ContainerNode<?> node;
        String key;
        int keyLine;

        Open(ContainerNode<?> node) {
            this.node = node;
        }
    }

    private YamlEvents() {
    }

    /** The tree of the text, or null when it holds no document; a key of once given twice at the top is refused. */
    static JsonNode read(String yaml, Set<String> once) throws JsonParseException {
        try {
            return build(new ParserImpl(new StreamReader(new StringReader(yaml)), new LoaderOptions()), once);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String why = e.getProblem() + (e.getContext() != null ? " (" + e.getContext() + ")" : "");
            throw new JsonParseException(null, why, m == null ? null : at(m.getLine() + 1, m.getColumn() + 1));
        } catch (YAMLException e) {
            throw new JsonParseException(null, e.getMessage(), (JsonLocation) null);
        }
    }

    private static JsonNode build(ParserImpl parser, Set<String> once) throws JsonParseException {
        Resolver resolver = new Resolver();
        Deque<Open> open = new ArrayDeque<>();
        Map<String, JsonNode> anchored = new HashMap<>();
        Map<String, Integer> topKeys = new HashMap<>();
        while (parser.peekEvent() != null) {
            Event e = parser.getEvent();
            Open parent = open.peek();
            boolean isKey = parent != null && parent.node.isObject() && parent.key == null;
            JsonNode value;
            if (e instanceof ScalarEvent s) {
                value = isKey ? NODES.textNode(s.getValue()) : scalar(s, resolver);
            } else if (e instanceof AliasEvent a) {
                value = anchored.get(a.getAnchor());
                if (value == null) {
                    throw error(e, "the alias *" + a.getAnchor() + " names no anchor (&" + a.getAnchor() + ") before it");
                }
                value = value.deepCopy();
            } else if (e instanceof CollectionStartEvent) {
                if (isKey) {
                    throw error(e, "a key is a list or mapping: write it as text");
                }
                if (open.size() >= MAX_DEPTH) {
                    throw error(e, "lists and mappings nested deeper than " + MAX_DEPTH);
                }
                value = e instanceof MappingStartEvent ? NODES.objectNode() : NODES.arrayNode();
            } else if (e.is(Event.ID.MappingEnd) || e.is(Event.ID.SequenceEnd)) {
                JsonNode done = open.pop().node;
                if (open.isEmpty()) {
                    return done;
                }
                continue;
            } else {
                continue; // stream and document start and end
            }
            if (e instanceof NodeEvent n && !(e instanceof AliasEvent) && n.getAnchor() != null) {
                anchored.put(n.getAnchor(), value.isObject() ? NODES.objectNode() : value.isArray() ? NODES.arrayNode() : value);
            }
            if (isKey) {
                if (!value.isValueNode() || value.isNull()) {
                    throw error(e, "the key *" + ((AliasEvent) e).getAnchor() + " names a list, a mapping or nothing: write it as text");
                }
                parent.key = value.asText();
                parent.keyLine = e.getStartMark().getLine() + 1;
                if (open.size() == 1 && once.contains(parent.key)) {
                    Integer first = topKeys.putIfAbsent(parent.key, parent.keyLine);
                    if (first != null) {
                        throw new RepeatedKey(parent.key, first, parent.keyLine);
                    }
                }
                continue;
            }
            if (parent == null) {
                if (!(e instanceof CollectionStartEvent)) {
                    return value;
                }
            } else if (parent.node instanceof ObjectNode o) {
                o.set(parent.key, value);
                parent.key = null;
            } else {
                ((ArrayNode) parent.node).add(value);
            }
            if (e instanceof CollectionStartEvent) {
                open.push(new Open((ContainerNode<?>) value)); // an alias's stand-in is complete: no end event follows it
            }
        }
        return null; // an empty text: no document
    }

    /** A scalar as Jackson's YAML module tells null from text (YAML 1.1's nulls, plain; or tagged !!null). */
    private static JsonNode scalar(ScalarEvent s, Resolver resolver) {
        String v = s.getValue();
        String tag = s.getTag();
        boolean isNull = tag == null || tag.equals("!")
                ? resolver.resolve(NodeId.scalar, v, s.getImplicit().canOmitTagInPlainScalar()) == Tag.NULL
                : tag.equals(NULL_TAG) && !v.isEmpty();
        return isNull ? NODES.nullNode() : NODES.textNode(v);
    }

    private static JsonParseException error(Event e, String why) {
        Mark m = e.getStartMark();
        return new JsonParseException(null, why, m == null ? null : at(m.getLine() + 1, m.getColumn() + 1));
    }

    private static JsonLocation at(int line, int column) {
        return new JsonLocation(ContentReference.unknown(), -1L, line, column);
    }
}
