package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A name that reaches cxpm from outside (command line, a marketplace's or plugin's manifest, config.toml)
 * and would be path syntax as a directory name is refused before any file is touched: nothing outside the
 * Codex home changes, and no other installed plugin does either. A sentinel directory beside the Codex
 * home and two plugins installed beforehand (one of the hostile marketplace, one of another) must survive.
 */
class HostileNamesTest {

    @TempDir
    Path tmp;
    Path codexHome;
    Map<String, String> env;
    Path sentinel;

    @BeforeEach
    void setUp() throws Exception {
        codexHome = tmp.resolve("codex-home");
        env = new HashMap<>(Fixtures.env(codexHome, tmp.resolve("home")));
        Fixtures.marketplace(tmp.resolve("good"), "fx", "demo", "1.0.0");
        Path evil = Fixtures.marketplace(tmp.resolve("evil"), "evil", "kept", "1.0.0", "other", "2.0.0");
        // entries whose names are path syntax, each with a manifest of the same name (so a name check alone passes)
        Fixtures.plugin(evil.resolve("plugins/dotdot"), "{\"name\": \"..\", \"version\": \"1.0.0\"}");
        Fixtures.plugin(evil.resolve("plugins/dot"), "{\"name\": \".\", \"version\": \"1.0.0\"}");
        Path manifest = evil.resolve(".agents/plugins/marketplace.json");
        Files.writeString(manifest, Files.readString(manifest).replace("]}", ", {\"name\": \"..\", \"source\": \"./plugins/dotdot\"}"
                + ", {\"name\": \".\", \"source\": \"./plugins/dot\"}]}"));
        assertThat(cxpm("marketplace", "add", "good").exitCode()).isZero();
        assertThat(cxpm("marketplace", "add", "evil").exitCode()).isZero();
        assertThat(cxpm("install", "demo@fx").exitCode()).isZero();
        assertThat(cxpm("install", "kept@evil").exitCode()).isZero();
        assertThat(cxpm("install", "other@evil").exitCode()).isZero();
        sentinel = tmp.resolve("sentinel");
        Files.createDirectories(sentinel);
        Files.writeString(sentinel.resolve("keep.txt"), "keep");
    }

    CliRun cxpm(String... args) {
        return CliRun.in(tmp, env, args);
    }

