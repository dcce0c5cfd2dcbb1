package dev.cxpm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run for the class-data archive that {@code ./cxpm} makes once after each build: it runs
 * the everyday commands in one JVM, in a temp dir, so the classes they load (picocli's model, Jackson,
 * the format model, validation; list, validate and install as {@link QuickCommands} runs them, a fresh and an
 * already-installed install) are parsed and linked ahead of time. The daemon runs it too before it
 * announces itself, so that its first commands find the JIT warm. Not a user command; commands that do
 * not exist yet just fail as usage errors here.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        train();
    }

    /** Runs the everyday commands once, in a temp dir removed afterwards; also how the daemon warms up at spawn. */
    static void train() throws IOException {
        Path dir = Files.createTempDirectory("cxpm-aot-training");
        try {
            Path project = Files.createDirectories(dir.resolve("project/skills"));
            Files.writeString(project.resolve("review.md"), "# Review\n\nReview the diff.\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("project/.mcp.json"),
                    "{\"mcpServers\": {\"gh\": {\"command\": \"npx\", \"env\": {\"GITHUB_TOKEN\": \"${GITHUB_TOKEN}\"}}}}",
                    StandardCharsets.UTF_8);
            // A marketplace at the training root offering the plugin "init demo" makes, for install/list/search.
            Files.createDirectories(dir.resolve(".agents/plugins"));
            Files.writeString(dir.resolve(".agents/plugins/marketplace.json"),
                    "{\"name\": \"aot-training\", \"plugins\": [{\"name\": \"demo\", \"source\": \"./demo\"}]}", StandardCharsets.UTF_8);
            String[][] runs = {
                {"--version"}, {"--help"}, {"init", "--help"},
                {"init", "demo"}, {"init", "adopted", "--from", "project", "--json"},
                {"validate", "demo"}, {"validate", "--json", "adopted"}, {"validate", "--strict", "demo"},
                {"pack", "demo", "-o", "demo.tgz"}, {"version", "patch", "demo"},
                {"marketplace", "add", "."}, {"marketplace", "list"}, {"install", "demo@aot-training"},
                {"install", "demo@aot-training"}, {"install", "--json", "demo@aot-training"}, {"list"},
                {"list", "--json"}, {"search", "demo"}, {"info", "demo", "--json"}, {"uninstall", "demo@aot-training"},
                {"no-such-command"},
            };
            // The team commands: a two-plugin marketplace and a project that needs one (which needs the other).
            for (String[] plugin : new String[][] {{"app", "\"dep\": \"^1\""}, {"dep", ""}}) {
                Path p = Files.createDirectories(dir.resolve("market/plugins/" + plugin[0] + "/.codex-plugin"));
                Files.writeString(p.resolve("plugin.json"), "{\"name\": \"" + plugin[0]
                        + "\", \"version\": \"1.0.0\", \"dependencies\": {" + plugin[1] + "}}", StandardCharsets.UTF_8);
            }
            Files.createDirectories(dir.resolve("market/.agents/plugins"));
            Files.writeString(dir.resolve("market/.agents/plugins/marketplace.json"), "{\"name\": \"fx\", \"plugins\": ["
                    + "{\"name\": \"app\", \"source\": \"./plugins/app\"}, {\"name\": \"dep\", \"source\": \"./plugins/dep\"}]}",
                    StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("cxpm.toml"), "[marketplaces]\nfx = \"./market\"\n\n[plugins]\napp = \"^1\"\n",
                    StandardCharsets.UTF_8);
            String[][] team = {{"sync"}, {"sync"}, {"sync", "--frozen"}, {"why", "dep"}, {"outdated"}, {"doctor"}};
            runs = java.util.Arrays.copyOf(runs, runs.length + team.length);
            System.arraycopy(team, 0, runs, runs.length - team.length, team.length);
            for (String[] run : runs) {
                try {
                    Main.run(env(dir), run);
                } catch (RuntimeException e) {
                    // training only records what ran; a failing command still loaded its classes
                }
            }
            // CI runs install, list and validate one per job, mostly outside any project (no cxpm.toml above the
            // directory): that path, a fresh and an already-installed install included, is trained too
            Path outside = Files.createTempDirectory("cxpm-aot-outside");
            try {
                for (String[] run : new String[][] {{"install", "demo@aot-training"}, {"install", "demo@aot-training"}, {"list"},
                        {"validate", dir.resolve("demo").toString()}, {"uninstall", "demo@aot-training"}}) {
                    try {
                        Main.run(env(dir, outside), run);
                    } catch (RuntimeException e) {
                        // as above
                    }
                }
            } finally {
                deleteTree(outside);
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static Env env(Path cwd) {
        return env(cwd, cwd);
    }

    /** The training's homes under dir, run from cwd. */
    private static Env env(Path dir, Path cwd) {
        Map<String, String> vars = new HashMap<>(System.getenv());
        vars.put("HOME", dir.resolve("home").toString());
        vars.put("CODEX_HOME", dir.resolve("codex-home").toString());
        vars.put("CXPM_STORE", dir.resolve("store").toString());
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        return new Env(vars, cwd, sink, sink, Clock.systemUTC());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
