package dev.cxpm.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import dev.cxpm.testkit.Mutations;
import org.junit.jupiter.api.Test;

/** The hand-written splits of a skill's lines and a prompt's whitespace answer as the regular expressions they replaced. */
class PluginTextSplitTest {
    private static final List<String> TEXTS = List.of("", "\n", "\r\n", "\r", "a", "a\n", "a\r\nb", "---\nname: x\n---\nbody\n",
            "\n\na\r\r\nb\r", " a \t b\u000B\fc\r\n d ", "\u00a0a\u2028b", "\r\n\r\n");

    @Test
    void theSameAsTheRegularExpressions() {
        String noise = "\r\n \t\u000B\fa-\u00a0";
        for (String t : TEXTS) {
            Mutations.of(t, noise, 3000, 4, 7, s -> {
                assertThat(dev.cxpm.core.PlainText.lines(s)).as("[%s]", s).containsExactly(s.split("\r?\n", -1));
                assertThat(dev.cxpm.core.PlainText.collapseSpaces(s)).as("[%s]", s).isEqualTo(s.replaceAll("\\s+", " "));
            });
        }
    }
}
