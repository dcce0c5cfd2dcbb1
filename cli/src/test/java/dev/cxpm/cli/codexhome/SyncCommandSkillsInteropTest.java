package dev.cxpm.cli.codexhome;

import static dev.cxpm.cli.codexhome.CommandSkillsInteropTest.files;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.testkit.CodexClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sync's twin of CommandSkillsInteropTest: a plugin sync places (hard links from the store's tree) holds the skills the
 * real Codex CLI makes of its commands when it installs it, file for file; sync over a copy Codex installed keeps them;
 * the checks of installed files (sync --frozen, --verify, doctor) expect them and still catch one edited; and they are
 * new files of the placed copy, never written into the store.
 */
class SyncCommandSkillsInteropTest {

    private static final String SKILLS = ".codex-plugin/migrated-command-skills/";

    @TempDir
    Path tmp;

    @Test
    void syncPlacesTheSkillsCodexMakesOfAPluginsCommands() throws IOException {
        Path market = CommandSkillsInteropTest.market(tmp);
        Path home = tmp.resolve("home");
        Path byCodex = tmp.resolve("codex-home-codex");
        CodexClient codex = new CodexClient(byCodex, home);
        assertThat(codex.run("plugin", "marketplace", "add", market.toString()).exitCode()).isZero();
        for (String id : CommandSkillsInteropTest.PLUGINS) {
            CodexClient.Result add = codex.run("plugin", "add", id);
            assertThat(add.exitCode()).as(add.output()).isZero();
        }

        Path byCxpm = tmp.resolve("codex-home-cxpm");
        Map<String, String> env = Fixtures.env(byCxpm, home);
        Path project = project(market, "cmds", "legacy", "shipped", "shipfile");
        CliRun sync = CliRun.in(project, env, "sync", "--yes");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(sync.stderr()).contains("commands/linked.md is not installed (a command that is a symlink");

        String version = "plugins/cache/fx/cmds/1.0.0";
        Map<String, String> codexFiles = files(byCodex.resolve(version));
        assertThat(codexFiles).containsKey(SKILLS + "source-command-commit/SKILL.md");
        // a command that is a link is packed as no file (CodexCopy), so sync makes no skill of it, as Codex leaves the link
        // out; a shipped migrated-command-skills/ is not packed, and the placed copy holds only the skills made here
        CommandSkillsInteropTest.assertSameCopies(byCodex, byCxpm);

        // the generated files are expected: no drift
        for (List<String> args : List.of(List.of("sync", "--frozen"), List.of("sync", "--verify", "--yes"), List.of("doctor"))) {
            CliRun r = CliRun.in(project, env, args.toArray(String[]::new));
            assertThat(r.exitCode()).as("%s: %s%s", args, r.stdout(), r.stderr()).isZero();
        }
        // an edited one is drift, named, and --verify puts back what Codex would make
        Path commit = byCxpm.resolve(version).resolve(SKILLS + "source-command-commit/SKILL.md");
        Files.writeString(commit, codexFiles.get(SKILLS + "source-command-commit/SKILL.md").replace("Delegate", "Exfiltrate"));
        CliRun frozen = CliRun.in(project, env, "sync", "--frozen");
        assertThat(frozen.exitCode()).isNotZero();
        assertThat(frozen.stderr()).contains("source-command-commit/SKILL.md");
        CliRun verify = CliRun.in(project, env, "sync", "--verify", "--yes");
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertThat(files(byCxpm.resolve(version))).isEqualTo(codexFiles);
    }

