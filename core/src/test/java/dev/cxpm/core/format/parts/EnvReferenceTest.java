package dev.cxpm.core.format.parts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.cxpm.testkit.Mutations;
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
        String noise = "${}:-_Aa9 x.é";
        for (String v : VALUES) {
            Mutations.of(v, noise, 2000, 3, 5, EnvReferenceTest::same);
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
