package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