    /**
     * `codex plugin add p@mk`, then a cxpm.toml naming p and `cxpm sync --yes`: the copy Codex made is the locked content
     * (its command skills expected), so sync adopts it as npm keeps a matching tree: no line for it, no file placed again,
     * the sync state and cxpm.lock written; --frozen, --json and doctor find nothing to do. (Before: `~ p@mk 1.2.0 ->
     * 1.2.0`, and the copy replaced.)
     */
    @Test
    void syncAdoptsTheCopyCodexInstalledWhenItHoldsTheLockedContent() throws IOException {
        Path market = Fixtures.marketplace(tmp.resolve("market"), "mk", "p", "1.2.0");
        Files.createDirectories(market.resolve("plugins/p/commands"));
        Files.writeString(market.resolve("plugins/p/commands/a.md"), "---\ndescription: A\n---\n\nDo A.\n");
        Path home = tmp.resolve("home");
        Path codexHome = tmp.resolve("codex-home");
        Path version = codexAdd(market, home, codexHome);
        Map<String, String> byCodex = files(version);
        assertThat(byCodex).containsKey(SKILLS + "source-command-a/SKILL.md");
        Object inode = Files.getAttribute(version.resolve("commands/a.md"), "unix:ino", LinkOption.NOFOLLOW_LINKS);

        Map<String, String> env = Fixtures.env(codexHome, home);
        Path project = projectIn(market, "mk", "p");
        CliRun sync = CliRun.in(project, env, "sync", "--yes");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(sync.stdout()).doesNotContain("p@mk").contains("Already in sync: 1 plugin(s)", "Wrote cxpm.lock.");
        assertThat(files(version)).isEqualTo(byCodex);
        assertThat(Files.getAttribute(version.resolve("commands/a.md"), "unix:ino", LinkOption.NOFOLLOW_LINKS))
                .as("Codex's copy kept, not placed again").isEqualTo(inode);
        assertThat(project.resolve("cxpm.lock")).exists();

        CliRun json = CliRun.in(project, env, "sync", "--frozen", "--json");
        assertThat(json.exitCode()).as(json.stderr()).isZero();
        assertThat(json.stdout()).contains("\"changes\" : [ ]");
        CliRun again = CliRun.in(project, env, "sync", "--yes");
        assertThat(again.stdout()).contains("Already in sync: 1 plugin(s)");
        CliRun doctor = CliRun.in(project, env, "doctor");
        assertThat(doctor.exitCode()).as(doctor.stdout() + doctor.stderr()).isZero();
        assertThat(Files.getAttribute(version.resolve("commands/a.md"), "unix:ino", LinkOption.NOFOLLOW_LINKS)).isEqualTo(inode);
        assertThat(new CodexClient(codexHome, home).run("plugin", "list", "--json").stdout())
                .contains("\"pluginId\": \"p@mk\"", "\"enabled\": true");
    }

    /**
     * The copy Codex installed is not the locked content (a file of it edited): sync places the locked one, and its line
     * says why rather than `~ p@mk 1.2.0 -> 1.2.0` (and under --json the action is `replace`); --frozen refuses it as drift.
     */
    @Test
    void syncSaysWhyItReplacesACopyOfTheSameVersionThatDiffers() throws IOException {
        Path market = Fixtures.marketplace(tmp.resolve("market"), "mk", "p", "1.2.0");
        Path home = tmp.resolve("home");
        Path codexHome = tmp.resolve("codex-home");
        Path version = codexAdd(market, home, codexHome);
        Map<String, String> byCodex = files(version);
        Files.writeString(version.resolve("skills/hello/SKILL.md"), "---\nname: hello\ndescription: Says goodbye\n---\nBye.\n");

        Map<String, String> env = Fixtures.env(codexHome, home);
        Path project = projectIn(market, "mk", "p");
        CliRun sync = CliRun.in(project, env, "sync", "--yes", "--json");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(sync.stdout()).contains("\"action\" : \"replace\"").doesNotContain("\"action\" : \"update\"");
        assertThat(files(version)).isEqualTo(byCodex);
        // recorded now: an edit after it is drift for --frozen
        Files.writeString(version.resolve("skills/hello/SKILL.md"), "edited\n");
        assertThat(CliRun.in(project, env, "sync", "--frozen").exitCode()).isNotZero();
    }

