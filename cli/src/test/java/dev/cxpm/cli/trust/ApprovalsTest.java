package dev.cxpm.cli.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.cli.Env;
import dev.cxpm.cli.Main;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.cli.output.JsonOutput;
import dev.cxpm.core.approve.RunSurface;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals bound to content, end to end on real files: what a plugin runs (its MCP servers, hooks, apps) is approved by
 * hash; an update, sync or install that would run anything else stops before writing, with the diff and the command that
 * approves it; nobody is ever asked when stdin is not a terminal; CI's --frozen takes only cxpm.lock's approvals.
 */
class ApprovalsTest {

    @TempDir
    Path dir;

    private static final String HINT = "hint: review it, then run `cxpm approve gh@fx` and this command again (or run it again with --yes)";

    /** Marketplace fx: gh, whose MCP server runs COMMAND (on every PATH), and plain, which runs nothing. */
    private TeamFixture team(String version, String command) {
        TeamFixture t = new TeamFixture(dir).plugin("gh", version).plugin("plain", "1.0.0");
        TeamFixture.write(t.market.resolve("plugins/gh/.mcp.json"), """
                {"mcpServers": {"gh": {"command": "%s", "args": ["-c", "exit 0"], "env": {"LEVEL": "info"}}}}
                """.formatted(command));
        return t;
    }

    /** As CliRun, with a stdin that is (or is not) a terminal and gives these lines. */
    private CliRun run(Path cwd, Map<String, String> vars, boolean terminal, String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = new HashMap<>(vars);
        env.putIfAbsent("PATH", System.getenv("PATH"));
        Env e = new Env(env, cwd, new PrintWriter(out, true), new PrintWriter(err, true), Clock.systemUTC(), Env.Stderr.OTHER,
                new Env.Stdin(terminal, new BufferedReader(new StringReader(input))));
        int code = Main.run(e, args);
        return new CliRun(code, out.toString(), err.toString());
    }

    private static String approved(String lock) {
        Matcher m = Pattern.compile("approved = \"(sha256-[^\"]+)\"").matcher(lock);
        assertThat(m.find()).as("an approved line in\n" + lock).isTrue();
        return m.group(1);
    }

