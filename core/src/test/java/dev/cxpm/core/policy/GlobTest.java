package dev.cxpm.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void starsMatchAnyRunIncludingSlashesAndDotsAndEverythingElseMatchesItself() {
        assertThat(Glob.of("acme-*", false).matches("acme-tools")).isTrue();
        assertThat(Glob.of("acme-*", false).matches("acme-")).isTrue();
        assertThat(Glob.of("acme-*", false).matches("xacme-tools")).isFalse();
        assertThat(Glob.of("https://github.com/acme/*", false).matches("https://github.com/acme/a/b.git")).isTrue();
        assertThat(Glob.of("*.example.com", false).matches("x.example.com")).isTrue();
        assertThat(Glob.of("*.example.com", false).matches("example.com")).isFalse();
        assertThat(Glob.of("a.c", false).matches("abc")).as("a dot is a dot").isFalse();
        assertThat(Glob.of("a*b*a", false).matches("aba")).isTrue();
        assertThat(Glob.of("ab*ba", false).matches("aba")).as("prefix and suffix may not overlap").isFalse();
        assertThat(Glob.of("*", false).matches("")).isTrue();
        assertThat(Glob.of("", false).matches("")).isTrue();
        assertThat(Glob.of("", false).matches("x")).isFalse();
        assertThat(Glob.of("ACME-*", true).matches("acme-Tools")).isTrue();
        assertThat(Glob.of("ACME-*", false).matches("acme-Tools")).isFalse();
        assertThat(Glob.of("[a]\\E(?x)*", false).matches("[a]\\E(?x)anything")).as("regex syntax is plain text").isTrue();
    }

    /**
     * {@code *a*a*...*a*b} against a long run of {@code a}: the regex it was compiled to ({@code .*a.*a...}) backtracks
     * through every way of placing the stars, about n^k steps, so this did not finish; matched step by step it is linear
     * in pattern times value. The watchdog only guards against a hang; nothing here asserts a speed.
     */
    @Test
    void aPatternOfManyStarsAgainstALongValueFinishes() {
        String pattern = "*a".repeat(40) + "*b";
        String value = "a".repeat(5_000);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            assertThat(Glob.of(pattern, false).matches(value)).isFalse();
            assertThat(Glob.of(pattern, true).matches(value.toUpperCase())).isFalse();
            assertThat(Glob.of(pattern, false).matches(value + "b")).isTrue();
        });
    }

    /** The same answers as the regex the pattern used to be compiled to, on small random patterns and values. */
    @Test
    void answersAsTheRegexItReplacesOnRandomPatternsAndValues() {
        answersAsTheRegex("aAbB*.-/\u00e9\u00c9\u0130i\u017fs");
    }

    /** Surrogate pairs (U+1F600, U+10400 with its lower case U+10428) and the halves alone, in patterns and values. */
    @Test
    void answersAsTheRegexWithSurrogatePairsAndLoneHalves() {
        answersAsTheRegex("a*\ud83d\ude00\ud801\udc00\ud801\udc28\ud83d");
    }

    private static void answersAsTheRegex(String alphabet) {
        Random random = new Random(12);
        for (int n = 0; n < 20_000; n++) {
            String pattern = randomText(random, alphabet, 6);
            String value = randomText(random, alphabet.replace("*", ""), 8);
            boolean ignoreCase = random.nextBoolean();
            java.util.List<String> parts = new java.util.ArrayList<>();
            for (String part : pattern.split("\\*", -1)) {
                parts.add(part.isEmpty() ? "" : Pattern.quote(part));
            }
            int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
            boolean regex = Pattern.compile(String.join(".*", parts), flags).matcher(value).matches();
            assertThat(Glob.of(pattern, ignoreCase).matches(value)).as("%s against %s, ignoring case: %s", pattern, value, ignoreCase)
                    .isEqualTo(regex);
        }
    }

    private static String randomText(Random random, String alphabet, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(max + 1); i > 0; i--) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
