package dev.cxpm.core.version;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cxpm.core.UserError;
import java.io.IOException;

/**
 * Rewrites the top-level {@code "version"} string of a JSON manifest by replacing only the characters
 * between its quotes, so indentation, key order, unknown fields, line endings and a missing final newline
 * all stay byte-identical. Jackson's streaming parser finds where the value starts; the closing quote is
 * found by scanning (escapes included), which a version never needs but a hostile file may have.
 */
public final class ManifestVersionEdit {
    private ManifestVersionEdit() {
    }

    /** The raw span of the value between its quotes, or null when there is no top-level string "version". */
    public record Span(int start, int end, String value) {
    }

    public static Span find(String text, String where) {
        int bom = text.startsWith("\uFEFF") ? 1 : 0;
        Span found = null;
        try (JsonParser p = new JsonFactory().createParser(text.substring(bom))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new UserError(UserError.Kind.INVALID_INPUT, where + " is not a JSON object");
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    break;
                }
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        if (depth == 1 && "version".equals(p.currentName())) {
                            JsonToken v = p.nextToken();
                            if (v == JsonToken.VALUE_STRING) {
                                int open = (int) p.currentTokenLocation().getCharOffset() + bom;
                                int close = closingQuote(text, open);
                                found = new Span(open + 1, close, p.getText());
                            } else {
                                found = null;
                                if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                                    depth++;
                                }
                            }
                        }
                    }
                    default -> { }
                }
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "cannot parse " + where + ": " + e.getMessage());
        }
        return found;
    }

    /** The text with the version's characters replaced by {@code newVersion}; every other byte kept. */
    public static String replace(String text, Span span, String newVersion) {
        return text.substring(0, span.start()) + newVersion + text.substring(span.end());
    }

    private static int closingQuote(String text, int open) {
        if (open < 0 || open >= text.length() || text.charAt(open) != '"') {
            throw new IllegalStateException("parser offset does not point at a string");
        }
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        throw new IllegalStateException("unterminated string");
    }
}
