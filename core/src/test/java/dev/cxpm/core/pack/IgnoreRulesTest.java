package dev.cxpm.core.pack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IgnoreRulesTest {

    @Test
    void unanchoredNamesMatchAtAnyDepth() {
        IgnoreRules r = IgnoreRules.parse("*.log\n");
        assertThat(r.ignores("a.log", false)).isTrue();
        assertThat(r.ignores("x/y/a.log", false)).isTrue();
        assertThat(r.ignores("a.logs", false)).isFalse();
    }

    @Test
    void slashAnchorsToTheRoot() {
        IgnoreRules r = IgnoreRules.parse("/build\ndocs/tmp\n");
        assertThat(r.ignores("build", true)).isTrue();
        assertThat(r.ignores("x/build", true)).isFalse();
        assertThat(r.ignores("docs/tmp", true)).isTrue();
        assertThat(r.ignores("a/docs/tmp", true)).isFalse();
    }

    @Test
    void trailingSlashMatchesDirectoriesOnly() {
        IgnoreRules r = IgnoreRules.parse("cache/\n");
        assertThat(r.ignores("cache", true)).isTrue();
        assertThat(r.ignores("cache", false)).isFalse();
    }

    @Test
    void lastMatchWinsAndNegationReincludes() {
        IgnoreRules r = IgnoreRules.parse("*.md\n!README.md\n");
        assertThat(r.ignores("a.md", false)).isTrue();
        assertThat(r.ignores("README.md", false)).isFalse();
        assertThat(r.ignores("sub/README.md", false)).isFalse();
    }

    @Test
    void doubleStarSpansDirectories() {
        IgnoreRules r = IgnoreRules.parse("**/fixtures/**\na/**/z.txt\n");
        assertThat(r.ignores("fixtures/x", false)).isTrue();
        assertThat(r.ignores("p/q/fixtures/x/y", false)).isTrue();
        assertThat(r.ignores("a/z.txt", false)).isTrue();
        assertThat(r.ignores("a/b/c/z.txt", false)).isTrue();
        assertThat(r.ignores("b/z.txt", false)).isFalse();
    }

    @Test
    void commentsBlanksQuestionMarksAndClasses() {
        IgnoreRules r = IgnoreRules.parse("# *.md\n\n?.txt\n[ab].bin\n[!c]x\n\\#hash\n");
        assertThat(r.ignores("x.md", false)).isFalse();
        assertThat(r.ignores("a.txt", false)).isTrue();
        assertThat(r.ignores("ab.txt", false)).isFalse();
        assertThat(r.ignores("b.bin", false)).isTrue();
        assertThat(r.ignores("c.bin", false)).isFalse();
        assertThat(r.ignores("dx", false)).isTrue();
        assertThat(r.ignores("cx", false)).isFalse();
        assertThat(r.ignores("#hash", false)).isTrue();
    }

    @Test
    void defaultsLeaveOutCxpmStateAndRootArchivesButCanBeOverridden() {
        assertThat(IgnoreRules.parse(null).ignores(".cxpm", true)).isTrue();
        assertThat(IgnoreRules.parse(null).ignores("demo-1.0.0.tgz", false)).isTrue();
        assertThat(IgnoreRules.parse(null).ignores("assets/data.tgz", false)).isFalse();
        assertThat(IgnoreRules.parse("!/vendor.tgz").ignores("vendor.tgz", false)).isFalse();
    }

    /**
     * A plugin's .cxpmignore is its author's (a cloned repository, a hostile marketplace's plugin packed by sync): `[z-a]`
     * crashed pack with a PatternSyntaxException (exit 70), and `*a*a...*b` against a long name backtracked for minutes.
     * Matching is now linear in pattern times path, and a class git would not match matches nothing.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60) // bounds a hang; not a measure of speed
    void anIgnoreFileOfAnyTextNeverThrowsNorBacktracksForever() {
        assertThat(IgnoreRules.parse("[z-a]").ignores("z", false)).isFalse();
        assertThat(IgnoreRules.parse("[a-c]x").ignores("bx", false)).isTrue();
        assertThat(IgnoreRules.parse("[!a-c]x").ignores("bx", false)).isFalse();
        assertThat(IgnoreRules.parse("[!a-c]x").ignores("dx", false)).isTrue();
        for (String hostile : new String[] {"[", "[]", "[!]", "[\\]", "[a-]", "[-a]", "[a&&b]", "[[:alpha:]]", "\\", "(?", "a{1,}", "$", "^",
                "[^a]", "*[*", "\\E.*\\Q"}) {
            IgnoreRules.parse(hostile).ignores("a/b/c", false);
        }
        String name = "a".repeat(60);
        assertThat(IgnoreRules.parse("*a".repeat(20) + "*b").ignores(name, false)).isFalse();
        assertThat(IgnoreRules.parse("**/".repeat(30) + "b").ignores("a/".repeat(200) + "c", false)).isFalse();
        assertThat(IgnoreRules.parse("*a".repeat(20) + "*").ignores(name, false)).isTrue();
    }
}
