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
        return c;
    }

    @Test
    void cxpmInstallsTheSkillsCodexMakesOfAPluginsCommands() throws IOException {
        Path market = market();
        Path home = tmp.resolve("home");
        Path byCodex = tmp.resolve("codex-home-codex");
        CodexClient codex = new CodexClient(byCodex, home);
        assertThat(codex.run("plugin", "marketplace", "add", market.toString()).exitCode()).isZero();
        for (String id : new String[] {"cmds@fx", "legacy@fx"}) {
            CodexClient.Result add = codex.run("plugin", "add", id);
            assertThat(add.exitCode()).as(add.output()).isZero();
        }

        Path byCxpm = tmp.resolve("codex-home-cxpm");
        Map<String, String> env = Fixtures.env(byCxpm, home);
        assertThat(CliRun.in(tmp, env, "marketplace", "add", market.toString()).exitCode()).isZero();
        for (String id : new String[] {"cmds@fx", "legacy@fx"}) {
            CliRun install = CliRun.in(tmp, env, "install", id);
            assertThat(install.exitCode()).as(install.stderr()).isZero();
        }
        // a Claude Code plugin without a .codex-plugin/ of its own gets one, for the skills; Codex leaves every link out of
        // its copy (a command that is one makes no skill), cxpm installs one to a file inside the plugin as that file
        // (SymlinkInstallTest)
        Map<String, String> legacy = files(byCxpm.resolve("plugins/cache/fx/legacy/1.0.0"));
        assertThat(legacy.remove("commands/linked.md")).isNotNull();
        assertThat(legacy).isEqualTo(files(byCodex.resolve("plugins/cache/fx/legacy/1.0.0")))
                .containsKey(".codex-plugin/migrated-command-skills/source-command-legacy/SKILL.md");

        String version = "plugins/cache/fx/cmds/1.0.0";
        Map<String, String> codexFiles = files(byCodex.resolve(version));
        assertThat(codexFiles).as("the cases still show Codex's rule").containsKeys(
                ".codex-plugin/migrated-command-skills/source-command-commit/SKILL.md",
                ".codex-plugin/migrated-command-skills/source-command-my-cmd/SKILL.md",
                ".codex-plugin/migrated-command-skills/source-command-sub-deep/SKILL.md")
                .doesNotContainKeys(".codex-plugin/migrated-command-skills/source-command-args/SKILL.md",
                        ".codex-plugin/migrated-command-skills/source-command-too-long/SKILL.md",
                        ".codex-plugin/migrated-command-skills/source-command-dup/SKILL.md");
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

    /** A marketplace fx of cmds (every case of commands()) and legacy (a Claude Code plugin: no .codex-plugin/, a command and a link to one). */
    static Path market(Path tmp) throws IOException {
        Path market = Fixtures.marketplace(tmp.resolve("market"), "fx", "cmds", "1.0.0", "legacy", "1.0.0");
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
