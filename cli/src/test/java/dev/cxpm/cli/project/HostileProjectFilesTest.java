package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * cxpm.toml, cxpm.lock and {@code $CODEX_HOME/.cxpm/sync-state.json} are untrusted: a name in them that
 * is path syntax is refused with the file and the fix before sync writes or deletes anything, so a
 * directory beside the Codex home (the sentinel) and the plugins installed before stay as they were.
 */
class HostileProjectFilesTest {

    @TempDir
    Path dir;
    TeamFixture t;
    Path sentinel;
    String goodLock;

    @BeforeEach
    void setUp() throws Exception {
        t = new TeamFixture(dir).plugin("app", "1.2.0").plugin("util", "2.0.5").needs("app", "^1", "util", "^2");
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        goodLock = t.read(t.project.resolve("cxpm.lock"));
        sentinel = dir.resolve("somewhere");
        Files.createDirectories(sentinel.resolve("app"));
        Files.writeString(sentinel.resolve("app/keep.txt"), "keep");
    }

    private void assertNothingElseChanged() {
        assertThat(sentinel.resolve("app/keep.txt")).hasContent("keep");
        assertThat(t.codexHome().resolve("plugins/cache/fx/app/1.2.0/.codex-plugin/plugin.json")).exists();
        assertThat(t.codexHome().resolve("plugins/cache/fx/util/2.0.5/.codex-plugin/plugin.json")).exists();
        assertThat(dir.resolve("somewhere/app/1.2.0")).doesNotExist();
        assertThat(dir.resolve("app")).doesNotExist();
    }

    private void lockWith(String field, String from, String to) {
        String lock = goodLock.replace(field + " = \"" + from + "\"", field + " = \"" + to + "\"");
        assertThat(lock).isNotEqualTo(goodLock);
        TeamFixture.write(t.project.resolve("cxpm.lock"), lock);
    }

