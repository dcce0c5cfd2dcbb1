package dev.cxpm.core.format.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The plain shapes of JSON read by hand, with the spans {@link JsonFile} keeps: objects, arrays, strings (every JSON
 * escape), {@code true}, {@code false}, {@code null} and integers of at most nine digits. Anything else (a fraction or
 * exponent, a longer integer, nesting deeper than {@value #MAX_DEPTH}, and every syntax error) answers null, and the
 * caller hands the whole text to Jackson, so what is accepted, the tree and every message stay Jackson's
 * ({@code PlainJsonTest} checks generated and mutated texts against it).
 *
 * <p>Why: Jackson's first parser initializes {@code ParserMinimalBase}, whose static BigInteger/BigDecimal bounds run
 * {@code BigDecimal.<clinit>} (~10 ms of interpreted arithmetic on a cold JVM) for every command that reads a manifest.
 */
final class PlainJson {
    static final int MAX_DEPTH = 64;

    /** What Jackson's pass would have built: the tree, each value's span by JSON Pointer, the repeated keys. */
    static final class Tree {
        final JsonNode root;
        final Spans spans;
        final List<String> duplicates;

        Tree(JsonNode root, Spans spans, List<String> duplicates) {
            this.root = root;
            this.spans = spans;
            this.duplicates = duplicates;
        }
    }

    private static final class NotPlain extends RuntimeException {
        NotPlain() {
            super(null, null, false, false);
        }
    }

    private static final NotPlain NOT_PLAIN = new NotPlain();

    /** A repeated key met while reading the tree alone: read again with the spans, which name where it is. */
    private static final NotPlain REPEATED = new NotPlain();

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    /** Null when the tree alone is read ({@link #tree}): no pointer is made, no span kept. */
    private final Spans spans;
    private final List<String> duplicates = new ArrayList<>();
    private final String text;
    private final int length;
    private int pos;
    private int line = 1;
    private int lineStart;

    private PlainJson(String text, boolean withSpans) {
        this.text = text;
        this.length = text.length();
        this.spans = withSpans ? new Spans(text.length()) : null;
    }

    /** The tree of text with every value's span, or null when it is not plain JSON (Jackson then reads it). */
    static Tree read(String text) {
        return read(text, true);
    }

    /**
     * What {@link #read} gives, but spans null: only the tree and the repeated keys, without a JSON Pointer and a span made
     * for each value (most reads never ask where a value is: sync reads each plugin's manifest and .mcp.json for what they
     * say). A text with a repeated key is read with its spans, as read reads it (the repeated keys are named by pointer).
     */
    static Tree tree(String text) {
        try {
            return read(text, false);
        } catch (NotPlain repeated) {
            return read(text, true);
        }
    }

    private static Tree read(String text, boolean withSpans) {
        PlainJson r = new PlainJson(text, withSpans);
        try {
            r.space();
            if (r.pos >= r.length || r.text.charAt(r.pos) == '-' || r.text.charAt(r.pos) <= '9' && r.text.charAt(r.pos) >= '0') {
                return null; // nothing, or a number alone, whose span Jackson ends one blank further
            }
            JsonNode root = r.value(withSpans ? r.spans.root() : null, 0);
            r.space();
            return r.pos == r.length ? new Tree(root, r.spans, r.duplicates) : null;
        } catch (NotPlain e) {
            if (e == REPEATED) {
                throw e;
            }
            return null;
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** at: where the value is in the spans (null when none are kept). */
    private JsonNode value(Spans.Node at, int depth) {
        if (depth > MAX_DEPTH || pos >= length) {
            throw NOT_PLAIN;
        }
        int start = pos;
        int startLine = line;
        int column = pos - lineStart + 1;
        char c = text.charAt(pos);
        JsonNode node = switch (c) {
            case '{' -> object(at, depth);
            case '[' -> array(at, depth);
            case '"' -> nodes.textNode(string());
            case 't' -> literal("true", nodes.booleanNode(true));
            case 'f' -> literal("false", nodes.booleanNode(false));
            case 'n' -> literal("null", nodes.nullNode());
            default -> number();
        };
        if (at != null) {
            at.span(new JsonFile.Span(startLine, column, start, pos));
        }
        return node;
    }

    private ObjectNode object(Spans.Node at, int depth) {
        ObjectNode o = nodes.objectNode();
        pos++;
        space();
        if (peek() == '}') {
            pos++;
            return o;
        }
        while (true) {
            if (peek() != '"') {
                throw NOT_PLAIN;
            }
            String key = string();
            space();
            expect(':');
            space();
            Spans.Node child = at == null ? null : at.child(JsonFile.pointerKey(key));
            JsonNode v = value(child, depth + 1);
            if (o.has(key)) {
                if (spans == null) {
                    throw REPEATED;
                }
                spans.repeated(child, duplicates);
            }
            o.set(key, v);
            space();
            char next = peek();
            pos++;
            if (next == '}') {
                return o;
            }
            if (next != ',') {
                throw NOT_PLAIN;
            }
            space();
        }
    }

    private ArrayNode array(Spans.Node at, int depth) {
        ArrayNode a = nodes.arrayNode();
        pos++;
        space();
        if (peek() == ']') {
            pos++;
            return a;
        }
        for (int i = 0; ; i++) {
            a.add(value(at == null ? null : at.child(Integer.toString(i)), depth + 1));
            space();
            char next = peek();
            pos++;
            if (next == ']') {
                return a;
            }
            if (next != ',') {
                throw NOT_PLAIN;
            }
            space();
        }
    }

    private String string() {
        pos++;
        StringBuilder b = null;
        int from = pos;
        while (true) {
            char c = text.charAt(pos);
            if (c == '"') {
                String s = b == null ? text.substring(from, pos) : b.append(text, from, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw NOT_PLAIN;
            }
            if (c != '\\') {
                if (c < 0xD800 || c > 0xDFFF) {
                    pos++;
                } else if (Character.isHighSurrogate(c) && Character.isLowSurrogate(text.charAt(pos + 1))) {
                    pos += 2;
                } else {
                    throw NOT_PLAIN; // half a pair (not from UTF-8 text, which cannot hold one): Jackson's reading refuses it
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder();
            }
            b.append(text, from, pos);
            char e = text.charAt(pos + 1);
            pos += 2;
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    int v = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(text.charAt(pos + k), 16);
                        if (d < 0 || text.charAt(pos + k) > 'f') {
                            throw NOT_PLAIN;
                        }
                        v = v * 16 + d;
                    }
                    if (v >= 0xD800 && v <= 0xDFFF) {
                        throw NOT_PLAIN; // half a pair, which Codex refuses alone: Jackson's reading tells which
                    }
                    pos += 4;
                    b.append((char) v);
                }
                default -> throw NOT_PLAIN;
            }
            from = pos;
        }
    }

    private JsonNode literal(String word, JsonNode node) {
        if (!text.startsWith(word, pos)) {
            throw NOT_PLAIN;
        }
        pos += word.length();
        return node;
    }

    /** An integer of at most nine digits (an int whatever they are); anything else is Jackson's. */
    private JsonNode number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int digitsFrom = pos;
        char first = peek();
        if (first == '0') {
            pos++;
        } else if (first >= '1' && first <= '9') {
            while (pos < length && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
        } else {
            throw NOT_PLAIN;
        }
        if (pos - digitsFrom > 9 || pos < length && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            throw NOT_PLAIN;
        }
        return nodes.numberNode(Integer.parseInt(text, start, pos, 10));
    }

    private char peek() {
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw NOT_PLAIN;
        }
        pos++;
    }

    /** JSON's whitespace; a line ends at \n, \r\n or a lone \r, as Jackson counts lines. */
    private void space() {
        while (pos < length) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t') {
                pos++;
            } else if (c == '\n' || c == '\r') {
                pos++;
                if (c == '\r' && pos < length && text.charAt(pos) == '\n') {
                    pos++;
                }
                line++;
                lineStart = pos;
            } else {
                return;
            }
        }
    }
}
