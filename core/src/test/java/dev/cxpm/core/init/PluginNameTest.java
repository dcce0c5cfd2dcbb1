package dev.cxpm.core.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import org.junit.jupiter.api.Test;

class PluginNameTest {
    @Test
    void namesCodexAcceptsAreAccepted() {
        for (String ok : new String[] {"demo", "demo.v2", "Demo_Plugin-2", "a", "x".repeat(64)}) {
            assertThat(PluginName.parse(ok).value()).isEqualTo(ok);
        }
    }

    @Test
    void namesWithSpacesSlashesAtSignsOrLeadingPunctuationAreUsageErrors() {
        for (String bad : new String[] {"demo plugin", "a/b", "a@b", ".x", "-x", "_x", "", "é", "x".repeat(65)}) {
            assertThatThrownBy(() -> PluginName.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(UserError.class, e -> assertThat(e.kind()).isEqualTo(UserError.Kind.USAGE));
        }
    }

    @Test
    void directoryNamesAreMadeValid() {
        assertThat(PluginName.fromDirectoryName("My Tools!").value()).isEqualTo("my-tools");
        assertThat(PluginName.fromDirectoryName("..hidden..").value()).isEqualTo("hidden");
        assertThat(PluginName.fromDirectoryName("日本").value()).isEqualTo("my-plugin");
        assertThat(PluginName.fromDirectoryName("a".repeat(80)).value()).hasSize(64);
    }

    @Test
    void displayNameIsTitleCased() {
        assertThat(PluginName.parse("team-workflow_tools").displayName()).isEqualTo("Team Workflow Tools");
    }
}
