package dev.cxpm.cli.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.testkit.Fuzz;
import dev.cxpm.testkit.FuzzArchives;
import dev.cxpm.testkit.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the real commands on real inputs (the project's hostile-input rule): plugins of the public
 * corpus sample (manifests, skills, MCP and hook files) given to {@code validate} and {@code pack}; marketplaces in the
 * Codex and the Claude format given to {@code marketplace add} and {@code install}; the {@code cxpm.lock},
 * {@code cxpm.toml}, {@code config.toml} and sync state cxpm itself wrote, given to {@code sync --frozen}, {@code sync}
 * and {@code list}; an archive {@code cxpm pack} made, mutated as bytes and as a tar, given to {@code diff}. Every
 * outcome must be success or one of the documented exit codes with a message: never exit 70 (a crash), never a Java
 * exception in the output, never a write outside the case's directories, never a hang (each case has a generous
 * watchdog that fails naming the input, no assertion on speed), and a command that fails leaves the project's files
 * as they were. Fixed seeds and counts: the same inputs on every run, well under a minute.
 */
class HostileInputFuzzTest {

    private static final Duration WATCHDOG = Duration.ofSeconds(60);
    private static final Path FAILURES = Path.of("target/fuzz-failures");
    private static final long SEED = 20261206L;

    @TempDir
    Path tmp;

    /**
     * A run is acceptable when it ended with a documented code and printed no crash; output for people (not --json)
     * carries no terminal control from the input (HostileTextOnTerminalTest).
     */
    static void acceptable(Fuzz.Case c, CliRun r, String command) {
        String out = r.stdout() + r.stderr();
        if (r.exitCode() < 0 || r.exitCode() > 9 || out.contains("Exception") || out.contains("\tat ") || out.contains("\"internal\"")) {
            throw new AssertionError(command + " on " + c + ": exit " + r.exitCode() + "\n" + cut(out));
        }
        if (!r.stdout().trim().startsWith("{") && out.chars().anyMatch(ch -> ch == 0x1b || ch == 0x07 || ch == 0x202e || ch == 0x9b || ch == '\r')) {
            throw new AssertionError(command + " on " + c + " printed a terminal control:\n" + Fuzz.shown(cut(out)));
        }
    }

    private static String cut(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }

