package dev.cxpm.registry.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LookAlikeNamesTest {

    @Test
    void separatorsCaseAndConfusableCharactersFoldToOneName() {
        List<String> existing = List.of("github-triage");
        assertThat(LookAlikeNames.confusableWith("github_triage", existing)).contains("github-triage");
        assertThat(LookAlikeNames.confusableWith("githubtriage", existing)).contains("github-triage");
        assertThat(LookAlikeNames.confusableWith("g1thub-triage", existing)).contains("github-triage");
        assertThat(LookAlikeNames.confusableWith("github.tr1age", existing)).contains("github-triage");
    }

    @Test
    void oneTypoAwayOnALongNameIsALookAlike() {
        assertThat(LookAlikeNames.confusableWith("github-triag", List.of("github-triage"))).contains("github-triage");
        assertThat(LookAlikeNames.confusableWith("githbu-triage", List.of("github-triage"))).isPresent();
        assertThat(LookAlikeNames.confusableWith("postgres", List.of("postgrex"))).contains("postgrex");
    }

    @Test
    void distinctNamesAndShortNamesOneEditApartAreAllowed() {
        assertThat(LookAlikeNames.confusableWith("gitlab-triage", List.of("github-triage"))).isEmpty();
        assertThat(LookAlikeNames.confusableWith("jira", List.of("jiro"))).isEmpty();
        assertThat(LookAlikeNames.confusableWith("github-triage", List.of("github-triage"))).isEmpty();
    }

    @Test
    void withinOneEditCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(LookAlikeNames.withinOneEdit("abcdef", "abcdef")).isTrue();
        assertThat(LookAlikeNames.withinOneEdit("abcdef", "abcxef")).isTrue();
        assertThat(LookAlikeNames.withinOneEdit("abcdef", "abcef")).isTrue();
        assertThat(LookAlikeNames.withinOneEdit("abcdef", "abcdefg")).isTrue();
        assertThat(LookAlikeNames.withinOneEdit("abcdef", "abxdxf")).isFalse();
        assertThat(LookAlikeNames.withinOneEdit("abcdef", "abcdefgh")).isFalse();
    }

    /** The storage finds the names a new one could pass for by their shared variant: every look-alike pair must share one. */
    @Test
    void everyLookAlikePairSharesAStoredVariant() {
        java.util.Random random = new java.util.Random(12);
        String letters = "abcdefghijklmnopqrstuvwxyz0123456789-";
        int pairs = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder("p");
            for (int i = random.nextInt(10); i >= 0; i--) {
                b.append(letters.charAt(random.nextInt(letters.length())));
            }
            String a = b.toString();
            StringBuilder t = new StringBuilder(a);
            int at = 1 + random.nextInt(t.length() - 1);
            switch (random.nextInt(4)) {
                case 0 -> t.setCharAt(at, letters.charAt(random.nextInt(letters.length())));
                case 1 -> t.insert(at, letters.charAt(random.nextInt(letters.length())));
                case 2 -> t.deleteCharAt(at);
                default -> {
                    if (at < t.length() - 1) {
                        char c = t.charAt(at);
                        t.setCharAt(at, t.charAt(at + 1));
                        t.setCharAt(at + 1, c);
                    }
                }
            }
            String other = t.toString();
            if (LookAlikeNames.confusableWith(other, List.of(a)).isPresent()) {
                pairs++;
                assertThat(dev.cxpm.registry.storage.search.NameVariants.of(other)).as(other + " / " + a)
                        .containsAnyElementsOf(dev.cxpm.registry.storage.search.NameVariants.of(a));
            }
        }
        assertThat(pairs).isGreaterThan(1000);
    }
}