    /**
     * Every plugin of a big first sync is approved for what it runs: the MCP servers the prerequisite check reads on the
     * small pool (wt-first, session 12) were read half-way when the pool was closed before its results were taken, and
     * a plugin read by an interrupted job ran nothing as far as the approvals could tell (its approval went missing from
     * cxpm.lock, and a --frozen sync then refused it).
     */
    @Test
    void aFirstSyncOfManyPluginsApprovesWhatEachOneRuns() {
        TeamFixture t = new TeamFixture(dir);
        int n = 200;
        List<String> needs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "p" + i;
            t.plugin(name, "1.0.0");
            needs.add(name);
            needs.add("^1");
            TeamFixture.write(t.market.resolve("plugins/" + name + "/.mcp.json"), """
                    {"mcpServers": {"%s": {"command": "sh", "args": ["-c", "exit 0"]}}}
                    """.formatted(name));
        }
        t.needs(needs.toArray(String[]::new));
        CliRun first = t.cxpm("sync", "--yes");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        String lock = t.read(t.project.resolve("cxpm.lock"));
        assertThat(Pattern.compile("approved = \"sha256-").matcher(lock).results().count()).as(lock).isEqualTo(n);
    }

    @Test
    void anUpdateThatChangesAnMcpCommandIsStoppedUntilApprovedThenGoesThrough() {
        TeamFixture t = team("1.0.0", "sh").needs("gh", "^1", "plain", "^1");
        CliRun first = t.cxpm("sync", "--yes");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        String lock = t.read(t.project.resolve("cxpm.lock"));
        String approvedBefore = approved(lock);
        assertThat(lock).doesNotContainPattern("name = \"plain\"[^\\[]*approved").as("a plugin that runs nothing needs no approval");

        team("1.1.0", "bash");
        Map<String, String> home = TeamFixture.tree(t.codexHome());
        CliRun stopped = t.cxpm("update", "gh");
        assertThat(stopped.exitCode()).as(stopped.stderr()).isEqualTo(9);
        assertThat(stopped.stderr()).isEqualTo("""
                error: a plugin would run code that is not approved; nothing was changed:
                  gh@fx changes what it runs (%s, approved was %s):
                    ~ mcp server "gh": command "sh" -> "bash"
                %s
                """.formatted(RunSurface.fromJson(bashSurface()).hash(), approvedBefore, HINT));
        assertThat(t.read(t.project.resolve("cxpm.lock"))).as("cxpm.lock unchanged").isEqualTo(lock);
        assertThat(TeamFixture.tree(t.codexHome())).as("the Codex home unchanged but for cxpm's own approvals file")
                .isEqualTo(withoutApprovals(TeamFixture.tree(t.codexHome()), home));

        CliRun approve = t.cxpm("approve", "gh", "--yes");
        assertThat(approve.exitCode()).as(approve.stderr()).isZero();
        assertThat(approve.stdout()).contains("gh@fx runs (" + RunSurface.fromJson(bashSurface()).hash() + ", from stopped command):",
                "  mcp server \"gh\": command \"bash\"", "  mcp server \"gh\": args [\"-c\", \"exit 0\"]", "  mcp server \"gh\": env \"LEVEL\"",
                "Approved gh@fx");

        CliRun updated = t.cxpm("update", "gh");
        assertThat(updated.exitCode()).as(updated.stderr()).isZero();
        assertThat(updated.stdout()).contains("gh: 1.0.0 -> 1.1.0");
        String after = t.read(t.project.resolve("cxpm.lock"));
        assertThat(after).contains("version = \"1.1.0\"");
        assertThat(approved(after)).isEqualTo(RunSurface.fromJson(bashSurface()).hash().text()).isNotEqualTo(approvedBefore);
        assertThat(t.codexHome().resolve("plugins/cache/fx/gh/1.1.0/.mcp.json")).exists();
    }

    private static JsonNode bashSurface() {
        try {
            return JsonOutput.mapper().readTree("{\"mcpServers\": {\"gh\": {\"command\": \"bash\", \"args\": [\"-c\", \"exit 0\"], \"env\": [\"LEVEL\"]}}}");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** before, with the approvals file as it is now (the one thing a stopped command may write: what it stopped at). */
    private static Map<String, String> withoutApprovals(Map<String, String> now, Map<String, String> before) {
        Map<String, String> expected = new HashMap<>(before);
        now.forEach((k, v) -> {
            if (k.endsWith(".cxpm/approvals.json")) {
                expected.put(k, v);
            }
        });
        return expected;
    }

    @Test
    void syncFrozenFailsOnAnUnapprovedChangeAndOnAHandEditedApproval() throws Exception {
        TeamFixture t = team("1.0.0", "sh").needs("gh", "^1");
        assertThat(t.cxpm("sync", "--yes").exitCode()).isZero();
        String lock = t.read(t.project.resolve("cxpm.lock"));
        CliRun ci = t.cxpmIn(t.project, "ci-home", "sync", "--frozen");
        assertThat(ci.exitCode()).as("the committed approval passes on a fresh machine: " + ci.stderr()).isZero();

        String forged = RunSurface.none().hash().text();
        Files.writeString(t.project.resolve("cxpm.lock"), lock.replace(approved(lock), forged));
        CliRun refused = t.cxpmIn(t.project, "ci-home-2", "sync", "--frozen");
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(9);
        assertThat(refused.stderr()).contains("gh@fx runs, not approved yet (" + approved(lock) + "):",
                "  + mcp server \"gh\": command \"sh\"", "(approved was " + forged + ", whose content is not at hand to compare)",
                "hint: review it where you can, run `cxpm approve gh@fx` there and commit cxpm.lock");
        assertThat(t.dir.resolve("ci-home-2/plugins/cache/fx/gh")).doesNotExist();

        Files.writeString(t.project.resolve("cxpm.lock"), lock.replaceAll("approved = \"[^\"]+\"\n", ""));
        CliRun unapproved = t.cxpmIn(t.project, "codex-home", "sync", "--frozen");
        assertThat(unapproved.exitCode()).as("this user's own approval does not count in CI: " + unapproved.stderr()).isEqualTo(9);
        assertThat(unapproved.stderr()).contains("gh@fx");
    }

    /**
     * What a plugin runs is read from the bytes about to be installed, not taken from what the store recorded: an edit
     * of the store's tree that keeps each file's size, inode and time (which the tree's one lstat a file cannot tell) is
     * still caught by the approval on a frozen sync into a fresh home, before anything is placed.
     */
    @Test
    void aStoreTreeEditedToLookUntouchedIsStillCheckedForWhatItRunsOnAFrozenSync() throws Exception {
        TeamFixture t = team("1.0.0", "sh").needs("gh", "^1");
        assertThat(t.cxpm("sync", "--yes").exitCode()).isZero();
        String lock = t.read(t.project.resolve("cxpm.lock"));
        Path mcp;
        try (java.util.stream.Stream<Path> walk = Files.walk(dir.resolve("store"))) {
            mcp = walk.filter(p -> p.toString().contains(".tree/files/") && p.getFileName().toString().equals(".mcp.json"))
                    .findFirst().orElseThrow();
        }
        String text = Files.readString(mcp);
        java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(mcp);
        Object inode = Files.readAttributes(mcp, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        Files.writeString(mcp, text.replace("\"command\": \"sh\"", "\"command\": \"id\"")); // in place, same size
        Files.setLastModifiedTime(mcp, time);
        assertThat(Files.size(mcp)).isEqualTo(text.length());
        assertThat(Files.readAttributes(mcp, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(inode);

        CliRun ci = t.cxpmIn(t.project, "ci-home", "sync", "--frozen");
        assertThat(ci.exitCode()).as(ci.stderr()).isEqualTo(9);
        assertThat(ci.stderr()).contains("gh@fx changes what it runs", "~ mcp server \"gh\": command \"sh\" -> \"id\"");
        assertThat(t.dir.resolve("ci-home/plugins/cache/fx/gh")).doesNotExist();
        assertThat(t.read(t.project.resolve("cxpm.lock"))).isEqualTo(lock);
    }

    @Test
    void stdinThatIsNotATerminalIsNeverAskedEvenWhenItCouldAnswer() {
        TeamFixture t = team("1.0.0", "sh");
        Map<String, String> env = t.env("codex-home");
        assertThat(run(dir, env, false, "", "marketplace", "add", t.market.toString()).exitCode()).isZero();

        CliRun piped = run(dir, env, false, "y\n", "install", "gh@fx");
        assertThat(piped.exitCode()).as(piped.stderr()).isEqualTo(9);
        assertThat(piped.stderr()).doesNotContain("[y/N]").contains("gh@fx runs, not approved yet", "+ mcp server \"gh\": command \"sh\"", HINT);
        assertThat(t.codexHome().resolve("plugins/cache/fx/gh")).doesNotExist();
        assertThat(t.read(t.codexHome().resolve("config.toml"))).doesNotContain("gh@fx");

        CliRun json = run(dir, env, true, "y\n", "install", "gh@fx", "--json");
        assertThat(json.exitCode()).as("--json output is for a program: nobody is asked").isEqualTo(9);
        assertThat(json.stderr()).doesNotContain("[y/N]");

        CliRun no = run(dir, env, true, "n\n", "install", "gh@fx");
        assertThat(no.exitCode()).isEqualTo(9);
        assertThat(no.stderr()).contains("Approve what gh@fx runs? [y/N] ");
        assertThat(t.codexHome().resolve("plugins/cache/fx/gh")).doesNotExist();

        CliRun yes = run(dir, env, true, "y\n", "install", "gh@fx");
        assertThat(yes.exitCode()).as(yes.stderr()).isZero();
        assertThat(yes.stderr()).contains("gh@fx runs, not approved yet", "+ mcp server \"gh\": args [\"-c\", \"exit 0\"]",
                "Approve what gh@fx runs? [y/N] ");
        assertThat(t.codexHome().resolve("plugins/cache/fx/gh/1.0.0/.mcp.json")).exists();
        assertThat(t.read(t.codexHome().resolve(".cxpm/approvals.json"))).contains("\"gh@fx\"");

        CliRun again = run(dir, env, false, "", "install", "gh@fx");
        assertThat(again.exitCode()).as("what was approved installs without asking: " + again.stderr()).isZero();
        CliRun plain = run(dir, env, false, "", "install", "plain@fx");
        assertThat(plain.exitCode()).as("a plugin that runs nothing needs no approval: " + plain.stderr()).isZero();
    }

    @Test
    void aUserInstallUpdateThatSwitchesToARemoteUrlShowsTheDiffAndApproveJsonRecordsIt() throws Exception {
        TeamFixture t = team("1.0.0", "sh");
        Map<String, String> env = t.env("codex-home");
        run(dir, env, false, "", "marketplace", "add", t.market.toString());
        assertThat(run(dir, env, false, "", "install", "gh@fx", "--yes").exitCode()).isZero();
        TeamFixture.write(t.market.resolve("plugins/gh/.mcp.json"), "{\"mcpServers\": {\"gh\": {\"url\": \"https://mcp.example.test/gh\"}}}");

        CliRun stopped = run(dir, env, false, "", "install", "gh@fx");
        assertThat(stopped.exitCode()).isEqualTo(9);
        assertThat(stopped.stderr()).contains("- mcp server \"gh\": command \"sh\"", "+ mcp server \"gh\": url \"https://mcp.example.test/gh\"");

        CliRun notAsked = run(dir, env, false, "y\n", "approve", "gh@fx");
        assertThat(notAsked.exitCode()).isEqualTo(2);
        assertThat(notAsked.stderr()).contains("nothing was approved: stdin is not a terminal");

        CliRun json = run(dir, env, false, "", "approve", "gh@fx", "--yes", "--json");
        assertThat(json.exitCode()).as(json.stderr()).isZero();
        JsonNode o = JsonOutput.mapper().readTree(json.stdout()).path("plugins").path(0);
        assertThat(o.path("pluginId").asText()).isEqualTo("gh@fx");
        assertThat(o.path("runs").path("mcpServers").path("gh").path("url").asText()).isEqualTo("https://mcp.example.test/gh");
        assertThat(o.path("changes").toString()).contains("\"kind\":\"removed\"", "\"kind\":\"added\"");
        assertThat(o.path("recordedIn").toString()).isEqualTo("[\"user\"]");
        assertThat(run(dir, env, false, "", "install", "gh@fx").exitCode()).isZero();
    }
    @Test
    void aProjectsApprovalsGoIntoCxpmLockSoATeammateAndCiNeedNoneOfTheirOwn() throws Exception {
        TeamFixture t = team("1.0.0", "sh").needs("gh", "^1");
        Map<String, String> env = t.env("codex-home");
        CliRun first = run(t.project, env, false, "y\n", "sync");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(9);
        assertThat(first.stderr()).contains("gh@fx runs, not approved yet", HINT).doesNotContain("[y/N]");
        assertThat(t.project.resolve("cxpm.lock")).doesNotExist();

        assertThat(run(t.project, env, false, "", "approve", "--yes").exitCode()).as("everything pending").isZero();
        CliRun synced = run(t.project, env, false, "", "sync");
        assertThat(synced.exitCode()).as("the user's approval is recorded in cxpm.lock: " + synced.stderr()).isZero();
        String lock = t.read(t.project.resolve("cxpm.lock"));
        assertThat(t.cxpmIn(t.project, "ci-home", "sync", "--frozen").exitCode()).as("CI takes cxpm.lock's approval").isZero();

        team("1.1.0", "bash");
        CliRun asked = run(t.project, env, true, "y\n", "update");
        assertThat(asked.exitCode()).as(asked.stderr()).isZero();
        assertThat(asked.stderr()).contains("~ mcp server \"gh\": command \"sh\" -> \"bash\"", "Approve what gh@fx runs? [y/N] ");
        String updated = t.read(t.project.resolve("cxpm.lock"));
        assertThat(approved(updated)).isNotEqualTo(approved(lock));

        // a lockfile from before approvals: the installed plugin is asked about once, then approve writes cxpm.lock itself
        Files.writeString(t.project.resolve("cxpm.lock"), updated.replaceAll("approved = \"[^\"]+\"\n", ""));
        assertThat(run(t.project, env, false, "", "sync").exitCode()).isEqualTo(9);
        CliRun approve = run(t.project, env, false, "", "approve", "gh", "--yes");
        assertThat(approve.exitCode()).as(approve.stderr()).isZero();
        assertThat(approve.stdout()).contains("recorded for you and in cxpm.lock (commit it for your team)");
        assertThat(t.read(t.project.resolve("cxpm.lock"))).isEqualTo(updated);
        assertThat(run(t.project, env, false, "", "sync").exitCode()).isZero();
    }
}