    /** The names directly under dir: what a case must not add to or remove from. */
    private static List<String> top(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<Path> files(Path root, String... endings) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                for (String e : endings) {
                    if (p.getFileName().toString().endsWith(e)) {
                        return true;
                    }
                }
                return false;
            }).sorted().toList();
        }
    }

    private static Map<String, String> env(Path base, String home) {
        return Map.of("CODEX_HOME", base.resolve(home).toString(), "CXPM_STORE", base.resolve("store").toString(),
                "HOME", base.resolve("home").toString());
    }

    @Test
    void realPluginsWithAMutatedFileAreValidatedAndPackedOrRefusedNeverCrash() throws Exception {
        Path corpus = Shared.corpusSample().resolve("corpus");
        List<Path> manifests = new ArrayList<>(files(corpus, "plugin.json"));
        manifests.addAll(files(Shared.codexFixtures(), "plugin.json")); // .app.json and the shapes Codex's tests hold
        List<Path> plugins = manifests.stream().filter(p -> p.getParent().getFileName().toString().endsWith("-plugin"))
                .map(p -> p.getParent().getParent()).distinct().toList();
        assertThat(plugins).hasSizeGreaterThan(50);
        Path work = Files.createDirectories(tmp.resolve("work"));
        List<String> before = top(tmp);
        List<Fuzz.Case> cases = new ArrayList<>();
        List<Path> roots = new ArrayList<>();
        List<Path> targets = new ArrayList<>();
        for (Path plugin : plugins) {
            for (Path f : files(plugin, ".json", ".md", ".yaml", ".yml")) {
                for (Fuzz.Case c : Fuzz.mutations(f.toString(), Files.readAllBytes(f), 1, SEED)) {
                    cases.add(c);
                    roots.add(plugin);
                    targets.add(plugin.relativize(f));
                }
            }
        }
        // a .cxpmignore (its patterns were once compiled as regular expressions: [z-a] crashed, *a*a*...*b hung)
        byte[] ignore = "# build output\nnode_modules/\n*.log\n/dist/**\n!dist/keep.txt\n[Tt]emp?/\n**/cache/*.tmp\n\\#literal\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (Fuzz.Case c : Fuzz.mutations(".cxpmignore", ignore, 40, SEED)) {
            cases.add(c);
            roots.add(plugins.getFirst());
            targets.add(Path.of(".cxpmignore"));
        }
        assertThat(cases).hasSizeGreaterThan(200);
        java.util.Map<Fuzz.Case, Integer> at = new java.util.IdentityHashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            at.put(cases.get(i), i);
        }
        Fuzz.run(cases, WATCHDOG, FAILURES, c -> {
            int i = at.get(c);
            Path dir = work.resolve("p" + i);
            Path plugin = dir.resolve(roots.get(i).getFileName().toString());
            Trees.copy(roots.get(i), plugin);
            Files.write(plugin.resolve(targets.get(i).toString()), c.bytes());
            acceptable(c, CliRun.in(dir, env(dir, "codex-home"), "validate", "--json", plugin.toString()), "validate");
            acceptable(c, CliRun.in(dir, env(dir, "codex-home"), "pack", plugin.toString(), "-o", dir.resolve("out.tgz").toString()), "pack");
            assertThat(top(tmp)).as("nothing written beside the case's directory").isEqualTo(before);
            Trees.delete(dir);
        });
    }

    @Test
    void marketplacesInBothFormatsMutatedAreAddedAndInstalledFromOrRefusedNeverCrash() throws Exception {
        Path corpus = Shared.corpusSample().resolve("corpus");
        List<Path> manifests = new ArrayList<>(files(corpus, "marketplace.json"));
        manifests.addAll(files(Shared.codexFixtures(), "marketplace.json").stream()
                .filter(m -> m.getParent().getFileName().toString().equals(".claude-plugin") || m.getParent().endsWith(".agents/plugins")).toList());
        assertThat(manifests).anyMatch(p -> p.toString().contains(".claude-plugin")).anyMatch(p -> p.toString().contains(".agents"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        List<String> before = top(tmp);
        List<Fuzz.Case> cases = new ArrayList<>();
        java.util.Map<Fuzz.Case, Path> of = new java.util.IdentityHashMap<>();
        for (Path m : manifests) {
            for (Fuzz.Case c : Fuzz.mutations(m.toString(), Files.readAllBytes(m), m.startsWith(corpus) ? 8 : 2, SEED)) {
                cases.add(c);
                of.put(c, m);
            }
        }
        int[] n = {0};
        Fuzz.run(cases, WATCHDOG, FAILURES, c -> {
            Path m = of.get(c);
            Path repo = m.getParent().getParent().getFileName().toString().equals("plugins") ? m.getParent().getParent().getParent() : m.getParent().getParent();
            Path dir = work.resolve("m" + n[0]++);
            Path copy = dir.resolve("repo");
            Trees.copy(repo, copy);
            // the other format's manifest would be read first: only the mutated one is left
            for (Path other : List.of(copy.resolve(".agents/plugins/marketplace.json"), copy.resolve(".claude-plugin/marketplace.json"))) {
                Files.deleteIfExists(other);
            }
            Files.write(copy.resolve(repo.relativize(m).toString()), c.bytes());
            com.fasterxml.jackson.databind.JsonNode original;
            try {
                original = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readAllBytes(m));
            } catch (IOException notJson) { // a fixture of invalid JSON
                original = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            String name = original.path("name").asText("x");
            String plugin = original.path("plugins").path(0).path("name").asText("x");
            Map<String, String> env = env(dir, "codex-home");
            acceptable(c, CliRun.in(dir, env, "marketplace", "add", copy.toString()), "marketplace add");
            acceptable(c, CliRun.in(dir, env, "install", plugin + "@" + name), "install");
            acceptable(c, CliRun.in(dir, env, "list", "--json"), "list");
            assertThat(top(tmp)).as("nothing written beside the case's directory").isEqualTo(before);
            Trees.delete(dir);
        });
    }

    @Test
    void projectFilesAndTheCodexHomeCxpmWroteMutatedAreSyncedAndListedOrRefusedAndLoseNothing() throws Exception {
        TeamFixture t = new TeamFixture(tmp.resolve("team")).plugin("app", "1.2.0", "util", "^2").plugin("util", "2.0.5")
                .needs("app", "^1");
        CliRun first = t.cxpm("sync");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        // what a Codex user's config.toml holds beside cxpm's tables (the shapes of Codex's own docs and writes)
        Files.writeString(t.codexHome().resolve("config.toml"), Files.readString(t.codexHome().resolve("config.toml")) + """

                model = "gpt-5-codex"
                approval_policy = "on-request"
                sandbox_mode = "workspace-write"

                [features]
                web_search_request = true

                [projects."/home/user/src/app"]
                trust_level = "trusted"

                [mcp_servers.github]
                command = "npx"
                args = ["-y", "@modelcontextprotocol/server-github@1.2.3"]
                env = { GITHUB_TOKEN = "${GITHUB_TOKEN}" }
                startup_timeout_sec = 20

                [shell_environment_policy]
                inherit = "core"
                exclude = ["AWS_*", "AZURE_*"]
                """);
        CliRun again = t.cxpm("list", "--json");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        Path pristine = tmp.resolve("pristine");
        Trees.copy(t.project, pristine.resolve("project"));
        Trees.copy(t.codexHome(), pristine.resolve("codex-home"));
        record Seed(String name, Path file, String[] command) {
        }
        List<Seed> seeds = List.of(
                new Seed("cxpm.lock", t.project.resolve("cxpm.lock"), new String[] {"sync", "--frozen"}),
                new Seed("cxpm.lock", t.project.resolve("cxpm.lock"), new String[] {"sync"}),
                new Seed("cxpm.toml", t.project.resolve("cxpm.toml"), new String[] {"sync"}),
                new Seed("config.toml", t.codexHome().resolve("config.toml"), new String[] {"list", "--json"}),
                new Seed("config.toml", t.codexHome().resolve("config.toml"), new String[] {"sync"}),
                new Seed("sync-state.json", t.codexHome().resolve(".cxpm/sync-state.json"), new String[] {"sync"}));
        List<Fuzz.Case> cases = new ArrayList<>();
        java.util.Map<Fuzz.Case, Seed> of = new java.util.IdentityHashMap<>();
        for (Seed s : seeds) {
            for (Fuzz.Case c : Fuzz.mutations(s.name() + " " + String.join(" ", s.command()), Files.readAllBytes(s.file()), 30, SEED)) {
                cases.add(c);
                of.put(c, s);
            }
        }
        List<String> before = top(tmp);
        List<String> beside = top(t.dir);
        Fuzz.run(cases, WATCHDOG, FAILURES, c -> {
            Seed s = of.get(c);
            Trees.delete(t.project);
            Trees.delete(t.codexHome());
            Trees.copy(pristine.resolve("project"), t.project);
            Trees.copy(pristine.resolve("codex-home"), t.codexHome());
            Files.write(s.file(), c.bytes());
            byte[] lock = Files.readAllBytes(t.project.resolve("cxpm.lock"));
            byte[] toml = Files.readAllBytes(t.project.resolve("cxpm.toml"));
            CliRun r = t.cxpm(s.command());
            acceptable(c, r, String.join(" ", s.command()));
            if (r.exitCode() == 0) {
                CliRun list = t.cxpm("list", "--json");
                assertThat(list.exitCode()).as("what %s wrote reads back: %s\n%s", s.command()[0], c, list.stdout() + list.stderr()).isZero();
            } else {
                assertThat(Files.readAllBytes(t.project.resolve("cxpm.lock"))).as("a failed %s keeps cxpm.lock: %s", s.command()[0], c).isEqualTo(lock);
                assertThat(Files.readAllBytes(t.project.resolve("cxpm.toml"))).as("a failed %s keeps cxpm.toml: %s", s.command()[0], c).isEqualTo(toml);
            }
            assertThat(top(tmp)).as("nothing written outside the fixture").isEqualTo(before);
            assertThat(top(t.dir)).as("nothing written beside the project and home").isEqualTo(beside);
        });
    }

    @Test
    void anArchivePackMadeMutatedAsBytesAndAsATarIsComparedOrRefusedNeverCrash() throws Exception {
        Path corpus = Shared.corpusSample().resolve("corpus");
        Path good = tmp.resolve("good.tgz");
        // the first real plugin that packs as it is (several fail validate --strict, which pack applies)
        for (Path plugin : files(corpus, "plugin.json").stream().map(p -> p.getParent().getParent()).toList()) {
            if (CliRun.in(tmp, env(tmp, "codex-home"), "pack", plugin.toString(), "-o", good.toString()).exitCode() == 0) {
                break;
            }
        }
        assertThat(good).exists();
        byte[] gz = Files.readAllBytes(good);
        byte[] tar = FuzzArchives.gunzip(gz);
        List<Fuzz.Case> cases = new ArrayList<>(Fuzz.mutations("good.tgz", gz, 30, SEED));
        for (Fuzz.Case c : Fuzz.mutations("good.tar", tar, 60, SEED)) {
            cases.add(new Fuzz.Case(c.seed(), c.index(), c.mutation() + ", gzipped", FuzzArchives.gzip(c.bytes())));
        }
        cases.addAll(FuzzArchives.entryMutations(tar, 25, SEED));
        cases.add(FuzzArchives.bomb());
        Path work = Files.createDirectories(tmp.resolve("work"));
        List<String> before = top(tmp);
        int[] n = {0};
        Fuzz.run(cases, WATCHDOG, FAILURES, c -> {
            Path dir = work.resolve("a" + n[0]++);
            Path bad = Files.write(Files.createDirectories(dir).resolve("plugin.tgz"), c.bytes());
            acceptable(c, CliRun.in(dir, env(dir, "codex-home"), "diff", good.toString(), bad.toString(), "--json"), "diff");
            assertThat(top(tmp)).as("nothing written beside the case's directory").isEqualTo(before);
            Trees.delete(dir);
        });
    }
}
