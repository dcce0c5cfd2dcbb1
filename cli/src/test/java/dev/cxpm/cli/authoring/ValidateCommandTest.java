package dev.cxpm.cli.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.core.format.marketplace.Marketplace;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.testkit.Shared;
import dev.cxpm.testkit.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode json(CliRun run) throws IOException {
        return JSON.readTree(run.stdout());
    }

    @Test
    void validPluginExitsZeroAndSaysSo() {
        TestFiles.write(dir, "p/.codex-plugin/plugin.json", "{\"name\": \"p\", \"version\": \"1.0.0\"}");
        CliRun run = CliRun.in(dir, "validate", "p");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("✔ plugin p is valid");
    }

    @Test
    void humanOutputGivesFileLineSeverityCodeMessageAndHint() {
        TestFiles.write(dir, "p/.codex-plugin/plugin.json", "{\n  \"name\": \"p\",\n  \"version\": \" \"\n}");
        CliRun run = CliRun.in(dir, "validate", "p");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("p/.codex-plugin/plugin.json:3: error [version.blank] invalid plugin version in plugin.json: must not be blank")
                .contains("  hint: ");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void jsonOutputHasTheDocumentedSchema() throws IOException {
        TestFiles.write(dir, "p/.codex-plugin/plugin.json", "{\"name\": \"p\"}");
        CliRun run = CliRun.in(dir, "validate", "--json", "p");
        assertThat(run.exitCode()).isZero();
        JsonNode out = json(run);
        assertThat(out.path("valid").asBoolean()).isTrue();
        assertThat(out.path("kind").asText()).isEqualTo("plugin");
        JsonNode problem = out.path("problems").get(0);
        assertThat(problem.path("severity").asText()).isEqualTo("warning");
        assertThat(problem.path("code").asText()).isEqualTo("version.missing");
        assertThat(problem.path("file").asText()).endsWith(".codex-plugin/plugin.json");
        assertThat(problem.path("line").asInt()).isEqualTo(1);
        assertThat(problem.has("message")).isTrue();
        assertThat(problem.has("hint")).isTrue();
    }

    @Test
    void strictTurnsCxpmRulesIntoErrors() throws IOException {
        TestFiles.write(dir, "p/.codex-plugin/plugin.json", "{\"name\": \"p\"}");
        CliRun run = CliRun.in(dir, "validate", "--json", "--strict", "p");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(json(run).path("problems").get(0).path("severity").asText()).isEqualTo("error");
    }

    @Test
    void defaultPathIsTheCurrentDirectory() {
        TestFiles.write(dir, ".codex-plugin/plugin.json", "{\"name\": \"p\", \"version\": \"1.0.0\"}");
        assertThat(CliRun.in(dir, "validate").exitCode()).isZero();
    }

    @Test
    void directoryWithBothManifestsIsValidatedAsBothUnlessAFileIsNamed() throws IOException {
        TestFiles.write(dir, ".codex-plugin/plugin.json", "{\"name\": \"p\", \"version\": \"1.0.0\"}");
        TestFiles.write(dir, ".agents/plugins/marketplace.json", "{\"name\": \"m\", \"plugins\": [{\"name\": \"p\", \"source\": \"./\"}]}");
        assertThat(json(CliRun.in(dir, "validate", "--json")).path("kind").asText()).isEqualTo("plugin+marketplace");
        assertThat(json(CliRun.in(dir, "validate", "--json", ".codex-plugin/plugin.json")).path("kind").asText()).isEqualTo("plugin");
        assertThat(json(CliRun.in(dir, "validate", "--json", ".agents/plugins/marketplace.json")).path("kind").asText())
                .isEqualTo("marketplace");
    }

    @Test
    void severalPathsGiveOneJsonLineEachAndFailIfAnyIsInvalid() throws IOException {
        TestFiles.write(dir, "a/.codex-plugin/plugin.json", "{\"name\": \"a\", \"version\": \"1.0.0\"}");
        TestFiles.write(dir, "b/.codex-plugin/plugin.json", "{\"name\": \"b\", \"version\": 2}");
        CliRun run = CliRun.in(dir, "validate", "--json", "a", "b");
        assertThat(run.exitCode()).isEqualTo(1);
        List<String> lines = run.stdout().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.get(0)).path("valid").asBoolean()).isTrue();
        assertThat(JSON.readTree(lines.get(1)).path("valid").asBoolean()).isFalse();
    }

    @Test
    void badUsageExitsTwo() {
        TestFiles.write(dir, "notes.txt", "x");
        assertThat(CliRun.in(dir, "validate", "nope").exitCode()).isEqualTo(2);
        assertThat(CliRun.in(dir, "validate", "notes.txt").exitCode()).isEqualTo(2);
        assertThat(CliRun.in(dir, "validate", "--bogus").exitCode()).isEqualTo(2);
    }

    @Test
    void hostileInputGetsAClearErrorAndNoStackTrace() throws IOException {
        Path p = dir.resolve("p");
        TestFiles.write(p, ".codex-plugin/plugin.json", "{\"name\": " + "{\"a\": ".repeat(20_000) + "1" + "}".repeat(20_001));
        Files.createDirectories(p.resolve("skills"));
        Files.createSymbolicLink(p.resolve("skills/loop"), p.resolve("skills/loop"));
        Files.createSymbolicLink(p.resolve("skills/up"), dir);
        CliRun run = CliRun.in(dir, "validate", "p");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("nested deeper than 128");
        assertThat(run.stdout() + run.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
        Path junk = dir.resolve("junk");
        Files.createDirectories(junk.resolve(".agents/plugins"));
        byte[] bytes = new byte[4096];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(junk.resolve(".agents/plugins/marketplace.json"), bytes);
        CliRun junkRun = CliRun.in(dir, "validate", "junk");
        assertThat(junkRun.exitCode()).isEqualTo(1);
        assertThat(junkRun.stdout()).contains("marketplace.invalid-json");
        assertThat(junkRun.stderr()).isEmpty();
    }

    /** One row of fixtures/INDEX.md: fixture, commands, ok|error. */
    record Row(String fixture, String commands, boolean ok) {
    }

    private static List<Row> indexRows() throws IOException {
        List<Row> rows = new ArrayList<>();
        Pattern row = Pattern.compile("^\\| (\\S+) \\| `([^`]*)` \\| (ok|error) \\|");
        for (String line : Files.readAllLines(Shared.codexFixtures().resolve("INDEX.md"))) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                rows.add(new Row(m.group(1), m.group(2), m.group(3).equals("ok")));
            }
        }
        return rows;
    }

    /**
     * Every INDEX.md row whose verdict is about a manifest: {@code plugin add P@fx} on a plugin the fixture's
     * marketplace lists with a local source (the plugin's verdict), and {@code plugin marketplace add $FIXTURE}
     * (the marketplace's verdict). Rows about the CLI itself (unknown names, git, list) are not validation's.
     */
    @Test
    void agreesWithTheRealCodexCliOnEveryManifestFixture() throws IOException {
        Pattern add = Pattern.compile("^plugin add (\\S+)@fx( --json)?$");
        Map<String, String> disagreements = new HashMap<>();
        int checked = 0;
        int copies = 0;
        for (Row r : indexRows()) {
            Path copy = dir.resolve("fx-" + copies++);
            Matcher m = add.matcher(r.commands());
            Path target;
            if (m.matches()) {
                Path root = TestFiles.copyTree(Shared.codexFixtures().resolve(r.fixture()), copy);
                var entry = Marketplace.load(root).plugin(m.group(1));
                if (entry.isEmpty() || !(entry.get().source() instanceof PluginSource.Local local)
                        || !Files.isDirectory(root.resolve(local.path()))) {
                    continue; // entry skipped or not local: a CLI lookup verdict, not a manifest's
                }
                target = root.resolve(local.path()).normalize();
            } else if (r.commands().equals("plugin marketplace add $FIXTURE")) {
                target = TestFiles.copyTree(Shared.codexFixtures().resolve(r.fixture()), copy);
            } else {
                continue;
            }
            checked++;
            CliRun run = CliRun.in(dir, "validate", "--json", target.toString());
            boolean valid = json(run).path("valid").asBoolean();
            if (valid != r.ok()) {
                disagreements.put(r.fixture() + " `" + r.commands() + "`", run.stdout());
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(checked).isGreaterThanOrEqualTo(50);
    }

    /**
     * The whole corpus sample, as its run.sh does it (a dir holding two kinds is passed as its manifest file),
     * compared with the reference verdicts in expected.jsonl. Agreement is 100%: no disagreement to explain.
     */
    @Test
    void agreesWithTheReferenceVerdictsOnTheWholeCorpusSample() throws IOException {
        Path sample = Shared.corpusSample();
        List<JsonNode> expected = new ArrayList<>();
        for (String line : Files.readAllLines(sample.resolve("expected.jsonl"))) {
            if (!line.isBlank()) {
                expected.add(JSON.readTree(line));
            }
        }
        Map<String, Integer> kindsPerPath = new HashMap<>();
        expected.forEach(e -> kindsPerPath.merge(e.path("path").asText(), 1, Integer::sum));
        List<String> disagreements = new ArrayList<>();
        for (JsonNode e : expected) {
            if (e.path("expected_valid").isNull()) {
                continue;
            }
            String path = e.path("path").asText();
            Path target = sample.resolve("corpus").resolve(path);
            if (kindsPerPath.get(path) > 1) {
                target = target.resolve(e.path("manifests").get(0).asText());
            }
            CliRun run = CliRun.in(dir, "validate", "--json", target.toString());
            assertThat(run.exitCode()).as(path).isLessThanOrEqualTo(1);
            assertThat(run.stderr()).as(path).doesNotContain("Exception");
            if (json(run).path("valid").asBoolean() != e.path("expected_valid").asBoolean()) {
                disagreements.add(path + " (" + e.path("kind").asText() + "): " + run.stdout());
            }
        }
        assertThat(disagreements).isEmpty();
    }
}