    /** The text line of a replace. */
    @Test
    void syncPrintsWhyItReplacesACopyOfTheSameVersion() throws IOException {
        Path market = Fixtures.marketplace(tmp.resolve("market"), "mk", "p", "1.2.0");
        Path home = tmp.resolve("home");
        Path codexHome = tmp.resolve("codex-home");
        Path version = codexAdd(market, home, codexHome);
        Files.writeString(version.resolve("extra.txt"), "added by hand\n");
        CliRun sync = CliRun.in(projectIn(market, "mk", "p"), Fixtures.env(codexHome, home), "sync", "--yes");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(sync.stdout()).contains("! p@mk 1.2.0 (its files differed from the locked content; replaced)")
                .doesNotContain("1.2.0 -> 1.2.0");
        assertThat(version.resolve("extra.txt")).doesNotExist();
    }

    /** `codex plugin add p@mk` of market into codexHome: the installed version's directory. */
    private static Path codexAdd(Path market, Path home, Path codexHome) {
        CodexClient codex = new CodexClient(codexHome, home);
        assertThat(codex.run("plugin", "marketplace", "add", market.toString()).exitCode()).isZero();
        CodexClient.Result add = codex.run("plugin", "add", "p@mk");
        assertThat(add.exitCode()).as(add.output()).isZero();
        return codexHome.resolve("plugins/cache/mk/p/1.2.0");
    }

    /**
     * A plugin that ships a file where a skill goes: the placed copy's other files are the store's (hard links), what Codex
     * drops is not packed into the store, and the skill is a file of the copy alone.
     */
    @Test
    void theSkillsAreNewFilesOfThePlacedCopyNotWrittenIntoTheStore() throws IOException {
        Path market = Fixtures.marketplace(tmp.resolve("market"), "mk", "p", "1.2.0");
        Path plugin = market.resolve("plugins/p");
        Files.createDirectories(plugin.resolve("commands"));
        Files.writeString(plugin.resolve("commands/a.md"), "---\ndescription: A\n---\n\nDo A.\n");
        Files.createDirectories(plugin.resolve(SKILLS + "source-command-a"));
        Files.writeString(plugin.resolve(SKILLS + "source-command-a/SKILL.md"), "shipped\n");
        Path home = tmp.resolve("home");
        Path codexHome = tmp.resolve("codex-home");
        Path project = tmp.resolve("project");
        Files.createDirectories(project);
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\nmk = \"" + market + "\"\n\n[plugins]\np = \"^1\"\n");
        CliRun sync = CliRun.in(project, Fixtures.env(codexHome, home), "sync", "--yes");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();

        Path version = codexHome.resolve("plugins/cache/mk/p/1.2.0");
        Path inStore = storeFile(home.resolve(".cache/cxpm/store"), "commands/a.md");
        assertThat(Files.readAttributes(version.resolve("commands/a.md"), "unix:ino", LinkOption.NOFOLLOW_LINKS))
                .as("placed by hard link").isEqualTo(Files.readAttributes(inStore, "unix:ino", LinkOption.NOFOLLOW_LINKS));
        try (Stream<Path> inStore2 = Files.walk(home.resolve(".cache/cxpm/store"))) {
            assertThat(inStore2.filter(f -> f.toString().contains("migrated-command-skills")))
                    .as("what Codex drops is not packed (CodexCopy)").isEmpty();
        }
        Path skill = version.resolve(SKILLS + "source-command-a/SKILL.md");
        assertThat(Files.readString(skill)).startsWith("---\nname: \"source-command-a\"");
        assertThat(Files.getAttribute(skill, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).as("a file of the copy alone").isEqualTo(1);
    }

    private Path project(Path market, String... plugins) throws IOException {
        return projectIn(market, "fx", plugins);
    }

    private Path projectIn(Path market, String marketplace, String... plugins) throws IOException {
        Path project = tmp.resolve("project");
        Files.createDirectories(project);
        StringBuilder toml = new StringBuilder("[marketplaces]\n" + marketplace + " = \"" + market + "\"\n\n[plugins]\n");
        for (String p : plugins) {
            toml.append(p).append(" = \"^1\"\n");
        }
        Files.writeString(project.resolve("cxpm.toml"), toml);
        return project;
    }

    /** The one file of the store's unpacked trees at this path under a tree's files/. */
    private static Path storeFile(Path store, String path) throws IOException {
        try (Stream<Path> s = Files.walk(store)) {
            List<Path> found = s.filter(f -> f.toString().endsWith(".tree/files/" + path)).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }
}
