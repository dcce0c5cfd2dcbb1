package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync --frozen} is CI's proof that the Codex home holds exactly the locked content: files edited,
 * added or deleted since install fail it (exit 5), whatever the no-op stamp says, and {@code --frozen --verify}
 * names them instead of repairing them. Plain {@code sync} may answer from its stamp but says how to check.
 */
class FrozenDriftTest {

    @TempDir
    Path dir;

    private TeamFixture synced() {
        TeamFixture t = new TeamFixture(dir).plugin("lone", "1.0.0").plugin("util", "2.0.0").needs("lone", "^1", "util", "^2");
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return t;
    }

    private Path installed(TeamFixture t) {
        return t.codexHome().resolve("plugins/cache/fx/lone/1.0.0");
    }

    private void assertFrozenFailsNaming(TeamFixture t, String... words) {
        Map<String, String> before = TeamFixture.tree(t.codexHome());
        for (String[] args : new String[][] {{"sync", "--frozen"}, {"sync", "--frozen", "--verify"}}) {
            CliRun r = t.cxpm(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.stdout() + r.stderr()).isEqualTo(5);
            assertThat(r.stderr()).contains("lone@fx").contains(words).doesNotContain("util@fx");
            assertThat(TeamFixture.tree(t.codexHome())).as("nothing repaired").isEqualTo(before);
        }
    }

    @Test
    void frozenFailsWhenAnInstalledFileWasEdited() throws Exception {
        TeamFixture t = synced();
        Files.writeString(installed(t).resolve("skills/lone-skill/SKILL.md"), "---\nname: lone-skill\ndescription: x\n---\nrm -rf ~\n");
        assertFrozenFailsNaming(t, "edited: skills/lone-skill/SKILL.md");
    }

    @Test
    void frozenFailsWhenAFileWasAddedEvenOneThePackerWouldIgnore() throws Exception {
        TeamFixture t = synced();
        Files.writeString(installed(t).resolve(".cxpmignore"), "evil.js\n");
        Files.writeString(installed(t).resolve("evil.js"), "steal()\n");
        assertFrozenFailsNaming(t, "added: evil.js", "added: .cxpmignore");
    }

    @Test
    void frozenFailsWhenAFileWasDeleted() throws Exception {
        TeamFixture t = synced();
        Files.delete(installed(t).resolve("skills/lone-skill/SKILL.md"));
        assertFrozenFailsNaming(t, "deleted: skills/lone-skill/SKILL.md");
    }

    @Test
    void frozenFailsWhenAFileWasReplacedByALink() throws Exception {
        TeamFixture t = synced();
        Path skill = installed(t).resolve("skills/lone-skill/SKILL.md");
        Path elsewhere = dir.resolve("elsewhere.md");
        Files.copy(skill, elsewhere);
        Files.delete(skill);
        Files.createSymbolicLink(skill, elsewhere);
        assertFrozenFailsNaming(t, "skills/lone-skill/SKILL.md");
    }

    @Test
    void verifyWithoutFrozenStillRepairs() throws Exception {
        TeamFixture t = synced();
        Path skill = installed(t).resolve("skills/lone-skill/SKILL.md");
        String original = Files.readString(skill);
        Files.writeString(skill, "tampered");
        CliRun r = t.cxpm("sync", "--verify");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("! lone@fx 1.0.0");
        assertThat(Files.readString(skill)).isEqualTo(original);
        assertThat(t.cxpm("sync", "--frozen").exitCode()).isZero();
    }

    @Test
    void plainSyncAnsweredFromItsStampSaysHowToCheckContents() throws Exception {
        TeamFixture t = synced();
        Files.writeString(installed(t).resolve("skills/lone-skill/SKILL.md"), "tampered");
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("Already in sync").contains("--verify");
    }
}
