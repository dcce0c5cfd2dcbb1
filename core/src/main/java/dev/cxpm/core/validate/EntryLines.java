package dev.cxpm.core.validate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.format.json.JsonFile;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of each name's first entry in a marketplace manifest (any entry, valid or not, that gives that name), which
 * validation names for a local entry's problems: added entry by entry as a stream reads them ({@link #add}), or for all
 * entries in one pass over a parsed file's text with a streaming parser ({@link #of}): not from the file's spans, which
 * for 100,000 entries are ~80 MB (a span and a pointer string for every value) made only to answer this, and not by a
 * scan of every entry per local entry (5 billion name comparisons at that size). The tree's readings are kept: the last
 * {@code plugins} and the last {@code name} of an entry win (a duplicated key keeps its last value), a name is
 * {@link #nameOf}.
 */
final class EntryLines {
    private final Map<String, Integer> lines = new HashMap<>();

    EntryLines() {
    }

    /** The name an entry is found by: what {@code asText(null)} gives (a number or boolean as its text, "" for an object or array), null for none. */
    static String nameOf(JsonNode entry) {
        return entry.path("name").asText(null);
    }

    /** Entry e, read at line (in the manifest's order). */
    void add(JsonNode e, int line) {
        String name = nameOf(e);
        if (name != null) {
            lines.putIfAbsent(name, line);
        }
    }

    /** The line of the first entry named name; 0 when none is. */
    int lineOf(String name) {
        return lineOf(name, 0);
    }

    /** The line of the first entry named name; otherwise when none is. */
    int lineOf(String name, int otherwise) {
        return lines.getOrDefault(name, otherwise);
    }

    static EntryLines of(JsonFile json) {
        EntryLines lines = new EntryLines();
        try (JsonParser p = Jackson.FACTORY.createParser(json.text())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return lines;
            }
            Map<String, Integer> last = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean plugins = p.currentName().equals("plugins");
                JsonToken value = p.nextToken();
                if (plugins) {
                    last = value == JsonToken.START_ARRAY ? entries(p) : Map.of();
                } else {
                    p.skipChildren();
                }
            }
            lines.lines.putAll(last);
            return lines;
        } catch (IOException | RuntimeException notAsJacksonReadsIt) { // a name longer than its default limit, say
            return fromTree(json);
        }
    }

    /** {@link #nameOf} read from tokens, not a tree (EntryLinesTest: they agree). */
    private static Map<String, Integer> entries(JsonParser p) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
            int line = p.currentTokenLocation().getLineNr();
            String name = null;
            if (t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    boolean isName = p.currentName().equals("name");
                    JsonToken v = p.nextToken();
                    if (isName) {
                        name = v.isStructStart() ? "" : v == JsonToken.VALUE_NULL ? null : p.getText();
                    }
                    p.skipChildren();
                }
            } else {
                p.skipChildren();
            }
            if (name != null) {
                lines.putIfAbsent(name, line);
            }
        }
        return lines;
    }

    /** The same from the parsed tree and its spans. */
    static EntryLines fromTree(JsonFile json) {
        JsonNode list = json.root().path("plugins");
        EntryLines lines = new EntryLines();
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            String name = nameOf(list.get(i));
            if (name != null && !lines.lines.containsKey(name)) {
                lines.lines.put(name, json.lineOf("/plugins/" + i));
            }
        }
        return lines;
    }

    /** Jackson's factory, made on first use: validating a plugin ({@link #fromTree}) stays off Jackson on a cold JVM (ColdPathTest). */
    private static final class Jackson {
        static final JsonFactory FACTORY = new JsonFactory();
    }
}
