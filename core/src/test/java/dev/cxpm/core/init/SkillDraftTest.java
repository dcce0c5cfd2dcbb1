package dev.cxpm.core.init;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SkillDraftTest {
    @Test
    void markdownWithoutFrontMatterGetsNameAndDescriptionFromItsFirstLine() {
        SkillDraft.Drafted d = SkillDraft.draft("code-gen", "# Code Review Skill\n\nReview code changes:\n1. Tests\n");
        assertThat(d.text()).isEqualTo("---\nname: code-gen\ndescription: Review code changes\n---\n"
                + "# Code Review Skill\n\nReview code changes:\n1. Tests\n");
        assertThat(d.note()).contains("front matter drafted");
    }

    @Test
    void headingIsTheDescriptionWhenThereIsNoText() {
        assertThat(SkillDraft.describe("x", "# Only a heading\n")).isEqualTo("Only a heading");
        assertThat(SkillDraft.describe("x", "")).isEqualTo("Use the x skill");
    }

    @Test
    void completeFrontMatterIsUnchanged() {
        String md = "---\nname: a\ndescription: b\n---\nbody\n";
        SkillDraft.Drafted d = SkillDraft.draft("a", md);
        assertThat(d.text()).isEqualTo(md);
        assertThat(d.note()).isEmpty();
    }

    @Test
    void invalidYamlIsCopiedUnchangedWithANote() {
        String md = "---\nname: [unclosed\n---\nbody\n";
        SkillDraft.Drafted d = SkillDraft.draft("a", md);
        assertThat(d.text()).isEqualTo(md);
        assertThat(d.note().orElseThrow()).contains("not valid YAML");
    }

    @Test
    void descriptionsThatYamlWouldMisreadAreQuoted() {
        assertThat(SkillDraft.scalar("Use it: always")).isEqualTo("\"Use it: always\"");
        assertThat(SkillDraft.scalar("true")).isEqualTo("\"true\"");
        assertThat(SkillDraft.scalar("Plain words.")).isEqualTo("Plain words.");
    }

    @Test
    void crlfFilesKeepTheirLineEndings() {
        SkillDraft.Drafted d = SkillDraft.draft("a", "Do it.\r\n");
        assertThat(d.text()).isEqualTo("---\r\nname: a\r\ndescription: Do it.\r\n---\r\nDo it.\r\n");
    }
}
