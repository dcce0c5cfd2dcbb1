package dev.cxpm.core.format.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A key of more than 50,000 characters (Jackson's default bound for a name): Codex's serde_json reads it, and so did
 * cxpm's own reader of plain texts, while the same file with one fraction in it (read by Jackson) was refused. Both
 * readers take it now, as Codex does; the file's size bound still applies.
 */
class LongKeysTest {

    @Test
    void aKeyOverFiftyThousandCharactersIsReadWhicheverReaderReadsTheFile() {
        String key = "k".repeat(60_000);
        String plain = "{\"name\": \"p\", \"" + key + "\": 1}";
        String withFraction = "{\"name\": \"p\", \"" + key + "\": 1.5}";
        assertThat(PlainJson.read(plain)).isNotNull();
        assertThat(JsonFile.parse(Path.of("plugin.json"), plain).root().get(key).asInt()).isEqualTo(1);
        assertThat(JsonFile.parse(Path.of("plugin.json"), withFraction).root().get(key).asDouble()).isEqualTo(1.5);
        assertThat(JsonFile.parse(Path.of("plugin.json"), withFraction).lineOf("/" + key)).isEqualTo(1);
    }
}
