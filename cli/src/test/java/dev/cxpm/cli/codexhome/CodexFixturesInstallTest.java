package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.testkit.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code plugin add} row of the shared Codex fixtures (shared/compat/codex/fixtures/INDEX.md, the
 * real CLI's verdicts) replayed with {@code cxpm marketplace add} + {@code cxpm install}: same outcome,
 * same message or JSON field. Known, deliberate differences are listed in {@link #DIFFERENT_TEXT}, and a bare
 * plugin name (which Codex refuses without --marketplace) is installed from the one marketplace that has it.
 */
class CodexFixturesInstallTest {

    /** Rows whose outcome matches but whose text differs: the JSON parser's wording is not serde's. */
    static final Map<String, String> DIFFERENT_TEXT = Map.of(
            "manifest-codex-invalid-claude-valid", "plugin.json",
            "manifest-invalid-json", "plugin.json");

    record Row(String fixture, String pluginArg, String marketplaceOpt, boolean json, boolean ok, String expected) {
        @Override
        public String toString() {
            return fixture + " :: " + pluginArg + (ok ? " ok" : " error");
        }
    }

    static Stream<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Shared.codexFixtures().resolve("INDEX.md"))) {
            if (!line.startsWith("| ")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            if (cells.length < 6) {
                continue;
            }
            String fixture = cells[1].strip();
            String cmd = cells[2].strip().replace("`", "");
            if (!Files.isDirectory(Shared.codexFixtures().resolve(fixture))) {
                continue;
            }
            String[] parts = cmd.split(" ; ");
            String last = parts[parts.length - 1];
            boolean onlyAdd = parts.length == 1 || (parts.length == 2 && parts[0].startsWith("plugin marketplace add https://"));
            if (!onlyAdd || !last.startsWith("plugin add ")) {
                continue;
            }
            String[] a = last.split(" ");
            String plugin = a[2];
            String mk = null;
            boolean json = false;
            for (int i = 3; i < a.length; i++) {
                if (a[i].equals("--marketplace")) {
                    mk = a[++i];
                } else if (a[i].equals("--json")) {
                    json = true;
                }
            }
            String expected = cells[4].strip();
            if (expected.startsWith("`") && expected.endsWith("`")) {
                expected = expected.substring(1, expected.length() - 1);
            }
            rows.add(new Row(fixture, plugin, mk, json, cells[3].strip().equals("ok"), expected));
        }
        return rows.stream();
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void cxpmInstallAgreesWithTheRealCodexCli(Row row) throws IOException {
        Path fixture = tmp.resolve(row.fixture());
        Trees.copy(Shared.codexFixtures().resolve(row.fixture()), fixture);
        Path codexHome = tmp.resolve("ch");
        Path home = tmp.resolve("home");
        Map<String, String> env = new HashMap<>(Fixtures.env(codexHome, home));
        Files.createDirectories(home);
        Path repos = fixture.resolve("_repos");
        if (Files.isDirectory(repos)) {
            try (var s = Files.list(repos)) {
                for (Path r : s.toList()) {
                    Fixtures.gitRepo(r, home, r.getFileName().toString());
                }
            }
        }
        String source = Files.isDirectory(repos) && !Files.exists(fixture.resolve(".agents")) && !Files.exists(fixture.resolve(".claude-plugin"))
                ? "https://git.example.test/team/" + firstRepo(repos) + ".git" : fixture.toString();
        CliRun add = CliRun.in(tmp, env, "marketplace", "add", source);
        assertThat(add.exitCode()).as(add.stderr()).isZero();

        List<String> args = new ArrayList<>(List.of("install", row.pluginArg()));
        if (row.marketplaceOpt() != null) {
            args.addAll(List.of("--marketplace", row.marketplaceOpt()));
        }
        if (row.json()) {
            args.add("--json");
        }
        args.add("--yes"); // Codex asks nobody; cxpm stops at what a plugin runs unless approved (ApprovalsTest)
        CliRun r = CliRun.in(tmp, env, args.toArray(String[]::new));
        String out = (r.stdout() + r.stderr()).replace(codexHome.toString(), "$CODEX_HOME").replace(fixture.toString(), "$FIXTURE");
        if (!row.ok() && row.expected().contains("plugin requires --marketplace") && row.pluginArg().indexOf('@') < 0) {
            // deliberately not as Codex: a bare name comes from the one configured marketplace that has it (OneCommandInstallTest)
            assertThat(r.exitCode()).as(out).isZero();
            assertThat(out).contains("Added plugin `" + row.pluginArg() + "`");
            return;
        }
        if (row.ok()) {
            assertThat(r.exitCode()).as(out).isZero();
        } else {
            assertThat(r.exitCode()).as(out).isNotZero();
        }
        String expected = row.expected().replaceFirst("^Error: ", "");
        if (!expected.equals("-")) {
            assertThat(out).contains(DIFFERENT_TEXT.getOrDefault(row.fixture(), expected));
        }
    }

    private static String firstRepo(Path repos) throws IOException {
        try (var s = Files.list(repos)) {
            return s.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
    }
}
