package dev.cxpm.core.format.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A {@code \\u} escape of half a surrogate pair ({@code "x\\ud800y"}): Codex's serde_json refuses the file (codex
 * 0.171.0: {@code plugin add} says "missing or invalid plugin.json"), where both of cxpm's readers read it, so
 * {@code validate} said valid and install put in place a plugin Codex cannot load. Refused now by both readers, with
 * the line; a whole pair is a character like any other.
 */
class LoneSurrogateTest {

    private static JsonFile parse(String text) {
        return JsonFile.parse(Path.of("plugin.json"), text);
    }

    @Test
    void halfAPairInAnEscapeIsRefusedWithItsLineWhicheverReaderReadsTheFile() {
        for (String half : new String[] {"\\ud800", "\\uDBFF", "\\udc00", "\\uDFFF", "\\udc00\\ud800", "\\ud800\\u0041", "\\ud800\\ud800"}) {
            for (String text : new String[] {"{\"name\": \"p\",\n \"description\": \"x" + half + "y\"}",
                    "{\"name\": \"p\",\n \"description\": \"x" + half + "y\", \"n\": 1.5}",
                    "{\"name\": \"p\",\n \"x" + half + "\": 1}",
                    "{\"name\": \"p\",\n \"x" + half + "\": 1.5}"}) {
                assertThatThrownBy(() -> parse(text)).as(text).isInstanceOf(UserError.class)
                        .hasMessageContaining("plugin.json:2").hasMessageContaining("surrogate");
            }
        }
    }

    @Test
    void aWholePairIsReadAsItsCharacter() {
        assertThat(parse("{\"d\": \"x\\ud83d\\ude00y\"}").root().get("d").asText()).isEqualTo("x\uD83D\uDE00y");
        assertThat(parse("{\"d\": \"x\\ud83d\\ude00y\", \"n\": 1.5}").root().get("d").asText()).isEqualTo("x\uD83D\uDE00y");
        assertThat(parse("{\"d\": \"x\uD83D\uDE00y\"}").root().get("d").asText()).isEqualTo("x\uD83D\uDE00y");
    }
}
