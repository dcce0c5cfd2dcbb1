package dev.cxpm.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** EnvReference finds what the regular expression it replaced found, on hand-picked values and on many mutated ones. */
class EnvReferenceTest {
    /** The pattern EnvReference matched with before it read values by hand. */
    private static final Pattern REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final List<String> VALUES = List.of("", "plain", "$HOME", "${HOME}", "Bearer ${TOKEN}", "${A:-x}", "${A-x}", "${A:=x}",
            "$A$B", "${A}${B}", "$$A", "${", "${A", "${A:-${B}}", "${1A}", "$1A", "${_A9}", "pre$A_b.c", "${A }", "${ A}", "x}$A}",
            "${A:-}", "$", "$-", "${}", "é$Aé", "${A\n}", "$A-$B:-c");

    @Test
    void theSameReferencesAsTheRegularExpression() {
        Random random = new Random(5);
        String noise = "${}:-_Aa9 x.é";
        for (String v : VALUES) {
            same(v);
            StringBuilder b = new StringBuilder(v);
            for (int n = 0; n < 2000; n++) {
                if (n % 3 == 0) {
                    b.setLength(0);
                    b.append(v);
                }
                int at = random.nextInt(b.length() + 1);
                if (random.nextBoolean() || at == b.length()) {
                    b.insert(at, noise.charAt(random.nextInt(noise.length())));
                } else {
                    b.deleteCharAt(at);
                }
                same(b.toString());
            }
        }
    }

    @Test
    void requiredNamesEachOnceInOrderWithoutFallbacks() {
        assertThat(EnvReference.required("${B} $A ${B} ${C:-x} $D")).containsExactly("B", "A", "D");
        assertThat(EnvReference.required(null)).isEmpty();
    }

    private static void same(String v) {
        List<EnvReference> expected = new ArrayList<>();
        Matcher m = REF.matcher(v);
        while (m.find()) {
            expected.add(m.group(1) != null ? new EnvReference(m.group(1), m.group(2).startsWith("-") || m.group(2).startsWith(":-"))
                    : new EnvReference(m.group(3), false));
        }
        assertThat(EnvReference.in(v)).as("[%s]", v).isEqualTo(expected);
        assertThat(EnvReference.any(v)).as("[%s]", v).isEqualTo(!expected.isEmpty());
    }
}
