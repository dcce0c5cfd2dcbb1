package dev.cxpm.cli;

import dev.cxpm.core.TempPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run for the class-data archive that {@code ./cxpm} makes once after each build: it runs
 * the everyday commands in one JVM, in a temp dir, so the classes they load (picocli's model, Jackson,
 * the format model, validation; list, validate and install as {@link QuickCommands} runs them, a fresh and an
 * already-installed install) are parsed and linked ahead of time. The daemon runs it too before it
 * announces itself, so that its first commands find the JIT warm. Not a user command; commands that do
 * not exist yet just fail as usage errors here.
 *
 * <p>With the argument {@code sync} or {@code install} it runs only that command, as CI runs it (a team's first
 * sync, the no-op, {@code --frozen} into an empty home; a fresh install and one of a plugin already installed): the
 * training of the JDK 25+ AOT cache {@code ./cxpm} starts that command with (for {@code sync}, also of the static
 * class-data archive a {@code sync} with no arguments starts with: the classes loaded here, listed, then dumped). An AOT
 * cache loads and links every class it holds at start, so each holds only what its command loads (docs/BENCHMARKS.md,
 * "Start-up").
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && (args[0].equals("sync") || args[0].equals("install"))) {
            train(args[0]);
        } else {
            train();
        }
        // Every command ends in System.exit, whose first call logs through System.Logger (Shutdown.logRuntimeExit):
        // exiting the same way here puts those classes in the archive, which is written after it.
        System.exit(0);
    }

    /** Runs the everyday commands once, in a temp dir removed afterwards; also how the daemon warms up at spawn. */
    public static void train() throws IOException {
        sweep(Path.of(System.getProperty("java.io.tmpdir")));
        Path dir = Files.createTempDirectory("cxpm-aot-training");
        // A daemon stopped while it warms up (SIGTERM, or System.exit) runs its shutdown hooks, not this method's
        // finally: without this hook each such stop left a training directory in the temp dir
        List<Path> made = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(dir));
        Thread removeMade = new Thread(() -> made.forEach(AotTraining::deleteQuietly));
        Runtime.getRuntime().addShutdownHook(removeMade);
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
            for (String[] run : runs) {
                run(env(dir), run);
            }
            sync(dir);
            for (String[] run : new String[][] {{"why", "dep"}, {"outdated"}, {"doctor"}}) {
                run(env(dir), run);
            }
            // CI runs install, list and validate one per job, mostly outside any project (no cxpm.toml above the
            // directory): that path, a fresh and an already-installed install included, is trained too
            Path outside = Files.createTempDirectory("cxpm-aot-outside");
            made.add(outside);
            try {
                for (String[] run : new String[][] {{"install", "demo@aot-training"}, {"install", "demo@aot-training"}, {"list"},
                        {"validate", dir.resolve("demo").toString()}, {"uninstall", "demo@aot-training"}}) {
                    run(env(dir, outside), run);
                }
            } finally {
                deleteTree(outside);
            }
        } finally {
            deleteTree(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(removeMade);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it finds nothing left
            }
        }
    }

    /** Older than any training takes (seconds): a training directory this old is one whose JVM was killed. */
    private static final java.time.Duration STALE = java.time.Duration.ofHours(1);

    /**
     * Removes the training directories a JVM killed outright left in tmp (SIGKILL, the OOM killer: no shutdown hook runs):
     * only directories (a link is never followed) named as a training's, untouched for an hour; another user's, or one
     * that cannot be removed, stays as it was.
     */
    private static void sweep(Path tmp) {
        long before = System.currentTimeMillis() - STALE.toMillis();
        try (java.nio.file.DirectoryStream<Path> all = Files.newDirectoryStream(tmp)) {
            for (Path p : all) {
                if (p.getFileName().toString().startsWith("cxpm-aot-")) {
                    java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    if (a.isDirectory() && a.lastModifiedTime().toMillis() < before) {
                        deleteQuietly(p);
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // the temp dir cannot be listed: nothing is swept, the training goes on
        }
    }

    /** As {@link #deleteTree}, for a shutdown hook: whatever is left of the tree goes, and nothing is thrown. */
    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | RuntimeException partly) {
            // a temp dir partly left behind, as without the hook
        }
    }

    /**
     * Only the training of {@code sync} or {@code install}, in a temp dir removed afterwards: an AOT cache's (the class
     * comment). Returns the commands of it that failed: none should, or the cache would miss what they load.
     */
    static List<String> train(String command) throws IOException {
        // (named by TempPaths, not Files.createTempDirectory, whose SecureRandom would put the ~80 classes of the security
        // providers in the AOT cache, which loads them at the start of every sync or install it serves)
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        sweep(tmp);
        Path dir = TempPaths.directory(tmp, "cxpm-aot-training");
        // Main's own Env, made as a command's (nothing read or written through it): its stdin reader's decoder was loaded
        // outside the cache at every cold sync (-Xlog:class+load, docs/BENCHMARKS.md "wt-cold6")
        Env.system();
        try {
            return switch (command) {
                case "sync" -> sync(dir);
                case "install" -> install(dir);
                default -> throw new IllegalArgumentException("no training of its own: " + command);
            };
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * A fresh install and one of a plugin already installed, outside any project, from a marketplace at dir offering
     * a plugin written here (not by {@code init}, whose classes the cache would then load at every install's start).
     */
    private static List<String> install(Path dir) throws IOException {
        Path plugin = Files.createDirectories(dir.resolve("demo/.codex-plugin"));
        Files.writeString(plugin.resolve("plugin.json"), "{\"name\": \"demo\", \"version\": \"1.0.0\", \"description\": \"The demo plugin.\"}",
                StandardCharsets.UTF_8);
        Path skill = Files.createDirectories(dir.resolve("demo/skills/hello"));
        Files.writeString(skill.resolve("SKILL.md"), "---\nname: hello\ndescription: Says hello.\n---\nSay hello.\n", StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve(".agents/plugins"));
        Files.writeString(dir.resolve(".agents/plugins/marketplace.json"),
                "{\"name\": \"aot-training\", \"plugins\": [{\"name\": \"demo\", \"source\": \"./demo\"}]}", StandardCharsets.UTF_8);
        return runAll(env(dir), new String[][] {{"marketplace", "add", "."}, {"install", "demo@aot-training"}, {"install", "demo@aot-training"}});
    }

    /**
     * A team's sync as CI runs it, one command per job: the first (resolve, pack, lock, install), the no-op, --frozen
     * into the Codex home it placed and into an empty one. Each plugin as teams write them (a skill, an MCP server, a
     * dependency), so what placing, the approvals and the prerequisites load and link is in the archive too.
     */
    private static List<String> sync(Path dir) throws IOException {
        team(dir);
        List<String> failed = new ArrayList<>(runAll(env(dir), new String[][] {{"sync", "--yes"}, {"sync"}, {"sync", "--frozen"}}));
        Map<String, String> emptyHome = new HashMap<>(env(dir).vars());
        emptyHome.put("CODEX_HOME", dir.resolve("codex-home-frozen").toString());
        failed.addAll(runAll(new Env(emptyHome, dir, env(dir).out(), env(dir).err(), Clock.systemUTC()), new String[][] {{"sync", "--frozen"}}));
        return failed;
    }

    /**
     * A marketplace of a few plugins at dir/market and a project at dir needing them: app needs dep, each has a skill,
     * tool and app an MCP server (run by sh, found on PATH on any Unix).
     */
    private static void team(Path dir) throws IOException {
        String[][] plugins = {{"app", "\"dep\": \"^1\""}, {"dep", ""}, {"tool", ""}, {"docs", ""}};
        StringBuilder entries = new StringBuilder();
        StringBuilder needs = new StringBuilder();
        for (String[] plugin : plugins) {
            String name = plugin[0];
            Path p = Files.createDirectories(dir.resolve("market/plugins/" + name + "/.codex-plugin"));
            Files.writeString(p.resolve("plugin.json"), "{\"name\": \"" + name + "\", \"version\": \"1.2.0\", \"description\": \"The "
                    + name + " plugin.\", \"dependencies\": {" + plugin[1] + "}}", StandardCharsets.UTF_8);
            Path skill = Files.createDirectories(dir.resolve("market/plugins/" + name + "/skills/" + name + "-skill"));
            Files.writeString(skill.resolve("SKILL.md"), "---\nname: " + name + "-skill\ndescription: Skill of " + name
                    + ".\n---\nDo the " + name + " thing.\n", StandardCharsets.UTF_8);
            if (!name.equals("dep") && !name.equals("docs")) { // one server runs a file of its plugin, which approvals hash
                Path script = Files.createDirectories(dir.resolve("market/plugins/" + name + "/scripts")).resolve("start.sh");
                Files.writeString(script, "#!/bin/sh\nexit 0\n", StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("market/plugins/" + name + "/.mcp.json"), "{\"mcpServers\": {\"" + name
                        + "\": {\"command\": \"sh\", \"args\": [\"" + (name.equals("app") ? "./scripts/start.sh" : "-c")
                        + "\", \"-y\", \"@example/" + name + "\"], \"env\": {\"TOKEN\": \"${TOKEN}\"}}}}", StandardCharsets.UTF_8);
            }
            entries.append(entries.isEmpty() ? "" : ", ").append("{\"name\": \"").append(name).append("\", \"source\": \"./plugins/")
                    .append(name).append("\"}");
            if (!name.equals("dep")) {
                needs.append(name).append(" = \"^1\"\n");
            }
        }
        Files.createDirectories(dir.resolve("market/.agents/plugins"));
        Files.writeString(dir.resolve("market/.agents/plugins/marketplace.json"), "{\"name\": \"fx\", \"plugins\": [" + entries + "]}",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("cxpm.toml"), "[marketplaces]\nfx = \"./market\"\n\n[plugins]\n" + needs, StandardCharsets.UTF_8);
        // A project policy every plugin passes: without it, a team's policy file cost each cold sync the reading of its
        // rules and the judging of every plugin uncached (their classes loaded, lambdas and string concatenations linked
        // at run time: ~7 % of the CPU of a cold --frozen of 1,000, docs/BENCHMARKS.md "wt-coldfrozen4"), while its few
        // classes cost a sync without one nothing measurable
        Files.writeString(dir.resolve("cxpm-policy.toml"), "[plugins]\ndeny = [\"evil-*\"]\n", StandardCharsets.UTF_8);
    }

    private static void run(Env env, String[] args) {
        succeeded(env, args);
    }

    /** Whether the command exited 0; one that failed still loaded its classes, which is all the training records. */
    private static boolean succeeded(Env env, String[] args) {
        try {
            return Main.run(env, args) == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs each, in turn; returns those that failed. */
    private static List<String> runAll(Env env, String[][] runs) {
        List<String> failed = new ArrayList<>();
        for (String[] run : runs) {
            if (!succeeded(env, run)) {
                failed.add(String.join(" ", run));
            }
        }
        return failed;
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
        vars.put("TOKEN", "training"); // what the team's MCP servers read (team(dir)): else sync stops at prerequisites
        // output encoded as a command's is, through a stream (the encoder's char buffer is then in the cache), and dropped
        PrintWriter sink = new PrintWriter(java.io.OutputStream.nullOutputStream(), true);
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
