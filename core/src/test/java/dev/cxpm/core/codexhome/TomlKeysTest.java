package dev.cxpm.core.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keys, strings and headers as toml_edit writes new ones, pinned byte for byte for every shape a plugin id or a
 * marketplace's source may take (the bytes main wrote before the one-pass classification; Codex's own are checked by
 * {@link CodexConfigInteropTest}).
 */
class TomlKeysTest {

    @Test
    void eachShapeOfKeyIsWrittenAsTomlEditWritesIt() {
        String[][] cases = {
            {"plugins", "plugins"}, {"bare_key-1", "bare_key-1"}, {"plugin-0001@fx", "\"plugin-0001@fx\""},
            {"", "\"\""}, {"a\"b@fx", "'a\"b@fx'"}, {"back\\slash@fx", "'back\\slash@fx'"},
            {"it's\"q@fx", "\"it's\\\"q@fx\""}, {"tab\tx@fx", "\"tab\\tx@fx\""}, {"new\nline", "\"new\\nline\""},
            {"\u007f@fx", "\"\\u007F@fx\""}, {"\u0001", "\"\\u0001\""}, {"apo'@fx", "\"apo'@fx\""}, {"x y", "\"x y\""},
            {"\u00fcn\u00ef@fx", "\"\u00fcn\u00ef@fx\""}, {"\uD83D\uDE00", "\"\uD83D\uDE00\""}, {"a.b", "\"a.b\""},
        };
        for (String[] c : cases) {
            assertThat(TomlKeys.formatKey(c[0])).as(c[0]).isEqualTo(c[1]);
            String asValue = c[1].startsWith("\"") || c[1].startsWith("'") ? c[1] : "\"" + c[1] + "\"";
            assertThat(TomlKeys.formatString(c[0])).as(c[0]).isEqualTo(asValue);
            assertThat(TomlKeys.header(List.of("plugins", c[0]))).isEqualTo("[plugins." + c[1] + "]\n");
        }
        assertThat(TomlKeys.header(List.of("a"))).isEqualTo("[a]\n");
        assertThat(TomlKeys.header(List.of("marketplaces", "fx", "x y"))).isEqualTo("[marketplaces.fx.\"x y\"]\n");
    }
}
