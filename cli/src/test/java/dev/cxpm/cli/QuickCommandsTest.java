package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.cli.fixtures.TeamFixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link QuickCommands} parses list, validate, install and sync without picocli: every combination of their options and
 * arguments, on good and broken input, must print the same stdout and stderr and exit with the same code as through
 * picocli, each run from the same Codex home; and everything it does not take must reach picocli.
 */
class QuickCommandsTest {
    @TempDir
    Path tmp;
    Path home;
    Path base;
    Map<String, String> vars;

    @BeforeEach
    void homeWithOneMarketplaceAndOneInstalledPlugin() throws IOException {
        Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0", "other", "2.0.0", "noversion", null);
        home = tmp.resolve("codex");
        vars = new HashMap<>(Fixtures.env(home, Files.createDirectories(tmp.resolve("home"))));
        assertThat(run(true, "marketplace", "add", tmp.resolve("mk").toString()).code()).isZero();
        assertThat(run(true, "install", "other@fx").code()).isZero();
        base = tmp.resolve("base");
        copy(home, base.resolve("codex"));
        copy(tmp.resolve("home"), base.resolve("home"));
        Fixtures.plugin(tmp.resolve("good"), "{\"name\": \"good\", \"version\": \"1.0.0\", \"description\": \"Good\"}");
        Fixtures.plugin(tmp.resolve("weak"), "{\"name\": \"weak\", \"version\": \"one\"}");
        Files.createDirectories(tmp.resolve("bad/.codex-plugin"));
        Files.writeString(tmp.resolve("bad/.codex-plugin/plugin.json"), "{\"name\": \"bad\",, }\n");
    }

    @Test
    void listPrintsTheSameWithAndWithoutPicocli() throws Exception {
        for (String name : List.of("list", "ls")) {
            same(name);
            same(name, "--json");
        }
        Files.writeString(base.resolve("codex/config.toml"), "[plugins.\"other@fx\"]\nenabled = true\nenabled = false\n");
        same("list");
        same("list", "--json");
        Files.writeString(base.resolve("codex/config.toml"), "[plugins.\"other@fx\"]\nenabled = maybe\n");
        same("list");
    }

    @Test
    void versionPrintsTheSameWithAndWithoutPicocli() throws Exception {
        same("--version");
        same("-V");
    }

    @Test
    void validatePrintsTheSameWithAndWithoutPicocli() throws Exception {
        List<List<String>> optionSets = List.of(List.of(), List.of("--json"), List.of("--strict"), List.of("--json", "--strict"),
                List.of("--strict", "--json"));
        List<List<String>> pathSets = List.of(List.of(), List.of(tmp.resolve("good").toString()), List.of("weak"), List.of("bad"),
                List.of("nowhere"), List.of("good", "bad"), List.of("weak", "good", "weak"), List.of(""),
                List.of(tmp.resolve("mk").toString()), List.of("mk/.agents/plugins/marketplace.json"));
        for (List<String> options : optionSets) {
            for (List<String> paths : pathSets) {
                List<String> args = new ArrayList<>(List.of("validate"));
                args.addAll(options);
                args.addAll(paths);
                same(args.toArray(String[]::new));
                if (!options.isEmpty() && !paths.isEmpty()) { // options after the paths, or between them
                    List<String> after = new ArrayList<>(List.of("validate"));
                    after.addAll(paths.subList(0, 1));
                    after.addAll(options);
                    after.addAll(paths.subList(1, paths.size()));
                    same(after.toArray(String[]::new));
                }
            }
        }
    }

    @Test
    void installPrintsTheSameWithAndWithoutPicocli() throws Exception {
        for (String plugin : List.of("demo@fx", "demo", "other@fx", "noversion@fx", "nope@fx", "demo@nowhere", "demo@1.0.0",
                "demo@fx@^1", "Bad Name", "", "demo@fx@^2")) {
            same("install", plugin);
            same("install", plugin, "--json");
            same("install", "--json", plugin);
        }
        Files.writeString(base.resolve("codex/config.toml"), "[marketplaces.fx\n");
        same("install", "demo@fx");
        same("install", "demo@fx", "--json");
    }

    /**
     * sync as a team and CI run it: every set of its options, first without a lockfile (a plugin that runs something
     * needs --yes), then with one into an empty Codex home, then with cxpm.toml changed under --frozen.
     */
    @Test
    void syncPrintsTheSameWithAndWithoutPicocli() throws Exception {
        TeamFixture team = new TeamFixture(tmp.resolve("team")).plugin("app", "1.2.0", "dep", "^1").plugin("dep", "1.0.0")
                .plugin("tool", "2.0.0").needs("app", "^1", "tool", "^2");
        TeamFixture.write(team.market.resolve("plugins/tool/.mcp.json"),
                "{\"mcpServers\": {\"tool\": {\"command\": \"no-such-command-here\"}}}\n");
        List<String> options = List.of("--frozen", "--verify", "--json", "--yes", "--ignore-prerequisites");
        List<List<String>> sets = new ArrayList<>();
        for (int mask = 0; mask < 1 << options.size(); mask++) {
            List<String> set = new ArrayList<>(List.of("sync"));
            for (int o = 0; o < options.size(); o++) {
                if ((mask & 1 << o) != 0) {
                    set.add(options.get(o));
                }
            }
            sets.add(set);
        }
        String toml = team.read(team.project.resolve("cxpm.toml"));
        assertThat(CliRun.in(team.project, team.env("codex-lock"), "sync", "--yes", "--ignore-prerequisites").exitCode()).isZero();
        String lock = team.read(team.project.resolve("cxpm.lock"));
        for (String[] state : new String[][] {{toml, null}, {toml, lock}, {toml + "dep = \"^1\"\n", lock}}) {
            for (List<String> args : sets) {
                sameSync(team, state[0], state[1], args.toArray(String[]::new));
            }
        }
        sameSync(team, toml, lock, "sync", "--json", "--frozen", "--yes", "--verify", "--ignore-prerequisites");
    }