    @Test
    void lockedMarketplaceThatLeavesTheHomeIsRefusedAndTheNextSyncDeletesNothingOutside() {
        lockWith("marketplace", "fx", "../../../somewhere");
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("cxpm.lock", "marketplace", "../../../somewhere", "git checkout -- cxpm.lock");
        assertNothingElseChanged();
        // cxpm's own hint: restore the lockfile and sync again
        TeamFixture.write(t.project.resolve("cxpm.lock"), goodLock);
        CliRun again = t.cxpm("sync");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertNothingElseChanged();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "name        | app   | ..",
            "name        | app   | ../app",
            "name        | app   | .",
            "marketplace | fx    | ..",
            "marketplace | fx    | ../../somewhere",
            "marketplace | fx    | fx/../..",
            "version     | 1.2.0 | ..",
            "version     | 1.2.0 | ../../../../somewhere"})
    void aLockedNameOrVersionThatIsPathSyntaxIsRefusedWithItsLineAndChangesNothing(String field, String from, String to) {
        lockWith(field, from, to);
        String config = t.read(t.codexHome().resolve("config.toml"));
        String state = t.read(t.codexHome().resolve(".cxpm/sync-state.json"));
        for (String[] args : new String[][] {{"sync"}, {"sync", "--frozen"}, {"doctor"}, {"outdated"}, {"update"}}) {
            CliRun r = t.cxpm(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.stdout() + r.stderr()).isEqualTo(1);
            assertThat(r.stderr()).as(String.join(" ", args))
                    .contains("cxpm.lock:", "`" + field + "`", "`" + to + "`", "git checkout -- cxpm.lock");
        }
        assertThat(t.read(t.codexHome().resolve("config.toml"))).isEqualTo(config);
        assertThat(t.read(t.codexHome().resolve(".cxpm/sync-state.json"))).isEqualTo(state);
        assertNothingElseChanged();
    }

    @Test
    void aLockedDependencyNamedLikeAPathIsRefused() {
        TeamFixture.write(t.project.resolve("cxpm.lock"), goodLock.replaceFirst("dependencies = \\{}", "dependencies = { \\\"..\\\" = \\\"*\\\" }"));
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("cxpm.lock:", "invalid plugin name `..`: path traversal is not allowed");
        assertNothingElseChanged();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[plugins]\\n\"..\" = \"*\"\\n                        | invalid plugin name `..`",
            "[plugins]\\n\"a/b\" = \"*\"\\n                       | invalid plugin name `a/b`",
            "[plugins]\\napp = { version = \"*\", marketplace = \"..\" }\\n | invalid marketplace name `..`",
            "[marketplaces]\\n\"..\" = \"../market\"\\n            | invalid marketplace name `..`"})
    void cxpmTomlNamesThatArePathSyntaxAreRefusedWithTheirLine(String toml, String message) {
        t.toml(toml.replace("\\n", "\n"));
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("cxpm.toml:", message);
        assertNothingElseChanged();
    }

    @Test
    void aPluginDependencyNamedLikeAPathIsRefusedWithItsManifestAndLine() {
        t.plugin("app", "1.3.0", "..", "*");
        CliRun r = t.cxpm("update");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("plugin.json:", "invalid plugin name `..`: path traversal is not allowed");
        assertNothingElseChanged();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "app@../../../somewhere | 1.2.0",
            "app@..                 | 1.2.0",
            "..@fx                  | 1.2.0",
            "../../somewhere/app@fx | 1.2.0",
            "app@fx@x               | 1.2.0",
            "app@fx                 | ../../.."})
    void aSyncStateNamingPathsIsRefusedAndNothingOutsideTheHomeIsDeleted(String id, String version) throws Exception {
        Path stateFile = t.codexHome().resolve(".cxpm/sync-state.json");
        String state = t.read(stateFile);
        String hostile = state.replace("\"plugins\" : {", "\"plugins\" : {\n    \"" + id + "\" : { \"version\" : \"" + version
                + "\", \"integrity\" : \"\", \"project\" : \"" + t.project.toAbsolutePath().normalize() + "\" },");
        if (id.equals("app@fx")) {
            hostile = state.replace("\"version\" : \"1.2.0\"", "\"version\" : \"" + version + "\"");
        }
        assertThat(hostile).isNotEqualTo(state);
        Files.writeString(stateFile, hostile);
        String config = t.read(t.codexHome().resolve("config.toml"));
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains(stateFile.toString(), "delete it and run `cxpm sync` again");
        assertThat(t.read(t.codexHome().resolve("config.toml"))).isEqualTo(config);
        assertNothingElseChanged();
        // the fix the message gives works, and still deletes nothing outside
        Files.delete(stateFile);
        CliRun again = t.cxpm("sync");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertNothingElseChanged();
    }

    /**
     * A config.toml of 50 MB (a comment past the 16 MiB cxpm reads of a TOML file): it was "cannot read ...: is over
     * 16777216 bytes", a file-system error (exit 7) that says nothing of what to do. Now it is what README's table
     * says of every TOML file cxpm reads: invalid input (exit 1), named with the limit and the fix; nothing changed.
     */
    @Test
    void aConfigTomlPastTheLimitIsRefusedAsInvalidInputWithTheLimit() throws Exception {
        Path config = t.codexHome().resolve("config.toml");
        String before = t.read(config);
        try (var out = Files.newBufferedWriter(config, java.nio.file.StandardOpenOption.APPEND)) {
            out.write("\n# ");
            char[] line = new char[1 << 20];
            java.util.Arrays.fill(line, 'a');
            for (int i = 0; i < 50; i++) {
                out.write(line);
            }
            out.write("\n");
        }
        for (String command : new String[] {"sync", "list", "doctor"}) {
            CliRun r = t.cxpm(command);
            assertThat(r.exitCode()).as(command + ": " + r.stdout() + r.stderr()).isEqualTo(1);
            assertThat(r.stderr()).as(command).contains(config + " is larger than the 16 MiB cxpm reads", "fix config.toml by hand");
        }
        assertNothingElseChanged();
        assertThat(Files.size(config)).isEqualTo(before.length() + 3 + (50L << 20) + 1);
    }

    @Test
    void aConfigMarketplaceKeyThatIsPathSyntaxIsReportedByDoctorAndIgnoredBySync() throws Exception {
        Path config = t.codexHome().resolve("config.toml");
        Files.writeString(config, t.read(config) + "\n[marketplaces.\"../../../somewhere\"]\nsource_type = \"git\"\nsource = \"https://git.example.test/x.git\"\n");
        CliRun doctor = t.cxpm("doctor");
        assertThat(doctor.exitCode()).as(doctor.stdout() + doctor.stderr()).isEqualTo(1);
        assertThat(doctor.stdout() + doctor.stderr()).contains("invalid marketplace name `../../../somewhere`", "remove its [marketplaces] table");
        t.needs("app", "^1");
        CliRun sync = t.cxpm("sync");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(sentinel.resolve("app/keep.txt")).hasContent("keep");
        assertThat(t.codexHome().resolve("plugins/cache/fx/app/1.2.0/.codex-plugin/plugin.json")).exists();
        assertThat(t.codexHome().resolve("plugins/cache/fx/util")).doesNotExist(); // removed inside the home, as asked
    }
}
