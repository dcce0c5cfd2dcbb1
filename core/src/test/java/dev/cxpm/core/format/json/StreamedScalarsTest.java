package dev.cxpm.core.format.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamedJson} hands over each value as {@link JsonFile} holds it: the same scalars (numbers of every size and
 * shape, booleans, null, strings) read from the same bytes become the same Java values, of the same node types, as a
 * member, as an array's element and deep inside either; and a text one refuses the other refuses. Both ask
 * {@link JacksonJson#scalar}, one rule.
 */
class StreamedScalarsTest {

    private static final String[] SCALARS = {
        "0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "-18446744073709551616", "123456789012345678901234567890123456789",
        "1.0", "1.00", "-0.0", "0.0", "-0", "1.5", "0.1", "1e0", "1E2", "1e+2", "1e-2", "-1.5e-7", "1.0e10",
        "1e400", "-1e400", "1e-400", "2.5e308", "4.9e-324", "1e999999", "1e-999999", "1e2147483647", "1e-2147483647",
        "1e2147483648", "1e99999999999999999999", "123456789.123456789e-30",
        "true", "false", "null",
        "\"\"", "\"x\"", "\"caf\u00e9\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"a\\nb\\t\\\"\\\\\\/\"",
        "\"1e400\"",
    };

    @Test
    void eachScalarIsTheSameValueWhicheverReaderReadsIt() {
        for (String s : SCALARS) {
            same("{\"v\": " + s + "}");
            same("{\"v\": " + s + ", \"n\": 1.5}"); // not plain: JsonFile's Jackson reader, not PlainJson's
            same("{\"each\": [" + s + ", [" + s + "], {\"k\": " + s + "}], \"v\": {\"a\": [" + s + "]}}");
            same("{\"skipped\": [" + s + "], \"v\": 1}"); // read past, checked as JsonFile checks it
        }
    }

    @Test
    void aDocumentOfEveryScalarIsTheSameTree() {
        StringBuilder all = new StringBuilder("{\"each\": [");
        for (int i = 0; i < SCALARS.length; i++) {
            all.append(i == 0 ? "" : ", ").append(SCALARS[i]);
        }
        same(all.append("]}").toString());
    }

    /** An exponent past a BigDecimal's is bad JSON for both, told with its line, not an internal error (it was one for JsonFile). */
    @Test
    void anExponentPastABigDecimalsIsRefusedAsBadJson() {
        String text = "{\"name\": \"p\",\n \"n\": 1e99999999999999999999}";
        assertThatThrownBy(() -> JsonFile.parse(Path.of("plugin.json"), text)).isInstanceOf(UserError.class)
                .hasMessage("plugin.json:2:29: invalid JSON: number out of range");
        same(text);
    }

    /** text read by JsonFile and walked by StreamedJson (every member wanted, "each" one element at a time): equal trees, or both refuse. */
    private static void same(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        JsonNode file;
        try {
            file = JsonFile.parse(Path.of("x.json"), bytes).root();
        } catch (UserError refused) {
            file = null;
        }
        ObjectNode streamed = JsonNodeFactory.instance.objectNode();
        boolean read = StreamedJson.walk(bytes, new StreamedJson.Members() {
            @Override
            public boolean wants(String key) {
                return !key.equals("skipped");
            }

            @Override
            public boolean elements(String key) {
                return key.equals("each");
            }

            @Override
            public void member(String key, JsonNode value) {
                streamed.set(key, value);
            }

            @Override
            public void element(String key, int index, JsonNode value) {
                streamed.withArray(key).add(value);
            }
        });
        assertThat(read).as("StreamedJson reads %s as JsonFile does (JsonFile: %s)", text, file == null ? "refused" : "read").isEqualTo(file != null);
        if (file == null) {
            return;
        }
        ObjectNode expected = ((ObjectNode) file).deepCopy();
        expected.remove("skipped");
        assertThat(typed(streamed)).as(text).isEqualTo(typed(expected));
        assertThat(streamed).as(text).isEqualTo(expected); // BigDecimal's equals: scale too
    }

    /** The tree with each value's node type and exact text: 1 as IntNode and as LongNode differ here. */
    private static String typed(JsonNode n) {
        StringBuilder b = new StringBuilder(n.getClass().getSimpleName());
        if (n.isContainerNode()) {
            b.append(n.isArray() ? '[' : '{');
            if (n.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    b.append(e.getKey()).append('=').append(typed(e.getValue())).append(',');
                }
            } else {
                for (JsonNode e : n) {
                    b.append(typed(e)).append(',');
                }
            }
            return b.append(n.isArray() ? ']' : '}').toString();
        }
        return b.append('(').append(n.isNumber() ? n.numberValue() + "/" + n.numberValue().getClass().getSimpleName() : n.toString()).append(')').toString();
    }
}
