package dev.cxpm.core.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import org.junit.jupiter.api.Test;

/**
 * Texts a teammate's or a plugin's author's hand could put in a cxpm.toml, cxpm.lock, policy or config.toml, which
 * {@link TomlTree}'s own reader must leave to Jackson (so cxpm, Jackson and Codex agree on what is refused), rather
 * than read into a tree Jackson would never make.
 */
class TomlTreeHostileTest {
    private static final TomlMapper JACKSON = new TomlMapper();

    /** {@code \\u} takes four ASCII hex digits; Character.digit also takes Arabic-Indic and full-width digits. */
    @Test
    void anEscapeWithDigitsThatAreNotAsciiIsRefusedAsJacksonRefusesIt() {
        for (String digits : new String[] {"\u0660\u0660\u0664\u0661", "\uFF10\uFF10\uFF14\uFF11", "00\uFF14\uFF21", "\u0966\u0966\u096A\u0967"}) {
            String text = "a = \"\\u" + digits + "\"\n";
            assertThatThrownBy(() -> JACKSON.readTree(text)).isInstanceOf(JsonProcessingException.class);
            assertThat(TomlTree.readSimple(text)).as(text).isNull();
            assertThatThrownBy(() -> TomlTree.read(text)).as(text).isInstanceOf(JsonProcessingException.class);
            String eight = "a = \"\\U0000" + digits + "\"\n";
            assertThat(TomlTree.readSimple(eight)).as(eight).isNull();
            assertThatThrownBy(() -> TomlTree.read(eight)).as(eight).isInstanceOf(JsonProcessingException.class);
        }
    }
}