    void assertNothingElseChanged() throws IOException {
        assertThat(sentinel.resolve("keep.txt")).hasContent("keep");
        assertThat(codexHome.resolve("plugins/cache/fx/demo/1.0.0/.codex-plugin/plugin.json")).exists();
        assertThat(codexHome.resolve("plugins/cache/evil/kept/1.0.0/.codex-plugin/plugin.json")).exists();
        assertThat(codexHome.resolve("plugins/cache/evil/other/2.0.0/.codex-plugin/plugin.json")).exists();
        try (var s = Files.list(codexHome.resolve("plugins/cache"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("fx", "evil");
        }
        assertThat(Files.readString(codexHome.resolve("config.toml")))
                .contains("[plugins.\"demo@fx\"]", "[plugins.\"kept@evil\"]", "[plugins.\"other@evil\"]");
    }

    @Test
    void installOfDotDotDeletesNothingAndIsRefusedAsCodexRefusesIt() throws Exception {
        CliRun r = cxpm("install", "..@evil");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("plugin requires --marketplace unless passed as <plugin>@<marketplace>");
        assertNothingElseChanged();
    }

    @Test
    void installOfDotDeletesNothing() throws Exception {
        CliRun r = cxpm("install", ".@evil");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertNothingElseChanged();
    }

    /** Every command that takes PLUGIN@MARKETPLACE or PLUGIN -m MARKETPLACE, with each kind of path syntax in either name. */
    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a/b", "a\\b", "a\u0000b", "../kept", "..a", "kept/.."})
    void everyInstallSideCommandRefusesANameThatIsPathSyntaxAsBadUsage(String name) throws Exception {
        for (String command : new String[] {"install", "uninstall", "enable", "disable", "add"}) {
            for (String[] args : new String[][] {{command, name + "@evil"}, {command, "kept@" + name}, {command, name, "-m", "evil"},
                    {command, "kept", "-m", name}}) {
                if (command.equals("add") && args.length > 2) {
                    continue; // add takes PLUGIN[@MARKETPLACE] only
                }
                CliRun r = cxpm(args);
                assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.stderr()).isEqualTo(2);
                assertThat(r.stderr()).as(String.join(" ", args))
                        .containsAnyOf("plugin requires --marketplace unless passed as <plugin>@<marketplace>", "invalid plugin name `",
                                "invalid marketplace name `");
                assertNothingElseChanged();
            }
        }
        assertThat(tmp.resolve("cxpm.toml")).doesNotExist();
    }

    @Test
    void withAnExplicitMarketplaceTheMessageIsCodexsOwn() {
        CliRun r = cxpm("install", "..", "-m", "evil");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("invalid plugin name `..`: path traversal is not allowed");
        CliRun nul = cxpm("uninstall", "a\u0000b", "-m", "evil");
        assertThat(nul.stderr()).contains("invalid plugin name `a\\x00b`: only ASCII letters, digits, `.`, `_`, and `-` are allowed");
    }

    @Test
    void marketplaceEntriesNamedLikePathsAreSkippedAsCodexSkipsThem() {
        CliRun r = cxpm("validate", "evil");
        assertThat(r.stdout() + r.stderr()).contains("marketplace.entry-name-invalid", "plugin `..` is skipped", "plugin `.` is skipped");
        CliRun search = cxpm("search", "plugin", "--json");
        assertThat(search.stdout()).contains("\"kept\"").doesNotContain("\"name\": \"..\"");
    }

    @Test
    void aPluginManifestNamedDotDotIsRefusedAtInstall() throws Exception {
        Path evil = tmp.resolve("evil");
        Fixtures.plugin(evil.resolve("plugins/sneaky"), "{\"name\": \"..\", \"version\": \"1.0.0\"}");
        Path manifest = evil.resolve(".agents/plugins/marketplace.json");
        Files.writeString(manifest, Files.readString(manifest).replace("]}", ", {\"name\": \"sneaky\", \"source\": \"./plugins/sneaky\"}]}"));
        CliRun r = cxpm("install", "sneaky@evil");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("invalid plugin name: path traversal is not allowed", "`..`");
        assertThat(codexHome.resolve("plugins/cache/evil/sneaky")).doesNotExist();
        assertNothingElseChanged();
    }

    @Test
    void aPluginManifestVersionOfDotDotIsRefusedAtInstallAsCodexRefusesIt() throws Exception {
        Path evil = tmp.resolve("evil");
        Fixtures.plugin(evil.resolve("plugins/kept"), "{\"name\": \"kept\", \"version\": \"..\"}");
        CliRun r = cxpm("install", "kept@evil");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("invalid plugin version: path traversal is not allowed");
        assertNothingElseChanged();
    }

    @Test
    void configEntriesWhoseNamesArePathSyntaxAreNeverTurnedIntoPaths() throws Exception {
        Path config = codexHome.resolve("config.toml");
        Path clones = codexHome.resolve(".tmp");
        Files.createDirectories(clones.resolve("keep"));
        Files.writeString(config, Files.readString(config) + """

                [plugins."..@evil"]
                enabled = true

                [marketplaces.".."]
                source_type = "git"
                source = "https://git.example.test/team/nowhere.git"
                """);
        CliRun list = cxpm("list", "--json");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains("kept@evil").doesNotContain("..@evil");
        CliRun markets = cxpm("marketplace", "list");
        assertThat(markets.stdout() + markets.stderr()).contains("invalid marketplace name `..`");
        CliRun remove = cxpm("marketplace", "remove", "..");
        assertThat(remove.exitCode()).isEqualTo(2);
        assertThat(remove.stderr()).contains("invalid marketplace name `..`");
        CliRun update = cxpm("marketplace", "update", "..");
        assertThat(update.exitCode()).isEqualTo(1);
        assertThat(update.stderr()).contains("config.toml", "invalid marketplace name `..`", "remove or rename its [marketplaces] table");
        CliRun uninstall = cxpm("uninstall", "..@evil");
        assertThat(uninstall.exitCode()).isEqualTo(2);
        assertThat(clones.resolve("keep")).isDirectory();
        assertNothingElseChanged();
    }
}
