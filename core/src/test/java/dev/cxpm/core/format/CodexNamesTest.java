package dev.cxpm.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodexNamesTest {
    @Test
    void pluginNamesAreAsciiLettersDigitsDotUnderscoreAndDash() {
        assertThat(CodexNames.isPluginName("My_plugin.v2-x")).isTrue();
        assertThat(CodexNames.isPluginName("my plugin")).isFalse();
        assertThat(CodexNames.isPluginName("é")).isFalse();
        assertThat(CodexNames.isPluginName("")).isFalse();
        assertThat(CodexNames.isPluginName(null)).isFalse();
        assertThat(CodexNames.asPluginName("my plugin!")).isEqualTo("my-plugin-");
    }

    @Test
    void marketplaceNamesHaveNoDot() {
        assertThat(CodexNames.isMarketplaceName("team_tools-2")).isTrue();
        assertThat(CodexNames.isMarketplaceName("team.tools")).isFalse();
        assertThat(CodexNames.asMarketplaceName("team.tools")).isEqualTo("team-tools");
    }

    @Test
    void versionsMayHoldPlusButNoSpaceOrSlash() {
        assertThat(CodexNames.isVersion("2.1.0-beta.1+build.5")).isTrue();
        assertThat(CodexNames.isVersion("1.0 beta")).isFalse();
        assertThat(CodexNames.isVersion("../1")).isFalse();
    }

    @Test
    void portableNamesStartWithALetterOrDigitAndHaveAtMost64Characters() {
        assertThat(CodexNames.isPortablePluginName("a" + "b".repeat(63))).isTrue();
        assertThat(CodexNames.isPortablePluginName("a".repeat(65))).isFalse();
        assertThat(CodexNames.isPortablePluginName(".hidden")).isFalse();
        assertThat(CodexNames.isPortablePluginName("-opt")).isFalse();
        assertThat(CodexNames.isPortablePluginName(null)).isFalse();
    }

    /** What codex 0.171.0 answers to {@code codex plugin add NAME -m fx} and to such a plugin.json version. */
    @Test
    void namesAndVersionsThatArePathSyntaxAreRefusedInCodexsWords() {
        assertThat(CodexNames.pluginNameProblem("..")).hasValue("invalid plugin name: path traversal is not allowed");
        assertThat(CodexNames.pluginNameProblem(".")).hasValue("invalid plugin name: path traversal is not allowed");
        assertThat(CodexNames.pluginNameProblem("a/b")).hasValue("invalid plugin name: only ASCII letters, digits, `.`, `_`, and `-` are allowed");
        assertThat(CodexNames.pluginNameProblem("a\\b")).isPresent();
        assertThat(CodexNames.pluginNameProblem("a\u0000b")).isPresent();
        for (String dots : new String[] {"..a", "a..b", ".hidden", "a."}) {
            assertThat(CodexNames.pluginNameProblem(dots)).as(dots).hasValue("invalid plugin name: dots must separate non-empty name segments");
        }
        assertThat(CodexNames.isPluginName("-dash")).isTrue(); // Codex lists it too
        assertThat(CodexNames.isMarketplaceName("..")).isFalse();
        assertThat(CodexNames.versionProblem("..")).hasValue("invalid plugin version: path traversal is not allowed");
        assertThat(CodexNames.versionProblem(".")).hasValue("invalid plugin version: path traversal is not allowed");
        assertThat(CodexNames.isVersion("...")).isTrue(); // Codex installs it: a plain directory name
        assertThat(CodexNames.isVersion("1..2")).isTrue();
        assertThat(CodexNames.asPluginName("..")).isEqualTo("my-plugin");
        assertThat(CodexNames.asPluginName("a..b.")).isEqualTo("a.b");
    }

    /**
     * The hand-written checks accept exactly what the rules' regular expressions accept, on every string of up to four
     * characters over an alphabet of each class's edges (letters, digits, the punctuation allowed and not, non-ASCII).
     */
    @Test
    void handWrittenChecksAcceptExactlyWhatTheRulesRegularExpressionsAccept() {
        java.util.regex.Pattern pluginName = java.util.regex.Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
        java.util.regex.Pattern marketplaceName = java.util.regex.Pattern.compile("[A-Za-z0-9_-]+");
        java.util.regex.Pattern version = java.util.regex.Pattern.compile("[A-Za-z0-9.+_-]+");
        String alphabet = "aZ09_-.+/ \u00e9\u0000@`[{:";
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(""));
        for (int len = 0, from = 0; len < 4; len++) {
            int to = all.size();
            for (int i = from; i < to; i++) {
                for (char c : alphabet.toCharArray()) {
                    all.add(all.get(i) + c);
                }
            }
            from = to;
        }
        for (String s : all) {
            assertThat(CodexNames.isPluginName(s)).as("plugin name %s", s).isEqualTo(pluginName.matcher(s).matches());
            assertThat(CodexNames.isMarketplaceName(s)).as("marketplace name %s", s).isEqualTo(marketplaceName.matcher(s).matches());
            assertThat(CodexNames.isVersion(s)).as("version %s", s)
                    .isEqualTo(version.matcher(s).matches() && !s.equals(".") && !s.equals(".."));
        }
    }
}
