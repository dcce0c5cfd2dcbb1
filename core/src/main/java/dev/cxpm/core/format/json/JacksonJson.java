package dev.cxpm.core.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.json.JsonFile.Fail;
import dev.cxpm.core.format.json.JsonFile.Failure;
import dev.cxpm.core.format.json.JsonFile.Span;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Jackson's reading of a JSON text into a {@link JsonFile}, every value's span recorded from its token stream: what
 * {@link PlainJson} hands over whenever a text is not plain, and what it must agree with wherever it reads one itself.
 */
final class JacksonJson {
    private static final int MAX_DEPTH = JsonFile.MAX_DEPTH;

    private JacksonJson() {
    }

    /**
     * Jackson's parser factory, made on first use: a file {@link PlainJson} reads (every manifest a cold install or
     * validate meets) never needs it, and making it links ~50 of Jackson's classes (its parsers, generators, symbol
     * tables).
     */
    static final class Factory {
        static final JsonFactory FACTORY = JsonFactory.builder()
                // names as long as the file, as serde_json (Codex) and PlainJson take them: Jackson's default of 50,000
                // characters refused a file with one fraction that PlainJson read without it
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).maxNameLength(JsonFile.MAX_BYTES).build())
                .build();
    }

    /** Jackson's reading of text; bad JSON throws {@link Fail} with the failure in Codex's words. */
    static JsonFile read(Path file, String text) {
        Builder b = new Builder(text);
        try (JsonParser p = Factory.FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new Fail(JsonFile.syntax(file, "the file is empty: expected a JSON value", lineCount(text), 0));
            }
            JsonNode root = b.value(p, b.spans.root(), 0);
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new Fail(JsonFile.syntax(file, "trailing characters", at.getLineNr(), at.getColumnNr()));
            }
            return new JsonFile(file, text, root, b.spans, b.duplicates);
        } catch (LoneSurrogate | DepthException | IOException e) {
            throw failed(file, e);
        }
    }

    /** What {@link #read} says of an exception met while it read file (and {@link StreamedFailure} while it streamed it). */
    static Fail failed(Path file, Exception e) {
        if (e instanceof LoneSurrogate l) {
            return new Fail(JsonFile.syntax(file, "a \\u escape of half a surrogate pair (Codex refuses the file: lone surrogate in hex escape)",
                    l.line, l.column));
        }
        if (e instanceof DepthException d) {
            return new Fail(new Failure(file, UserError.Kind.INVALID_INPUT,
                    "JSON nested deeper than " + MAX_DEPTH + " levels", d.line, 0,
                    "Codex rejects such files (recursion limit exceeded); flatten the structure"));
        }
        if (e instanceof JsonProcessingException j) {
            JsonLocation at = j.getLocation();
            if (String.valueOf(j.getOriginalMessage()).contains("nesting depth")) {
                return new Fail(new Failure(file, UserError.Kind.INVALID_INPUT,
                        "JSON nested deeper than " + MAX_DEPTH + " levels", at == null ? 0 : at.getLineNr(), 0,
                        "Codex rejects such files (recursion limit exceeded); flatten the structure"));
            }
            SyntaxError words = SyntaxError.json(file.toString(), j, null);
            return new Fail(JsonFile.syntax(file, words.problem(), words.line(), words.column()));
        }
        return new Fail(new Failure(file, UserError.Kind.IO, "cannot read: " + e, 0, 0, null));
    }

    private static int lineCount(String text) {
        int lines = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    /** A string or key holding half a UTF-16 surrogate pair, which only a {@code \\u} escape can write in UTF-8 text. */
    static final class LoneSurrogate extends RuntimeException {
        final int line;
        final int column;

        LoneSurrogate(JsonLocation at) {
            super(null, null, false, false);
            this.line = at.getLineNr();
            this.column = at.getColumnNr();
        }

        /** s, when every surrogate in it is half of a pair written whole ({@link #wholePairs}). */
        static String check(String s, JsonParser p) {
            if (!wholePairs(s)) {
                throw new LoneSurrogate(p.currentTokenLocation());
            }
            return s;
        }
    }

    /** Whether every surrogate in s is half of a pair written whole (serde_json's rule, and so Codex's). */
    static boolean wholePairs(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The scalar at the parser's token as {@link JsonFile}'s tree holds it, for its reader and {@link StreamedJson}'s
     * alike (what one reads, the other must read the same): an integer as the smallest of int, long and BigInteger that
     * holds it ({@code -0} is 0), any other number as its exact BigDecimal ({@code 1.0} keeps its scale, {@code 1e400}
     * its size), a string refused when it holds half a surrogate pair ({@link LoneSurrogate}).
     */
    static JsonNode scalar(JsonParser p) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (p.currentToken()) {
            case VALUE_STRING -> nodes.textNode(LoneSurrogate.check(p.getText(), p));
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> nodes.numberNode(p.getIntValue());
                case LONG -> nodes.numberNode(p.getLongValue());
                default -> nodes.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(decimal(p));
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new IllegalStateException("unexpected token " + p.currentToken());
        };
    }

    /** The number at p exactly; an exponent past a BigDecimal's ({@code 1e99999999999999999999}) is bad JSON, not an internal error. */
    private static BigDecimal decimal(JsonParser p) throws IOException {
        try {
            return p.getDecimalValue();
        } catch (NumberFormatException e) {
            throw new JsonParseException(p, "number out of range");
        }
    }

    static final class DepthException extends RuntimeException {
        final int line;

        DepthException(int line) {
            super(null, null, false, false);
            this.line = line;
        }
    }

    /** Builds the tree from the token stream, recording each value's span. */
    private static final class Builder {
        final JsonNodeFactory nodes = JsonNodeFactory.instance;
        final Spans spans;
        final List<String> duplicates = new ArrayList<>();
        final String text;

        Builder(String text) {
            this.text = text;
            this.spans = new Spans(text.length());
        }

        JsonNode value(JsonParser p, Spans.Node at, int depth) throws IOException {
            JsonLocation start = p.currentTokenLocation();
            if (depth > MAX_DEPTH) {
                throw new DepthException(start.getLineNr());
            }
            JsonNode node = switch (p.currentToken()) {
                case START_OBJECT -> {
                    ObjectNode o = nodes.objectNode();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = LoneSurrogate.check(p.currentName(), p);
                        p.nextToken();
                        Spans.Node child = at.child(JsonFile.pointerKey(key));
                        JsonNode v = value(p, child, depth + 1);
                        if (o.has(key)) {
                            spans.repeated(child, duplicates);
                        }
                        o.set(key, v);
                    }
                    yield o;
                }
                case START_ARRAY -> {
                    ArrayNode a = nodes.arrayNode();
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        a.add(value(p, at.child(Integer.toString(i)), depth + 1));
                        i++;
                    }
                    yield a;
                }
                default -> scalar(p);
            };
            int end = (int) p.currentLocation().getCharOffset();
            at.span(new Span(start.getLineNr(), start.getColumnNr(), (int) start.getCharOffset(), end));
            return node;
        }
    }
}
