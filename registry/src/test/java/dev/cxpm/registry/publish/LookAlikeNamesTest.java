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
}
