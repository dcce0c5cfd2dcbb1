package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.cli.fixtures.TeamFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands CI runs one per job, on a fresh JVM, set up none of the machinery whose start-up cost more than the
 * command's own work (issue 12, docs/BENCHMARKS.md): no ObjectMapper (its date format loads locale data), no TOML or
 * YAML module, no picocli model, no BigDecimal (Jackson's parser), no SecureRandom, no record method bootstrap, no
 * security provider, no Jackson parser factory, no serializable lambda, no exception thrown and caught on the way, no
 * switch on types.
 * Checked in a real JVM by the classes it initializes, not by a clock.
 */
class ColdPathTest {
    private static final List<String> NOT_ON_THE_COLD_PATH = List.of("com/fasterxml/jackson/databind/ObjectMapper",
            "com/fasterxml/jackson/dataformat/toml/TomlMapper", "com/fasterxml/jackson/dataformat/yaml/YAMLFactory",
            "com/fasterxml/jackson/databind/util/StdDateFormat", "picocli/CommandLine$Model$CommandSpec",
            // Jackson's first parser (ParserMinimalBase's static bounds), a random UUID's SecureRandom, a record's
            // generated equals/hashCode/toString: each several ms of interpreted set-up on a cold JVM
            "java/math/BigDecimal", "java/security/SecureRandom", "java/lang/runtime/ObjectMethods",
            // the security providers' set-up of a first MessageDigest (install's tree digest), a serializable lambda
            // (Comparator.comparing: the class-data archive cannot hold one, so it is spun at run time), and an
            // exception's stack trace for "not in a project"
            "java/security/Security", "java/lang/invoke/InnerClassLambdaMetafactory$SerializationSupport", "dev/cxpm/core/UserError",
            // a switch on types (case Parsed p ->): its first run spins a class with the class-file API (some 40 classes
            // loaded and run interpreted), which the class-data archive cannot hold
            "java/lang/runtime/SwitchBootstraps",
            // a date parsed from text (Instant.parse: the java.time formatter's builder, ~30 classes run interpreted)
            "java/time/format/DateTimeFormatter",
            // the JDK's System.Logger, which Runtime.exit asks whether to log the exit: finding its backend looks for a
            // logging provider in every jar on the class path (19 jars opened and read)
            "jdk/internal/logger/BootstrapLogger$DetectBackend",
            // a resource looked up by name (the version's properties file was): the JDK's modules image is searched first
            "jdk/internal/jimage/ImageReaderFactory",
            // commons-lang3's StringUtils (a regular expression and the JDK's table of Unicode blocks): every
            // TarArchiveEntry's constructor reads user.name through lang3, and a first sync or install packs plugins
            "org/apache/commons/lang3/StringUtils");
    /** Jackson's parser factory: --json writes with Jackson's generator, but reading what PlainJson reads needs none. */
    private static final String JSON_FACTORY = "com/fasterxml/jackson/core/JsonFactory";

    @TempDir
    Path tmp;

    @Test
    void listValidateAndInstallSetUpNoMapperAndNoPicocliModel() throws Exception {
        Fixtures.marketplace(tmp.resolve("mk"), "fx", "demo", "1.0.0", "other", "1.0.0");
        Map<String, String> vars = Fixtures.env(tmp.resolve("codex"), Files.createDirectories(tmp.resolve("home")));
        assertThat(CliRun.in(tmp, vars, "marketplace", "add", tmp.resolve("mk").toString()).exitCode()).isZero();
        assertThat(CliRun.in(tmp, vars, "install", "demo@fx").exitCode()).isZero();
        for (List<String> args : List.of(List.of("list"), List.of("list", "--json"), List.of("validate", "mk/plugins/demo"),
                List.of("validate", "--json", "mk/plugins/demo"), List.of("install", "demo@fx"), List.of("install", "other@fx"))) {
            String initialized = coldRun(vars, args);
            for (String heavy : NOT_ON_THE_COLD_PATH) {
                assertThat(initialized).as("cxpm %s initializes %s", String.join(" ", args), heavy).doesNotContain("'" + heavy + "'");
            }
            if (!args.contains("--json")) {
                assertThat(initialized).as("cxpm %s initializes %s", String.join(" ", args), JSON_FACTORY).doesNotContain("'" + JSON_FACTORY + "'");
            }
            if (args.equals(List.of("list"))) {
                // nor links one of cxpm's lambdas: a cold JVM's first one sets up the method-handle machinery (~3 ms)
                assertThat(initialized.lines().filter(l -> l.contains("'dev/cxpm/") && l.contains("$$Lambda")).toList())
                        .as("lambdas list links").isEmpty();
            }
        }
        for (String version : List.of("--version", "-V")) {
            // picocli's model of the root command reads Main's annotations, which loads every command class
            String initialized = coldRun(vars, List.of(version));
            assertThat(initialized).as("cxpm %s", version).doesNotContain("'picocli/CommandLine$Model$CommandSpec'")
                    .doesNotContain("'dev/cxpm/cli/registry/ServeCommand'");
            for (String heavy : NOT_ON_THE_COLD_PATH) {
                assertThat(initialized).as("cxpm %s initializes %s", version, heavy).doesNotContain("'" + heavy + "'");
            }
        }
        assertThat(coldRun(vars, List.of("list", "--help"))).as("the check sees picocli when it runs")
                .contains("'picocli/CommandLine$Model$CommandSpec'");
    }

    /** An install that records an approval (the plugin runs an MCP server) writes approvals.json without an ObjectMapper. */
    @Test
    void installRecordingAnApprovalSetsUpNoMapper() throws Exception {
        Fixtures.marketplace(tmp.resolve("mk"), "fx", "runner", "1.0.0");
        Files.writeString(tmp.resolve("mk/plugins/runner/.mcp.json"), "{\"mcpServers\": {\"runner\": {\"command\": \"sh\", \"args\": [\"-c\", \"true\"]}}}\n");
        Map<String, String> vars = new java.util.HashMap<>(Fixtures.env(tmp.resolve("codex"), Files.createDirectories(tmp.resolve("home"))));
        vars.put("PATH", System.getenv("PATH"));
        assertThat(CliRun.in(tmp, vars, "marketplace", "add", tmp.resolve("mk").toString()).exitCode()).isZero();
        String initialized = coldRun(vars, List.of("install", "runner@fx", "--yes"));
        assertThat(tmp.resolve("codex/.cxpm/approvals.json")).content().contains("\"runner@fx\"");
        assertThat(initialized).as("cxpm install --yes sets up an ObjectMapper").doesNotContain("'com/fasterxml/jackson/databind/ObjectMapper'");
    }

    /**
     * A team's sync as CI runs it, one command per job: the first sync (resolve, write cxpm.lock, install), sync
     * --frozen into an empty Codex home, and the no-op, each on a fresh JVM. The lockfile (arrays of tables) is read
     * by the hand TOML reader, the marketplace and manifests by the hand JSON readers, the arguments without picocli.
     */
    @Test
    void syncFirstFrozenAndNoOpSetUpNoMapperAndNoPicocliModel() throws Exception {
        TeamFixture team = new TeamFixture(tmp.resolve("team")).plugin("app", "1.2.0", "dep", "^1").plugin("dep", "1.0.0")
                .plugin("tool", "2.0.0").needs("app", "^1", "tool", "^2");
        TeamFixture.write(team.market.resolve("plugins/tool/.mcp.json"),
                "{\"mcpServers\": {\"tool\": {\"command\": \"sh\", \"args\": [\"-c\", \"true\"]}}}\n");
        Map<String, String> vars = new java.util.HashMap<>(team.env("codex-a"));
        vars.put("PATH", System.getenv("PATH"));
        Map<String, String> empty = new java.util.HashMap<>(vars);
        empty.put("CODEX_HOME", team.dir.resolve("codex-b").toString());
        for (List<Object> run : List.of(List.<Object>of(vars, List.of("sync", "--yes")), List.<Object>of(empty, List.of("sync", "--frozen")),
                List.<Object>of(vars, List.of("sync")), List.<Object>of(vars, List.of("sync", "--frozen")))) {
            @SuppressWarnings("unchecked")
            Map<String, String> env = (Map<String, String>) run.get(0);
            @SuppressWarnings("unchecked")
            List<String> args = (List<String>) run.get(1);
            String initialized = coldRun(team.project, env, args);
            // the first sync packs plugins into the store: its tars are written without commons-compress's entries
            // (no StringUtils) nor commons-io's FileTimes, whose BigDecimal constants make JDK 25's BigDecimal square
            // its way to 5^65536 interpreted;
            // it hashes the archives with the plain-Java digests, so no sync sets up the security providers.
            // --frozen and the no-op take trees from the store. Comparing locked sources and approvals spins no
            // record method bootstrap (ObjectMethods) on any.
            for (String heavy : NOT_ON_THE_COLD_PATH) {
                assertThat(initialized).as("cxpm %s initializes %s", String.join(" ", args), heavy).doesNotContain("'" + heavy + "'");
            }
            if (!args.contains("--yes")) {
                // the locked versions and cxpm.toml's ranges (^1, 1.2.3) are compared as numbers: semver4j sets up a
                // dozen regular expressions and String.format's locale data on first use, tens of ms of a cold sync
                assertThat(initialized).as("cxpm %s initializes semver4j", String.join(" ", args)).doesNotContain("'org/semver4j/Semver'");
                // nor a regular expression: each compiles interpreted on a fresh JVM (the locked sources' commits, key
                // ids, TOML keys, a plugin's run surface are checked by hand; a git origin's host on demand)
                assertThat(initialized).as("cxpm %s compiles a regular expression", String.join(" ", args)).doesNotContain("'java/util/regex/Pattern'");
            }
            if (args.equals(List.of("sync"))) {
                // the no-op links none of cxpm's lambdas: a cold JVM's first one sets up the method-handle machinery
                // (~3 ms), even with the lambda's class in the class-data archive
                assertThat(initialized.lines().filter(l -> l.contains("'dev/cxpm/") && l.contains("$$Lambda")).toList())
                        .as("lambdas the no-op links").isEmpty();
                // nor makes a time zone: ZoneOffset's cache sets up the JDK's variable handles (~1.5 ms)
                assertThat(initialized).as("the no-op makes a time zone").doesNotContain("'java/time/ZoneOffset'");
            }
        }
        assertThat(team.read(team.project.resolve("cxpm.lock"))).contains("[[plugin]]");
        assertThat(team.dir.resolve("codex-b/plugins/cache/fx/tool")).isDirectory();
    }

    /**
     * The project's marketplaces, read ahead on a worker while the lock is read, are waited for, not interrupted: a
     * read-ahead still running when the lock was in (many marketplaces, a small lock; or a loaded machine) was stopped by
     * the pool's close, and its next file's open threw (an interrupted thread's channel closes), making an error nobody
     * reads, and index read them all again. Seen as this class's first test failing now and then at load 14.
     */
    @Test
    void frozenWaitsForTheMarketplacesReadAheadInsteadOfInterruptingIt() throws Exception {
        TeamFixture team = new TeamFixture(tmp.resolve("team")).plugin("app", "1.0.0");
        StringBuilder toml = new StringBuilder("[marketplaces]\nfx = \"../market\"\n");
        for (int m = 0; m < 40; m++) {
            StringBuilder b = new StringBuilder("{\"name\": \"m" + m + "\", \"plugins\": [");
            for (int i = 0; i < 300; i++) {
                b.append(i == 0 ? "" : ", ").append("{\"name\": \"p").append(i).append("\", \"source\": \"./plugins/p").append(i).append("\"}");
            }
            TeamFixture.write(team.dir.resolve("m" + m + "/.agents/plugins/marketplace.json"), b.append("]}\n").toString());
            toml.append("m").append(m).append(" = \"../m").append(m).append("\"\n");
        }
        team.toml(toml.append("\n[plugins]\napp = \"^1\"\n").toString());
        Map<String, String> vars = new java.util.HashMap<>(team.env("codex-a"));
        vars.put("PATH", System.getenv("PATH"));
        assertThat(CliRun.in(team.project, vars, "sync", "--yes").exitCode()).isZero();
        vars.put("CODEX_HOME", team.dir.resolve("codex-b").toString());
        String initialized = coldRun(team.project, vars, List.of("sync", "--frozen"));
        assertThat(initialized).as("an error made on the way").doesNotContain("'dev/cxpm/core/UserError'");
        assertThat(team.dir.resolve("codex-b/plugins/cache/fx/app")).isDirectory();
    }

    /** Runs cxpm in a JVM of its own; returns its log of class initializations. */
    private String coldRun(Map<String, String> vars, List<String> args) throws Exception {
        return coldRun(tmp, vars, args);
    }

    private String coldRun(Path cwd, Map<String, String> vars, List<String> args) throws Exception {
        Path log = Files.createTempFile(tmp, "init", ".log");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xlog:class+init=info:file=" + log, "-cp", System.getProperty("java.class.path"), "dev.cxpm.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(vars);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        pb.redirectOutput(out.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("cxpm %s: %s", String.join(" ", args), Files.readString(out)).isZero();
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