    /** sync both ways from the same project files, Codex home and store; the lockfile each writes is compared too. */
    private void sameSync(TeamFixture team, String toml, String lock, String... args) throws IOException {
        assertThat(QuickCommands.parse(new Main(null), args)).as("taken without picocli: %s", List.of(args)).isPresent();
        List<String> seen = new ArrayList<>();
        for (boolean quick : new boolean[] {false, true}) {
            delete(team.dir.resolve("codex-home"));
            delete(team.dir.resolve("store"));
            Files.writeString(team.project.resolve("cxpm.toml"), toml);
            Files.deleteIfExists(team.project.resolve("cxpm.lock"));
            if (lock != null) {
                Files.writeString(team.project.resolve("cxpm.lock"), lock);
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Map<String, String> env = new HashMap<>(team.env("codex-home"));
            env.put("PATH", System.getenv("PATH"));
            int code = Main.run(new Env(env, team.project, new PrintWriter(out, true), new PrintWriter(err, true),
                    Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC), Env.Stderr.OTHER), quick, args);
            Path written = team.project.resolve("cxpm.lock");
            seen.add(code + "\n" + out + "\n" + err + "\n" + (Files.exists(written) ? Files.readString(written) : "(no lockfile)"));
        }
        assertThat(seen.get(1)).as("cxpm %s", String.join(" ", args)).isEqualTo(seen.get(0));
    }

    @Test
    void everythingElseGoesToPicocli() {
        Main root = new Main(null);
        for (String[] args : List.of(new String[] {"list", "--help"}, new String[] {"list", "-h"}, new String[] {"list", "--json", "--json"},
                new String[] {"list", "x"}, new String[] {"list", "--js"}, new String[] {"list", "--json=true"}, new String[] {"list", "--debug"},
                new String[] {"validate", "--"}, new String[] {"validate", "-x"}, new String[] {"validate", "--strict", "--strict"},
                new String[] {"validate", "@args"}, new String[] {"validate", "-"}, new String[] {"install"}, new String[] {"install", "a", "b"},
                new String[] {"install", "a", "--version", "^1"}, new String[] {"install", "a", "--yes"}, new String[] {"install", "a", "-m", "fx"},
                new String[] {"install", "--help"}, new String[] {"install", "a", "--json", "--json"}, new String[] {"--debug", "list"},
                new String[] {"search", "x"}, new String[] {}, new String[] {"--version", "--debug"}, new String[] {"-V", "list"}, new String[] {"--version", "--version"},
                new String[] {"--debug", "--version"}, new String[] {"--versio"}, new String[] {"sync", "--help"},
                new String[] {"sync", "-h"}, new String[] {"sync", "-V"}, new String[] {"sync", "--frozen", "--frozen"},
                new String[] {"sync", "--yes", "--yes"}, new String[] {"sync", "x"}, new String[] {"sync", "--froz"},
                new String[] {"sync", "--frozen=true"}, new String[] {"sync", "--debug"}, new String[] {"sync", "--"},
                new String[] {"sync", "@args"}, new String[] {"sync", "-y"})) {
            assertThat(QuickCommands.parse(root, args)).as(String.join(" ", args)).isEmpty();
        }
        assertThat(QuickCommands.parse(root, new String[] {"validate", "--json", "a", "--strict", "b"})).isPresent();
    }

    /** Runs args both ways from the same home and checks they were taken without picocli and print the same. */
    private void same(String... args) throws IOException {
        assertThat(QuickCommands.parse(new Main(null), args)).as("taken without picocli: %s", List.of(args)).isPresent();
        Run picocli = fresh(false, args);
        Run quick = fresh(true, args);
        assertThat(quick).as("cxpm %s", String.join(" ", args)).isEqualTo(picocli);
    }

    /** From the same Codex home and HOME (cxpm's store, caches) each time. */
    private Run fresh(boolean quick, String... args) throws IOException {
        delete(home);
        delete(tmp.resolve("home"));
        copy(base.resolve("codex"), home);
        copy(base.resolve("home"), tmp.resolve("home"));
        return run(quick, args);
    }

    record Run(int code, String out, String err) {
    }

    private Run run(boolean quick, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Env env = new Env(vars, tmp, new PrintWriter(out, true), new PrintWriter(err, true),
                Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC), Env.Stderr.OTHER);
        int code = Main.run(env, quick, args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
