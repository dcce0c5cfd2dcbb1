package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.testkit.CodexClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude Code commands in a plugin, as real plugins write them (motlin/claude-code-plugins: `argument-hint`, `model`,
 * `$ARGUMENTS`, `@file` references, emoji, nested folders): the real Codex CLI turns those it can into skills of the
 * installed copy ({@code .codex-plugin/migrated-command-skills/}), and cxpm's install must leave the very same files, or
 * Codex offers fewer skills for a plugin cxpm installed. One plugin holds every case, installed once each way.
 */
class CommandSkillsInteropTest {

    static final String SKILLS = ".codex-plugin/migrated-command-skills/";

    @TempDir
    Path tmp;

    /** Command files, by path under commands/: each a case of Codex's rule (see CommandSkills). */
    static Map<String, String> commands() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("commit.md", "---\ndescription: Commit local changes to git\ndisable-model-invocation: true\n---\n\nDelegate to the `git:commit-handler` agent.\n");
        c.put("fix.md", "---\ndescription: Run precommit and fix failures\nargument-hint: [error context]\n---\n\n🔧 Run precommit.\n\n## Steps\n\n- one\n");
        c.put("pom.md", "---\ndescription: Check POM ordering\nmodel: haiku\n---\nUse ${CLAUDE_PLUGIN_ROOT}/scripts/x and $HOME; mail a@b.c, see (@x) and `@y`.");
        c.put("args.md", "---\ndescription: With arguments\nargument-hint: branch\n---\n\nCreate $ARGUMENTS now.\n");
        c.put("positional.md", "---\ndescription: Positional\n---\n\n```\necho $1\n```\n");
        c.put("file-ref.md", "---\ndescription: File reference\n---\n\nRead @docs/guide.md first.\n");
        c.put("bang.md", "---\ndescription: Shell\n---\n\nContext: !`git status`\n");
        c.put("mustache.md", "---\ndescription: Mustache\n---\n\nFill {{x}}.\n");
        c.put("no-description.md", "---\nmodel: haiku\n---\n\nNo description.\n");
        c.put("no-front-matter.md", "Just text.\n");
        c.put("bom.md", "\uFEFF---\ndescription: BOM\n---\n\nBOM.\n");
        c.put("quotes.md", "---\ndescription: Say \"hi\" \\ back\n---\n\n\n\n  Trimmed body.  \n\n\n");
        c.put("folded.md", "---\ndescription: >-\n  folded\n  text\n---\nBody.\n");
        c.put("empty.md", "---\ndescription: Empty body\n---\n");
        c.put("crlf.md", "---\r\ndescription: CRLF\r\n---\r\n\r\nline1\r\nline2\r\n");
        c.put("number.md", "---\ndescription: 42\n---\n\nNumber.\n");
        c.put("My Cmd.md", "---\ndescription: Upper and space\n---\n\nDo it.\n");
        c.put("sub/deep.md", "---\ndescription: Nested\n---\n\nDeep.\n");
        c.put("dup.md", "---\ndescription: lower\n---\n\nLower.\n");
        c.put("Dup.md", "---\ndescription: upper\n---\n\nUpper.\n"); // same name as dup: both left out
        c.put("a_b.md", "---\ndescription: underscore\n---\n\nAB.\n");
        c.put("long.md", "---\ndescription: Long\n---\n\n" + "y".repeat(3700) + "\n"); // its skill: 3,883 bytes
        c.put("too-long.md", "---\ndescription: Too long\n---\n\n" + "y".repeat(3900) + "\n"); // over Codex's 4,000
        c.put("notes.txt", "---\ndescription: not markdown\n---\n\nTxt.\n");
        // hostile names and sizes: Codex makes no skill of a name over 64 characters ("source-command-" and 49 is 64), and
        // makes one of a command of megabytes of blank lines or of front matter (cxpm reads them as streams, bounded)
        c.put("b".repeat(49) + ".md", "---\ndescription: 64\n---\n\nSixty-four.\n");
        c.put("c".repeat(50) + ".md", "---\ndescription: 65\n---\n\nSixty-five.\n");
        c.put("d".repeat(200) + ".md", "---\ndescription: 215\n---\n\nToo long a name for a file of Codex's.\n");
        c.put("blank.md", "---\ndescription: Blank lines\n---\n" + " \n".repeat(1_500_000) + "Blanks.\n" + "\n \t".repeat(500_000));
        c.put("big-front.md", "---\ndescription: Big front matter\nx: \"" + "y".repeat(2_000_000) + "\"\n---\n\nBig.\n");
        c.put(".md", "---\ndescription: Hidden\n---\n\nHidden.\n"); // no extension to Codex: no skill
        c.put("日本.md", "---\ndescription: Nothing left\n---\n\nNothing.\n"); // the name source-command, alone
        c.put("日本/x.md", "---\ndescription: Unicode\n---\n\nUnicode.\n"); // source-command-x
        c.put("x.md", "---\ndescription: Clash\n---\n\nClash.\n"); // source-command-x too: both left out
        return c;
    }

    @Test
    void cxpmInstallsTheSkillsCodexMakesOfAPluginsCommands() throws IOException {
        Path market = market();
        Path home = tmp.resolve("home");
        Path byCodex = tmp.resolve("codex-home-codex");
        CodexClient codex = new CodexClient(byCodex, home);
        assertThat(codex.run("plugin", "marketplace", "add", market.toString()).exitCode()).isZero();
        for (String id : PLUGINS) {
            CodexClient.Result add = codex.run("plugin", "add", id);
            assertThat(add.exitCode()).as(add.output()).isZero();
        }

        Path byCxpm = tmp.resolve("codex-home-cxpm");
        Map<String, String> env = Fixtures.env(byCxpm, home);
        assertThat(CliRun.in(tmp, env, "marketplace", "add", market.toString()).exitCode()).isZero();
        for (String id : PLUGINS) {
            CliRun install = CliRun.in(tmp, env, "install", id);
            assertThat(install.exitCode()).as(install.stderr()).isZero();
        }
        // a Claude Code plugin without a .codex-plugin/ of its own gets one, for the skills; Codex leaves every link out of
        // its copy, and cxpm a command that is one (no file, no skill: CodexCopy); a shipped migrated-command-skills/ is
        // dropped (whatever it holds), and only the skills made of the commands are there
        assertSameCopies(byCodex, byCxpm);
        assertThat(files(byCodex.resolve("plugins/cache/fx/legacy/1.0.0")))
                .containsKey(SKILLS + "source-command-legacy/SKILL.md").doesNotContainKey("commands/linked.md");
        assertThat(files(byCodex.resolve("plugins/cache/fx/shipped/1.0.0")).keySet().stream().filter(f -> f.startsWith(SKILLS)))
                .containsExactly(SKILLS + "source-command-a/SKILL.md");

        String version = "plugins/cache/fx/cmds/1.0.0";
        Map<String, String> codexFiles = files(byCodex.resolve(version));
        assertThat(codexFiles).as("the cases still show Codex's rule").containsKeys(
                SKILLS + "source-command-" + "b".repeat(49) + "/SKILL.md", SKILLS + "source-command-blank/SKILL.md",
                SKILLS + "source-command-big-front/SKILL.md", SKILLS + "source-command/SKILL.md",
                ".codex-plugin/migrated-command-skills/source-command-commit/SKILL.md",
                ".codex-plugin/migrated-command-skills/source-command-my-cmd/SKILL.md",
                ".codex-plugin/migrated-command-skills/source-command-sub-deep/SKILL.md")
                .doesNotContainKeys(".codex-plugin/migrated-command-skills/source-command-args/SKILL.md",
                        ".codex-plugin/migrated-command-skills/source-command-too-long/SKILL.md",
                        ".codex-plugin/migrated-command-skills/source-command-dup/SKILL.md",
                        SKILLS + "source-command-" + "c".repeat(50) + "/SKILL.md", SKILLS + "source-command-x/SKILL.md");
        assertThat(files(byCxpm.resolve(version))).isEqualTo(codexFiles);

        // installing again over what cxpm made, or over what Codex made, changes nothing
        for (String[] again : new String[][] {{"cmds@fx", byCxpm.toString()}, {"legacy@fx", byCxpm.toString()}, {"cmds@fx", byCodex.toString()}}) {
            CliRun r = CliRun.in(tmp, Fixtures.env(Path.of(again[1]), home), "install", again[0], "--json");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).as("%s in %s", again[0], again[1]).contains("\"unchanged\": true");
        }
        assertThat(files(byCodex.resolve(version))).isEqualTo(codexFiles);
        CodexClient.Result list = new CodexClient(byCxpm, home).run("plugin", "list", "--json");
        assertThat(list.stdout()).contains("\"pluginId\": \"cmds@fx\"", "\"enabled\": true");
    }

    /** Installing a plugin sync placed (with the skills, as install makes them) leaves it as it is, and sync --frozen finds no drift. */
    @Test
    void installOverAPluginSyncPlacedLeavesItAsSyncRecordedIt() throws IOException {
        Path market = market();
        Path codexHome = tmp.resolve("codex-home");
        Map<String, String> env = Fixtures.env(codexHome, tmp.resolve("home"));
        Path project = tmp.resolve("project");
        Files.createDirectories(project);
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\nfx = \"" + market + "\"\n\n[plugins]\ncmds = \"^1\"\n");
        CliRun sync = CliRun.in(project, env, "sync", "--yes");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        Map<String, String> placed = files(codexHome.resolve("plugins/cache/fx/cmds/1.0.0"));

        CliRun install = CliRun.in(project, env, "install", "cmds@fx", "--json");
        assertThat(install.exitCode()).as(install.stderr()).isZero();
        assertThat(install.stdout()).contains("\"unchanged\": true");
        assertThat(files(codexHome.resolve("plugins/cache/fx/cmds/1.0.0"))).isEqualTo(placed);
        CliRun frozen = CliRun.in(project, env, "sync", "--frozen");
        assertThat(frozen.exitCode()).as(frozen.stderr()).isZero();
    }

    private Path market() throws IOException {
        return market(tmp);
    }

    /** The plugins of {@link #market}, each installed by Codex and by cxpm in the tests. */
    static final String[] PLUGINS = {"cmds@fx", "legacy@fx", "shipped@fx", "shipfile@fx"};

    /**
     * A marketplace fx of cmds (every case of commands()), legacy (a Claude Code plugin: no .codex-plugin/, a command and
     * a link to one), shipped (ships a .codex-plugin/migrated-command-skills/ of its own, one of its skills named as the
     * one made of its command) and shipfile (a file where that directory goes).
     */
    static Path market(Path tmp) throws IOException {
        Path market = Fixtures.marketplace(tmp.resolve("market"), "fx", "cmds", "1.0.0", "legacy", "1.0.0", "shipped", "1.0.0",
                "shipfile", "1.0.0");
        Path shipped = market.resolve("plugins/shipped");
        Files.createDirectories(shipped.resolve("commands"));
        Files.writeString(shipped.resolve("commands/a.md"), "---\ndescription: A\n---\n\nDo A.\n");
        for (String f : new String[] {"source-command-a/SKILL.md", "source-command-a/extra.txt", "mine/SKILL.md", "top.txt"}) {
            Files.createDirectories(shipped.resolve(SKILLS + f).getParent());
            Files.writeString(shipped.resolve(SKILLS + f), "shipped " + f + "\n");
        }
        Path shipfile = market.resolve("plugins/shipfile");
        Files.writeString(shipfile.resolve(".codex-plugin/migrated-command-skills"), "not a directory\n");
        for (var e : commands().entrySet()) {
            Path f = market.resolve("plugins/cmds/commands").resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
        }
        Path legacy = market.resolve("plugins/legacy");
        Files.move(legacy.resolve(".codex-plugin"), legacy.resolve(".claude-plugin"));
        Files.createDirectories(legacy.resolve("commands"));
        Files.writeString(legacy.resolve("commands/legacy.md"), "---\ndescription: Legacy\n---\n\nDo it.\n");
        Files.createDirectories(legacy.resolve("docs"));
        Files.writeString(legacy.resolve("docs/linked.md"), "---\ndescription: Linked\n---\n\nDo it.\n");
        Files.createSymbolicLink(legacy.resolve("commands/linked.md"), Path.of("../docs/linked.md"));
        return market;
    }

    /** Every plugin of {@link #PLUGINS} holds the same files with the same text in both homes. */
    static void assertSameCopies(Path byCodex, Path byCxpm) throws IOException {
        for (String id : PLUGINS) {
            String version = "plugins/cache/fx/" + id.substring(0, id.indexOf('@')) + "/1.0.0";
            assertThat(files(byCxpm.resolve(version))).as(id).isEqualTo(files(byCodex.resolve(version)));
        }
    }

    /** Every file under dir by '/'-separated path, with its text. */
    static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
