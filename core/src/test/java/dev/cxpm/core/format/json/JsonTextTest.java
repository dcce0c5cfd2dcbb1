package dev.cxpm.core.format.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;

/** JsonText writes a tree as an ObjectMapper does, byte for byte (approval hashes and scripts depend on it). */
class JsonTextTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theSameBytesAsAnObjectMapperCompactAndIndented() throws Exception {
        JsonNode tree = MAPPER.readTree("""
                {"s": "é \\u0001 \\"q\\" \\\\ / \\u2028 😀 <>&'", "i": 1, "l": 3000000000, "big": 123456789012345678901234567890,
                 "d": 1.5, "e": 1e400, "t": true, "f": false, "n": null, "a": [], "o": {}, "nested": [{"x": [1, [2, {}]]}],
                 "": "empty key", "k\\nl": 0.1}
                """);
        assertThat(JsonText.compact(tree)).isEqualTo(tree.toString()).isEqualTo(MAPPER.writeValueAsString(tree));
        assertThat(JsonText.indented(tree)).isEqualTo(MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree));
        assertThat(JsonText.indented(MAPPER.createObjectNode())).isEqualTo(MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(MAPPER.createObjectNode()));
    }
}
