package dev.cxpm.core.format.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.json.JacksonJson.DepthException;
import dev.cxpm.core.format.json.JacksonJson.LoneSurrogate;
import dev.cxpm.core.format.json.JsonFile.Fail;
import dev.cxpm.core.format.json.JsonFile.Failure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@link JsonFile} says of a file's bytes, found by reading them as a stream of tokens and building nothing: why
 * they are not JSON as Codex reads it (the same failure, line and column {@link JsonFile#parse(Path, byte[])} gives),
 * and the line of the value at a JSON Pointer. For a file {@link StreamedJson} refused that is too large to read whole
 * just to say why: its text, tree and every value's span are ~12 times its bytes (an 8 MiB marketplace, ~100 MB),
 * where this holds the parser's buffer and one string at a time. The text is read as {@link JacksonJson} reads it, by
 * characters (so columns count characters, as there), with its checks: depth, half surrogate pairs, numbers.
 */
public final class StreamedFailure {
    private static final int MAX_DEPTH = JsonFile.MAX_DEPTH;

    private StreamedFailure() {
    }

    /** Why {@link JsonFile#parse(Path, byte[])} would refuse bytes read from file; empty when it would read them. */
    public static Optional<Failure> of(Path file, byte[] bytes) {
        if (!StreamedJson.utf8(bytes)) {
            return Optional.of(new Failure(file, UserError.Kind.INVALID_INPUT, "not UTF-8 text (binary content?)", 0, 0,
                    "save the file as UTF-8 text"));
        }
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            return Optional.of(JsonFile.syntax(file, "expected value (the file starts with a byte-order mark)", 1, 1));
        }
        try (JsonParser p = JacksonJson.Factory.FACTORY.createParser(text(bytes))) {
            if (p.nextToken() == null) {
                return Optional.of(JsonFile.syntax(file, "the file is empty: expected a JSON value", lineCount(bytes), 0));
            }
            skip(p, 0);
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                return Optional.of(JsonFile.syntax(file, "trailing characters", at.getLineNr(), at.getColumnNr()));
            }
            return Optional.empty();
        } catch (LoneSurrogate | DepthException | IOException e) {
            Fail f = JacksonJson.failed(file, e);
            return Optional.of(f.failure);
        }
    }

    /**
     * The 1-based line of the value at jsonPointer in bytes (of a repeated key, its last value, as JsonFile keeps it),
     * as {@link JsonFile#lineOf} gives it; 0 when there is no such value or the bytes are not JSON.
     */
    public static int lineOf(byte[] bytes, String jsonPointer) {
        return lineOf(bytes, 0, jsonPointer);
    }

    /**
     * {@link #lineOf(byte[], String)} in the value that starts at byte offset of bytes (the value read alone, what follows
     * it not read), counted from that value's line as 1: what a stream that met the value at a line adds, less one.
     */
    public static int lineOf(byte[] bytes, int offset, String jsonPointer) {
        String[] keys = jsonPointer.isEmpty() ? new String[0] : jsonPointer.substring(1).split("/", -1);
        for (int i = 0; i < keys.length; i++) {
            keys[i] = keys[i].replace("~1", "/").replace("~0", "~");
        }
        try (JsonParser p = JacksonJson.Factory.FACTORY.createParser(text(bytes, offset))) {
            return p.nextToken() == null ? 0 : find(p, keys, 0, 0);
        } catch (IOException | RuntimeException notJson) {
            return 0;
        }
    }

    /** The line of keys[at..] under the value at the parser's token (read past), or found when there is none. */
    private static int find(JsonParser p, String[] keys, int at, int found) throws IOException {
        if (at == keys.length) {
            int line = p.currentTokenLocation().getLineNr();
            p.skipChildren();
            return line;
        }
        if (p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (key.equals(keys[at])) {
                    found = find(p, keys, at + 1, found);
                } else {
                    p.skipChildren();
                }
            }
        } else if (p.currentToken() == JsonToken.START_ARRAY) {
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (Integer.toString(i++).equals(keys[at])) {
                    found = find(p, keys, at + 1, found);
                } else {
                    p.skipChildren();
                }
            }
        }
        return found;
    }

    /** Reads past the value at the parser's token as {@link JacksonJson}'s builder reads it into a tree. */
    private static void skip(JsonParser p, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new DepthException(p.currentTokenLocation().getLineNr());
        }
        switch (p.currentToken()) {
            case START_OBJECT -> {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    LoneSurrogate.check(p.currentName(), p);
                    p.nextToken();
                    skip(p, depth + 1);
                }
            }
            case START_ARRAY -> {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    skip(p, depth + 1);
                }
            }
            case VALUE_STRING -> LoneSurrogate.check(p.getText(), p);
            case VALUE_NUMBER_INT -> {
                switch (p.getNumberType()) {
                    case INT -> p.getIntValue();
                    case LONG -> p.getLongValue();
                    default -> p.getBigIntegerValue();
                }
            }
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            default -> {
                // true, false, null
            }
        }
    }

    /** The bytes as characters, decoded as they are read (checked as UTF-8 before). */
    private static Reader text(byte[] bytes) {
        return text(bytes, 0);
    }

    private static Reader text(byte[] bytes, int offset) {
        return new InputStreamReader(new ByteArrayInputStream(bytes, offset, bytes.length - offset), StandardCharsets.UTF_8);
    }

    /** What {@link JacksonJson} says is the line of an empty file's end: one more than its \n characters. */
    private static int lineCount(byte[] bytes) {
        int lines = 1;
        for (byte b : bytes) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
