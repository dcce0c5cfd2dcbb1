package dev.cxpm.core.format.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A JSON object read member by member from its bytes, without its tree: the members a caller asks for are handed over
 * as trees, and the elements of the array members it asks for one at a time, each a tree of its own; every other value
 * is read past (checked as {@link JsonFile} checks it, built into nothing). So reading a marketplace of 100,000 entries
 * holds one entry's tree at a time, where {@link JsonFile} holds the text, the whole tree and every value's span.
 *
 * <p>It says only whether the text is what {@link JsonFile} accepts, not why not: a text it refuses (bad JSON, not
 * UTF-8, a byte-order mark, nesting deeper than {@value JsonFile#MAX_DEPTH}, half a surrogate pair, trailing content,
 * not an object) or that names an asked-for member twice (where JsonFile keeps the last) is for the caller to read with
 * JsonFile, whose messages (file, line, column, hint) are the ones to show. Limits are JsonFile's: the caller reads at
 * most {@link JsonFile#MAX_BYTES}, and Jackson's parser here has {@link JacksonJson}'s constraints.
 */
public final class StreamedJson {
    private static final int MAX_DEPTH = JsonFile.MAX_DEPTH;

    private StreamedJson() {
    }

    /** What a walk hands over; members and elements in the order they are in the text. */
    public interface Members {
        /** Whether the value of the top-level member key is wanted whole ({@link #member}); else it is read past. */
        boolean wants(String key);

        /** Whether the top-level member key, when it is an array, is wanted one element at a time ({@link #element}). */
        boolean elements(String key);

        void member(String key, JsonNode value);

        void element(String key, int index, JsonNode value);

        /** {@link #element}, told where the value starts in the bytes: its 1-based line and its byte offset. */
        default void element(String key, int index, JsonNode value, int line, long offset) {
            element(key, index, value);
        }
    }

    /** Walks the object in bytes; false when JsonFile would not read it as this walk did (see above): nothing it handed over counts. */
    public static boolean walk(byte[] bytes, Members members) {
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF || !utf8(bytes)) {
            return false;
        }
        try (JsonParser p = JacksonJson.Factory.FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            Set<String> asked = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = JacksonJson.LoneSurrogate.check(p.currentName(), p);
                JsonToken t = p.nextToken();
                boolean each = t == JsonToken.START_ARRAY && members.elements(key);
                boolean wanted = each || members.wants(key);
                if (wanted && !asked.add(key)) {
                    return false; // JsonFile keeps the last of a repeated key: its reading is the one to trust
                }
                if (each) {
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        com.fasterxml.jackson.core.JsonLocation at = p.currentTokenLocation();
                        members.element(key, i++, value(p, 2), at.getLineNr(), at.getByteOffset());
                    }
                } else if (wanted) {
                    members.member(key, value(p, 1));
                } else {
                    skip(p, 1);
                }
            }
            return p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null;
        } catch (IOException | NotAsRead | JacksonJson.LoneSurrogate e) {
            return false; // bad JSON, too deep, half a surrogate pair: JsonFile says which
        }
    }

    /** The bytes are UTF-8 as {@link dev.cxpm.core.FileText#utf8} takes them (which refuses, not replaces), decoded a chunk at a time. */
    static boolean utf8(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] >= 0) {
            i++;
        }
        if (i == bytes.length) {
            return true;
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = d.decode(in, out, true);
            if (r.isError()) {
                return false;
            }
            out.clear();
            if (r.isUnderflow()) {
                r = d.flush(out);
                return !r.isError();
            }
        }
    }

    private static final class NotAsRead extends RuntimeException {
        NotAsRead() {
            super(null, null, false, false);
        }
    }

    private static final NotAsRead NOT_AS_READ = new NotAsRead();

    /** The value at the parser's token as JsonFile's tree has it (numbers, repeated keys: the last wins). */
    private static JsonNode value(JsonParser p, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw NOT_AS_READ;
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = nodes.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = JacksonJson.LoneSurrogate.check(p.currentName(), p);
                    p.nextToken();
                    o.set(key, value(p, depth + 1));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = nodes.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(p, depth + 1));
                }
                yield a;
            }
            default -> JacksonJson.scalar(p); // JsonFile's rule, not a copy of it
        };
    }

    /** Reads past the value at the parser's token, checking what JsonFile checks (depth, surrogates, numbers), keeping nothing. */
    private static void skip(JsonParser p, int depth) throws IOException {
        int open = 0;
        JsonToken t = p.currentToken();
        while (true) {
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    if (depth + open > MAX_DEPTH) {
                        throw NOT_AS_READ;
                    }
                    open++;
                }
                case END_OBJECT, END_ARRAY -> open--;
                case FIELD_NAME -> JacksonJson.LoneSurrogate.check(p.currentName(), p);
                default -> value(p, depth + open); // a scalar, read as JsonFile's tree reads it, and let go
            }
            if (open == 0) {
                return;
            }
            t = p.nextToken();
            if (t == null) {
                throw NOT_AS_READ;
            }
        }
    }
}
