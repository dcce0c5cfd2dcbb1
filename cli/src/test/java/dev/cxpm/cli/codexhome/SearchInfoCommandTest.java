package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchInfoCommandTest {

    @TempDir
    Path tmp;
    Map<String, String> env;
    Path codexHome;
    Path home;

    @BeforeEach
    void setUp() throws Exception {
        codexHome = tmp.resolve("codex-home");
        home = tmp.resolve("home");
        env = new HashMap<>(Fixtures.env(codexHome, home));
        Path a = Fixtures.marketplace(tmp.resolve("a"), "team", "github-tools", "1.2.0", "notes", "0.3.0");
        Files.writeString(a.resolve("plugins/github-tools/.codex-plugin/plugin.json"), """
                {"name": "github-tools", "version": "1.2.0", "description": "Work with GitHub issues and pull requests",
                 "keywords": ["git", "review"],
                 "interface": {"displayName": "GitHub Tools", "category": "Coding", "capabilities": ["Interactive"]},
                 "prerequisites": {"commands": {"npx": "Node.js 18+ from https://nodejs.org"},
                                   "env": {"GITHUB_TOKEN": "a token with repo scope"}}}
                """);
        Files.writeString(a.resolve("plugins/github-tools/.mcp.json"), """
                {"mcpServers": {"github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
                                           "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_TOKEN}"}}}}
                """);
        Files.writeString(a.resolve("plugins/notes/.codex-plugin/plugin.json"), """
                {"name": "notes", "version": "0.3.0", "description": "Take notes; mentions github once"}
                """);
        Path b = Fixtures.marketplace(tmp.resolve("b"), "other", "git-helper", "2.0.0");
        assertThat(cxpm("marketplace", "add", a.toString()).exitCode()).isZero();
        assertThat(cxpm("marketplace", "add", b.toString()).exitCode()).isZero();
    }

    CliRun cxpm(String... args) {
        return CliRun.in(tmp, env, args);
    }

    @Test
    void searchRanksNameMatchesAboveDescriptionMatches() {
        CliRun r = cxpm("search", "github", "--json");
        assertThat(r.exitCode()).isZero();
        String out = r.stdout();
        assertThat(out.indexOf("\"github-tools@team\"")).isPositive().isLessThan(out.indexOf("\"notes@team\""));
        assertThat(out).doesNotContain("git-helper@other");
    }

    @Test
    void searchLooksAcrossMarketplacesAndKeywords() {
        CliRun r = cxpm("search", "git");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("git-helper@other", "2.0.0", "github-tools@team", "1.2.0", "Work with GitHub issues");
    }

    @Test
    void searchLimitKeepsTheBestMatchesInTheirOrderAndSaysHowManyMatched() {
        String all = cxpm("search", "git").stdout();
        assertThat(all).contains("git-helper@other", "github-tools@team", "notes@team").doesNotContain("matching plugins shown");
        CliRun one = cxpm("search", "git", "--limit", "2");
        assertThat(one.exitCode()).isZero();
        String[] lines = all.split("\n");
        assertThat(one.stdout()).isEqualTo(lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n"
                + "(2 of 3 matching plugins shown; --limit 3 shows them all)\n");
        String json = cxpm("search", "git", "--limit", "1", "--json").stdout();
        assertThat(json).contains("\"pluginId\": \"git-helper@other\"", "\"matched\": 3").doesNotContain("github-tools@team");
        assertThat(cxpm("search", "git", "--json").stdout()).contains("\"matched\": 3");
        assertThat(cxpm("search", "git", "--limit", "0").exitCode()).isNotZero();
        assertThat(cxpm("search", "git", "--limit", "100001").stderr()).contains("--limit must be from 1 to 100000");
    }

    @Test
    void searchWithNoMatchSaysSo() {
        assertThat(cxpm("search", "zzz-nothing").stdout()).contains("No plugin matches 'zzz-nothing'.");
    }

    @Test
    void searchToleratesATypoButRanksItBelowExactMatches() throws Exception {
        Path c = Fixtures.marketplace(tmp.resolve("c"), "typos", "github-triage", "1.0.0", "nodes", "1.0.0");
        assertThat(cxpm("marketplace", "add", c.toString()).exitCode()).isZero();
        CliRun typo = cxpm("search", "githb");
        assertThat(typo.exitCode()).isZero();
        assertThat(typo.stdout()).contains("github-triage@typos", "github-tools@team").doesNotContain("No plugin matches");
        String ranked = cxpm("search", "notes", "--json").stdout();
        assertThat(ranked.indexOf("\"notes@team\"")).isPositive().isLessThan(ranked.indexOf("\"nodes@typos\""));
        assertThat(cxpm("search", "xyz").stdout()).contains("No plugin matches 'xyz'.");
        assertThat(cxpm("search", "xyzzyq").stdout()).contains("No plugin matches 'xyzzyq'.");
        assertThat(cxpm("search", "g".repeat(100_000)).stdout()).contains("No plugin matches");
    }

    /** A skill the real Codex CLI does not load (SkillFrontMatterAsCodexTest) is listed saying so, and why. */
    @Test
    void infoSaysWhichSkillsCodexDoesNotLoad() throws Exception {
        Path skills = tmp.resolve("a/plugins/notes/skills");
        Files.createDirectories(skills.resolve("twice"));
        Files.writeString(skills.resolve("twice/SKILL.md"), "---\nname: a\nname: b\ndescription: about twice\n---\n");
        Files.createDirectories(skills.resolve("flow"));
        Files.writeString(skills.resolve("flow/SKILL.md"), "---\nname: [b6\ndescription: about flow\nx: [\n---\n");
        CliRun r = cxpm("info", "notes@team");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("skills (3):\n    flow - about flow\n    hello - Says hello\n"
                + "    twice (Codex does not load it: SKILL.md line 3: `name` is given twice (lines 2 and 3))\n");
        String json = cxpm("info", "notes@team", "--json").stdout();
        assertThat(json).contains("\"codexSkips\": \"SKILL.md line 3: `name` is given twice (lines 2 and 3)\"");
        assertThat(json.split("codexSkips", -1)).hasSize(2);
    }

    @Test
    void infoShowsComponentsPrerequisitesAndSource() {
        Map<String, String> noToken = new HashMap<>(env);
        noToken.remove("GITHUB_TOKEN");
        CliRun r = CliRun.in(tmp, noToken, "info", "github-tools@team");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("github-tools@team 1.2.0", "display name: GitHub Tools", "skills (1):", "hello",
                "github: npx -y @modelcontextprotocol/server-github", "env GITHUB_TOKEN  [missing] - a token with repo scope",
                "source: local ./plugins/github-tools", "installed: no");
        CliRun json = cxpm("info", "github-tools", "--json");
        assertThat(json.stdout()).contains("\"versionsAvailable\": [", "\"command\": \"npx\"", "\"kind\": \"env\"");
    }

    @Test
    void infoOfALocalPluginWhoseManifestCannotBeReadSaysSoAndWhereToLook() throws Exception {
        Path notes = tmp.resolve("a/plugins/notes");
        Files.writeString(notes.resolve(".codex-plugin/plugin.json"), "{\"name\": \"notes\", ");
        CliRun r = cxpm("info", "notes@team");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("  components: not known: its files in the marketplace cannot be read (`cxpm validate "
                + notes.toRealPath() + "` says why)").doesNotContain("until installed");
    }

    @Test
    void infoOfAnUnknownPluginIsNotFound() {
        CliRun r = cxpm("info", "nope");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("plugin `nope` was not found in any configured marketplace");
    }

    @Test
    void searchWorksOfflineFromTheGitMarketplaceCloneAndShowsItsAge() throws Exception {
        Path repo = Fixtures.marketplace(tmp.resolve("repo"), "remote", "offline-plugin", "1.0.0");
        String url = Fixtures.gitRepo(repo, home, "remote");
        assertThat(cxpm("marketplace", "add", url).exitCode()).isZero();
        Files.delete(home.resolve(".gitconfig"));
        CliRun r = cxpm("search", "offline");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("offline-plugin@remote", "(marketplace remote: local copy updated");
    }

    @Test
    void infoReadsTheNamedPluginsFilesOnlyHoweverManyTheMarketplaceOffers() throws Exception {
        // 24 plugins whose manifests are 1 MiB each: reading every one (as info did, to show one) allocates over 24 MiB
        // of bytes alone, and as much again as text; reading the one asked for allocates a few
        int n = 24;
        String[] plugins = new String[2 * n];
        for (int i = 0; i < n; i++) {
            plugins[2 * i] = "big-" + i;
            plugins[2 * i + 1] = "1.0.0";
        }
        Path big = Fixtures.marketplace(tmp.resolve("big"), "big", plugins);
        String padding = "x".repeat(1 << 20);
        for (int i = 0; i < n; i++) {
            Files.writeString(big.resolve("plugins/big-" + i + "/.codex-plugin/plugin.json"),
                    "{\"name\": \"big-" + i + "\", \"version\": \"1.0.0\", \"description\": \"" + padding + "\"}\n");
        }
        assertThat(cxpm("marketplace", "add", big.toString()).exitCode()).isZero();
        assertThat(cxpm("info", "big-1@big").exitCode()).isZero(); // (classes loaded, caches warm)
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        CliRun r = cxpm("info", "big-7@big");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("big-7@big 1.0.0");
        assertThat(allocated).as("bytes allocated by info of one plugin of %d", n).isLessThan(12L << 20);
    }
}
