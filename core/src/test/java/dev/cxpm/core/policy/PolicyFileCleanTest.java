package dev.cxpm.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PolicyFileCleanTest {

    /** What clean did with a regular expression: every name, command and host a policy message shows goes through it. */
    private static String byRegex(String s) {
        String c = s.replaceAll("\\p{Cntrl}", "?");
        return c.length() > 200 ? c.substring(0, 200) + "..." : c;
    }

    @Test
    void controlCharactersBecomeQuestionMarksAsTheRegularExpressionMadeThem() {
        assertThat(PolicyFile.clean("npx")).isEqualTo("npx");
        assertThat(PolicyFile.clean("a\u001b[31mb\u007fc\n\td\u0085\u200e")).isEqualTo("a?[31mb?c??d\u0085\u200e");
        assertThat(PolicyFile.clean("x".repeat(199) + "\u0000\u0001")).isEqualTo("x".repeat(199) + "?...");
        Random random = new Random(17);
        char[] alphabet = {'a', 'Z', '0', ' ', '?', '\u0000', '\u001f', '\u0020', '\u007e', '\u007f', '\u0080', '\u009f', '\u00e9',
            '\ud83d', '\ude00', '\u2028', '\ufeff'};
        for (int i = 0; i < 5_000; i++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(i % 10 == 0 ? 400 : 20);
            for (int j = 0; j < length; j++) {
                b.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String s = b.toString();
            assertThat(PolicyFile.clean(s)).as(s).isEqualTo(byRegex(s));
        }
    }
}
