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
 * The line of each name's first entry in a marketplace manifest (as {@link PluginValidator#entryLine} finds one), for
 * all entries in one pass over the text with a streaming parser: not from the file's spans, which for 100,000 entries
 * are ~80 MB (a span and a pointer string for every value) made only to answer this, and not by a scan of every entry
 * per local entry (5 billion name comparisons at that size). The tree's readings are kept: the last {@code plugins} and
 * the last {@code name} of an entry win (a duplicated key keeps its last value), a name is what {@code asText(null)}
 * gives (a number or boolean as its text, null for JSON null, "" for an object or array).
 */
final class EntryLines {
    private static final JsonFactory FACTORY = new JsonFactory();

    private EntryLines() {
    }

    static Map<String, Integer> of(JsonFile json) {
        try (JsonParser p = FACTORY.createParser(json.text())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Map.of();
            }
            Map<String, Integer> lines = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean plugins = p.currentName().equals("plugins");
                JsonToken value = p.nextToken();
                if (plugins) {
                    lines = value == JsonToken.START_ARRAY ? entries(p) : Map.of();
                } else {
                    p.skipChildren();
                }
            }
            return lines;
        } catch (IOException | RuntimeException notAsJacksonReadsIt) { // a name longer than its default limit, say
            return fromTree(json);
        }
    }

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
    private static Map<String, Integer> fromTree(JsonFile json) {
        JsonNode list = json.root().path("plugins");
        Map<String, Integer> lines = new HashMap<>();
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            String name = list.get(i).path("name").asText(null);
            if (name != null && !lines.containsKey(name)) {
                lines.put(name, json.lineOf("/plugins/" + i));
            }
        }
        return lines;
    }
}
