package dev.cxpm.core.codexhome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sync sets the flags of all its plugins, and removes all it no longer needs, in one edit of config.toml:
 * the bytes must be those of the one-plugin edits applied in turn (which {@link CodexConfigInteropTest}
 * holds to the real Codex CLI's), on every shape of file those edits handle.
 */
class CodexConfigBatchTest {

    private static final Path FILE = Path.of("config.toml");

    private static final List<String> IDS = List.of("new1@fx", "a@fx", "new2@fx", "b@fx", "c@fx", "new3@fy", "z@fx", "old@zz", "new4@fx");

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "model = \"x\"",
            "# my config\nmodel = \"o3\"   # trailing comment\n\n[profiles.x]\nmodel = \"gpt\"\n[plugins.\"old@zz\"]\nenabled = false\n# comment after plugin\n\n[tui]\ntheme = \"dark\"\n",
            "[plugins]\n\"a@fx\" = { enabled = false } # mine\n\"old@zz\" = { enabled = true }\n\n[tui]\nx = 1\n",
            "plugins = { \"a@fx\" = { enabled = true }, \"b@fx\" = { enabled = false } }\n[tui]\nx = 1\n",
            "[plugins.\"a@fx\"]\nenabled  =  false # keep\n\n[plugins.\"b@fx\".extra]\nx = 1\n\n[plugins.\"z@fx\"]\nenabled = true\n\n[tui]\ntheme = \"dark\"\n",
            "plugins.\"a@fx\".enabled = false # off\nplugins.\"z@fx\".enabled = true\n",
            "[plugins.\"c@fx\"]\n# no flag yet\nnote = \"x\"\n\n[marketplaces.fx]\nsource_type = \"local\"\nsource = \"/m\"\n",
            "\uFEFFa = 1 # c\r\n\r\n[plugins.\"a@fx\"]\r\nenabled = false # why\r\n\r\n[[plugins.\"z@fx\".hooks]]\r\nx = 1\r\n",
            "[plugins]\n\"b@fx\".enabled = true # c\n\n[z]\ny = 2\n"})
    void settingManyPluginsAtOnceWritesWhatSettingThemInTurnWrites(String initial) {
        LinkedHashMap<String, Boolean> flags = new LinkedHashMap<>();
        for (int i = 0; i < IDS.size(); i++) {
            flags.put(IDS.get(i), i % 3 != 1);
        }
        CodexConfig start = CodexConfig.parse(FILE, initial);
        String inTurn;
        try {
            CodexConfig c = start;
            for (var f : flags.entrySet()) {
                c = c.withPlugin(f.getKey(), f.getValue());
            }
            inTurn = c.text();
        } catch (UserError refused) {
            assertThatThrownBy(() -> start.withPlugins(flags)).isInstanceOf(UserError.class).hasMessage(refused.getMessage());
            return;
        }
        assertThat(start.withPlugins(flags).text()).isEqualTo(inTurn);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "[plugins]\n\"a@fx\" = { enabled = false } # mine\n\"old@zz\" = { enabled = true }\n\n[tui]\nx = 1\n",
            "plugins = { \"a@fx\" = { enabled = true }, \"b@fx\" = { enabled = false } }\n[tui]\nx = 1\n",
            "# top\n[plugins.\"a@fx\"]\nenabled = true\n# c1\n\n[plugins.\"b@fx\".extra]\nx = 1\n\n[plugins.\"old@zz\"]\nenabled = false # why\n# c2\n\n[tui]\nx = 1\n",
            "plugins.\"a@fx\".enabled = false # off\nplugins.\"z@fx\".enabled = true\nplugins.\"z@fx\".note = 2\nkeep = 1\n",
            "[plugins]\n\"b@fx\".enabled = true # c\n\"c@fx\" = { enabled = true }\nother = 3\n\n[z]\ny = 2\n"})
    void removingManyPluginsAtOnceWritesWhatRemovingThemInTurnWrites(String initial) {
        CodexConfig start = CodexConfig.parse(FILE, initial);
        CodexConfig c = start;
        for (String id : IDS) {
            c = c.withoutPlugin(id);
        }
        assertThat(start.withoutPlugins(IDS).text()).isEqualTo(c.text());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 1_000})
    void aThousandNewPluginsGoInTheOrderGiven(int n) {
        LinkedHashMap<String, Boolean> flags = new LinkedHashMap<>();
        List<String> expected = new ArrayList<>();
        for (int i = n; i > 0; i--) {
            flags.put("p" + i + "@fx", i % 2 == 0);
            expected.add("[plugins.\"p" + i + "@fx\"]\nenabled = " + (i % 2 == 0) + "\n");
        }
        String text = CodexConfig.parse(FILE, "[tui]\nx = 1\n").withPlugins(flags).text();
        assertThat(text).isEqualTo("[tui]\nx = 1\n\n" + String.join("\n", expected));
        assertThat(CodexConfig.parse(FILE, text).plugins()).hasSize(n);
    }
}
