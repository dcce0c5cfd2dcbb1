package dev.cxpm.core.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The drive-letter check read by hand answers as the regular expression it replaced, on every shape of name. */
class UnpackRulesTest {
    @Test
    void driveLetterPathAnswersAsTheRegularExpressionDid() {
        List<String> names = new ArrayList<>(List.of("", "C", "C:", "c:", "C:/x", "C:\\x", "1:", "@:", "[:", "`:", "{:", "Z:a", "z:",
                "CC:", ":C", "C:\n", "C:x\r", "C:\u0085", "C:\u2028", "C:\u2029", "C:\u2027", "C:\r\n", "\u00c9:", "C:\0", "package/C:x"));
        char[] alphabet = {'A', 'Z', 'a', 'z', '@', '[', '`', '{', '0', ':', '/', '\\', '.', '\n', '\r', '\u0085', '\u2028',
            '\u2029', '\u00e9', '\0', ' ', '\t', '\ud83d', '\ude00'};
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(i % 2 == 0 ? alphabet[random.nextInt(alphabet.length)] + ":" : "");
            for (int n = random.nextInt(6); n > 0; n--) {
                b.append(alphabet[random.nextInt(alphabet.length)]);
            }
            names.add(b.toString());
        }
        int drives = 0;
        for (String name : names) {
            boolean expected = name.matches("^[A-Za-z]:.*");
            assertThat(UnpackRules.driveLetterPath(name)).as("%s", name.replace("\n", "\\n").replace("\r", "\\r")).isEqualTo(expected);
            drives += expected ? 1 : 0;
        }
        assertThat(drives).as("names the expression took").isGreaterThan(1_000);
    }
}
