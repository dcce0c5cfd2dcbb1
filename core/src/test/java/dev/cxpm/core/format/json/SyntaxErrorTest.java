package dev.cxpm.core.format.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import dev.cxpm.core.registry.RegistryIndex;
import dev.cxpm.core.toml.TomlSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Each way a JSON or TOML text breaks is said as FILE:LINE:COLUMN and plain words, without the parser's vocabulary. */
class SyntaxErrorTest {

    static String failure(String json) {
        try {
            JsonFile.parse(Path.of("plugin.json"), json);
        } catch (UserError e) {
            assertThat(e.getMessage()).doesNotContain("(code").doesNotContain("[Source").doesNotContain("CTRL-CHAR")
                    .doesNotContain("Feature").doesNotContain("Unexpected character").doesNotContain("was expecting");
            return e.getMessage();
        }
        throw new AssertionError("parsed: " + json);
    }

    @Test
    void jsonFailuresAreInPlainWords() {
        String[][] cases = {
            {"{\"a\": 1,}", "plugin.json:1:9: invalid JSON: a comma before `}`: JSON allows no trailing comma"},
            {"[1, 2,]", "plugin.json:1:7: invalid JSON: a comma before `]`: JSON allows no trailing comma"},
            {"{\"a\": 1 \"b\": 2}", "plugin.json:1:9: invalid JSON: expected `,` or `}` after the value, found `\"` (a missing comma?)"},
            {"{\"a\" 1}", "plugin.json:1:6: invalid JSON: expected `:` after the key, found `1`"},
            {"{\"a\": 'x'}", "plugin.json:1:7: invalid JSON: expected a value, found `'` (JSON strings use double quotes)"},
            {"{\"a\": yes}", "plugin.json:1:7: invalid JSON: `yes` is not a JSON value (text must be in double quotes)"},
            {"// hi\n{}", "plugin.json:1:1: invalid JSON: comments are not allowed in JSON"},
            {"{\"a\": [1}", "plugin.json:1:9: invalid JSON: found `}` where `]` closes the `[` at line 1 column 7"},
            {"{\"a\": \"\\x\"}", "plugin.json:1:9: invalid JSON: `\\x` is not an escape JSON knows (write a backslash as \\\\)"},
            {"{\"a\": 01}", "plugin.json:1:8: invalid JSON: a number cannot start with 0"},
            {"[1, ,]", "plugin.json:1:5: invalid JSON: expected a value, found `,`"},
        };
        for (String[] c : cases) {
            assertThat(failure(c[0])).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void anUnclosedObjectNamesWhereItOpened() {
        assertThat(failure("{\n  \"a\": {\n    \"b\": 1\n  }\n")).contains("the file ends before the `{` at line 1 column 1 is closed");
    }

    @Test
    void theFileEndingInsideAStringSaysSo() {
        assertThat(failure("{\"a\": \"b")).contains("the file ends inside a string");
    }

    @Test
    void anEmptyFileSaysItIsEmpty() {
        assertThat(failure("")).contains("the file is empty");
    }

    static String toml(String text) {
        try {
            TomlSource.parse(Path.of("cxpm.toml"), text, null);
        } catch (UserError e) {
            assertThat(e.getMessage()).doesNotContain("STD_TABLE").doesNotContain("UNQUOTED_KEY").doesNotContain("Got ")
                    .doesNotContain("KEY_VAL_SEP").doesNotContain("jackson");
            return e.getMessage();
        }
        throw new AssertionError("parsed: " + text);
    }

    @Test
    void tomlFailuresAreInPlainWords() {
        assertThat(toml("[plugins\nx = 1\n")).startsWith("cxpm.toml:1:9: not valid TOML: the line ends too early");
        assertThat(toml("[plugins]\nx = \"1\"\nx = \"2\"\n")).isEqualTo("cxpm.toml:3:1: not valid TOML: `x` is set twice (TOML allows each key once)");
        assertThat(toml("[plugins]\nx = \"1\"\nx = \"2\"")).startsWith("cxpm.toml:3:");
        assertThat(toml("[a]\nx = 1\n[a]\ny = 2\n")).startsWith("cxpm.toml:3:1: not valid TOML: table `a` is defined twice");
        assertThat(toml("x = \"a\\qb\"\n")).contains("not an escape TOML knows");
        assertThat(toml("x = [1, 2\n")).startsWith("cxpm.toml:").contains("too early");
        assertThat(toml("x = yes\n")).startsWith("cxpm.toml:1:");
        assertThat(toml("x = ]\n")).startsWith("cxpm.toml:1:");
    }

    @Test
    void aRegistryAnswerThatIsNotJsonNamesTheUrlLineAndColumn() {
        byte[] body = "{\n  \"name\": \"x\",\n  \"versions\": [,]\n}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RegistryIndex.parse(body, "http://127.0.0.1:1/api/v1/plugins/x"))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("the index document is not JSON: http://127.0.0.1:1/api/v1/plugins/x:3:16: expected a value, found `,`")
                .hasMessageNotContaining("(code");
    }
}
