package dev.cxpm.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written splits of a skill's lines and a prompt's whitespace answer as the regular expressions they replaced. */
class PluginTextSplitTest {
    private static final List<String> TEXTS = List.of("", "\n", "\r\n", "\r", "a", "a\n", "a\r\nb", "---\nname: x\n---\nbody\n",
            "\n\na\r\r\nb\r", " a \t b\u000B\fc\r\n d ", "\u00a0a\u2028b", "\r\n\r\n");

    @Test
    void theSameAsTheRegularExpressions() {
        Random random = new Random(7);
        String noise = "\r\n \t\u000B\fa-\u00a0";
        for (String t : TEXTS) {
            StringBuilder b = new StringBuilder(t);
            for (int n = 0; n < 3000; n++) {
                if (n % 4 == 0) {
                    b.setLength(0);
                    b.append(t);
                }
                int at = random.nextInt(b.length() + 1);
                if (random.nextBoolean() || at == b.length()) {
                    b.insert(at, noise.charAt(random.nextInt(noise.length())));
                } else {
                    b.deleteCharAt(at);
                }
                String s = b.toString();
                assertThat(Plugin.FrontMatter.lines(s)).as("[%s]", s).containsExactly(s.split("\r?\n", -1));
                assertThat(Plugin.collapseWhitespace(s)).as("[%s]", s).isEqualTo(s.replaceAll("\\s+", " "));
            }
        }
    }
}
