package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
 * {@link QuickCommands} parses list, validate and install without picocli: every combination of their options and
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

    @Test
    void everythingElseGoesToPicocli() {
        Main root = new Main(null);
        for (String[] args : List.of(new String[] {"list", "--help"}, new String[] {"list", "-h"}, new String[] {"list", "--json", "--json"},
                new String[] {"list", "x"}, new String[] {"list", "--js"}, new String[] {"list", "--json=true"}, new String[] {"list", "--debug"},
                new String[] {"validate", "--"}, new String[] {"validate", "-x"}, new String[] {"validate", "--strict", "--strict"},
                new String[] {"validate", "@args"}, new String[] {"validate", "-"}, new String[] {"install"}, new String[] {"install", "a", "b"},
                new String[] {"install", "a", "--version", "^1"}, new String[] {"install", "a", "--yes"}, new String[] {"install", "a", "-m", "fx"},
                new String[] {"install", "--help"}, new String[] {"install", "a", "--json", "--json"}, new String[] {"--debug", "list"},
                new String[] {"search", "x"}, new String[] {}, new String[] {"--version"})) {
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
