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

    /**
     * A dotted key or a header of thousands of parts made a tree thousands of levels deep, which Jackson refuses past
     * 1,000 levels and whose every recursive reader (equals, toString, a copy) ran out of stack.
     */
    @Test
    void aKeyOrHeaderOfThousandsOfPartsIsLeftToJacksonWhichRefusesIt() {
        String parts = "a" + ".a".repeat(50_000);
        for (String text : new String[] {parts + " = 1\n", "[" + parts + "]\n", "[[" + parts + "]]\n", "x = {" + parts + " = 1}\n",
                "[t]\n" + parts + " = 1\n"}) {
            assertThatThrownBy(() -> JACKSON.readTree(text)).isInstanceOf(JsonProcessingException.class);
            assertThat(TomlTree.readSimple(text)).as(text.substring(0, 20)).isNull();
            assertThatThrownBy(() -> TomlTree.read(text)).isInstanceOf(JsonProcessingException.class);
        }
    }

    /**
     * A key longer than Jackson's default bound of 50,000 characters, which Codex's toml crate reads: left to Jackson,
     * configured to take keys as long as the file, so cxpm reads it too (the tree Jackson makes, not this reader's).
     */
    @Test
    void aKeyLongerThanJacksonsDefaultBoundIsLeftToJacksonAndReadAsCodexReadsIt() throws Exception {
        String key = "k".repeat(60_000);
        for (String text : new String[] {key + " = 1\n", "\"" + key + "\" = 1\n", "'" + key + "' = 1\n", "[" + key + "]\n", "a = {" + key + " = 1}\n"}) {
            assertThatThrownBy(() -> JACKSON.readTree(text)).isInstanceOf(JsonProcessingException.class);
            assertThat(TomlTree.readSimple(text)).isNull();
            assertThat(TomlTree.read(text).toString()).contains(key);
        }
    }

    /** Past the depth where this reader gives up, up to Codex's limit of 80 parts ({@link CodexRefusalsTest}), a deep key is read as Jackson reads it. */
    @Test
    void aKeyOfManyPartsWithinJacksonsLimitIsReadAsJacksonReadsIt() throws Exception {
        for (int n : new int[] {5, 31, 32, 33, 80}) {
            String parts = "a" + ".a".repeat(n - 1);
            for (String text : new String[] {parts + " = 1\n", "[" + parts + "]\nb = 2\n", "[t]\n" + parts + " = 1\n", "x = {" + parts + " = 1}\n"}) {
                assertThat(TomlTree.read(text)).as(text).isEqualTo(JACKSON.readTree(text));
            }
        }
    }

    /**
     * {@code "\\ud800"}: TOML takes only Unicode scalar values in an escape (a surrogate pair written as two escapes is
     * two surrogates, not a character), and Codex's toml crate refuses the file;
     * Jackson's TOML module read it (the hand reader leaves it to Jackson), so cxpm read, and edited, a config.toml that
     * Codex cannot.
     */
    @Test
    void anEscapeOfASurrogateIsRefusedAsCodexRefusesIt() throws Exception {
        for (String text : new String[] {"a = \"\\ud800\"\n", "a = \"x\\uDFFFy\"\n", "[t]\nb = [\"\\U0000D800\"]\n", "\"\\ud800\" = 1\n",
                "a = { b = \"\\udc00\\ud800\" }\n", "a = \"\\ud83d\\ude00\"\n", "a = \"\"\"\nx\\ud800\"\"\"\n", "[\"\\ud800\"]\n"}) {
            assertThat(TomlTree.readSimple(text)).as(text).isNull();
            assertThatThrownBy(() -> TomlTree.read(text)).as(text).isInstanceOf(JsonProcessingException.class).hasMessageContaining("surrogate");
        }
        // a character beyond the BMP escaped whole, or written as itself; a backslash escaped before a u; literal strings
        assertThat(TomlTree.read("a = \"\\U0001F600 \uD83D\uDE00\"\n").get("a").asText()).isEqualTo("\uD83D\uDE00 \uD83D\uDE00");
        assertThat(TomlTree.read("a = \"\\\\ud800\"\nb = 'x\\ud800'\nc = \'\'\'\\ud800\'\'\'\nd = 1.5 # \"\\ud800\n").get("a").asText()).isEqualTo("\\ud800");
    }
}
