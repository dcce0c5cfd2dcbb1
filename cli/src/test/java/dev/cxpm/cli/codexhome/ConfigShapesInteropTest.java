package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.testkit.CodexClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * config.toml files the real Codex CLI accepts, in the shapes TOML allows (inline tables, dotted keys, a
 * byte order mark, CRLF, comments after values): cxpm installs and uninstalls into each, and Codex then
 * reads the result and sees what cxpm did, with the other plugin's flag untouched.
 */
class ConfigShapesInteropTest {

    @TempDir
    Path dir;

    record Shape(String name, String config) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Shape> shapes() {
        String mk = "[marketplaces.fx]\nsource_type = \"local\"\nsource = \"MARKET\"\n";
        return List.of(
                new Shape("inline plugins table", "plugins = {\"other@fx\" = {enabled = false}} # c\n\n" + mk),
                new Shape("inline plugins table holding the plugin", "plugins = { \"demo@fx\" = { enabled = false }, \"other@fx\" = { enabled = false } }\n" + mk),
                new Shape("byte order mark", "\uFEFF" + mk + "\n[plugins.\"other@fx\"]\nenabled = false\n"),
                new Shape("dotted keys in root", "plugins.\"other@fx\".enabled = false\nplugins.\"demo@fx\".enabled = false # off\n" + mk),
                new Shape("inline tables in [plugins]", mk + "\n[plugins]\n\"other@fx\" = { enabled = false } # keep\n\"demo@fx\" = { enabled = false }\n"),
                new Shape("dotted keys in [plugins]", mk + "\n[plugins]\n\"other@fx\".enabled = false\n\"demo@fx\".enabled = false # c\n"),
                new Shape("crlf and comments", (mk + "\n[plugins.\"other@fx\"]\nenabled = false # why\n").replace("\n", "\r\n")),
                new Shape("inline marketplaces table", "marketplaces = { fx = { source_type = \"local\", source = \"MARKET\" } }\n"
                        + "[plugins.\"other@fx\"]\nenabled = false\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void cxpmInstallsIntoEveryShapeCodexAcceptsAndCodexSeesIt(Shape shape) throws IOException {
        Path market = Fixtures.marketplace(dir.resolve("market"), "fx", "demo", "1.0.0", "other", "1.0.0");
        Path codexHome = dir.resolve("codex-home");
        Path home = dir.resolve("home");
        Files.createDirectories(codexHome);
        Path config = codexHome.resolve("config.toml");
        Files.writeString(config, shape.config().replace("MARKET", market.toString()), StandardCharsets.UTF_8);
        CodexClient codex = new CodexClient(codexHome, home);
        Map<String, String> env = Fixtures.env(codexHome, home);
        assertThat(codex.run("plugin", "list", "--json").exitCode()).as("Codex accepts the starting file").isZero();

        CliRun install = CliRun.in(dir, env, "install", "demo@fx");
        assertThat(install.exitCode()).as(install.stderr()).isZero();
        assertThat(installed(codex)).containsExactly(Map.entry("demo@fx", true));
        assertThat(Files.readString(config)).doesNotContain("\r", "\uFEFF");

        CliRun disable = CliRun.in(dir, env, "disable", "demo@fx");
        assertThat(disable.exitCode()).as(disable.stderr()).isZero();
        assertThat(installed(codex)).containsExactly(Map.entry("demo@fx", false));

        // Codex still edits what cxpm wrote, and cxpm removes only its plugin.
        assertThat(codex.run("plugin", "add", "other@fx").exitCode()).isZero();
        CliRun uninstall = CliRun.in(dir, env, "uninstall", "demo@fx");
        assertThat(uninstall.exitCode()).as(uninstall.stderr()).isZero();
        assertThat(installed(codex)).containsExactly(Map.entry("other@fx", true));
        assertThat(Files.readString(config)).doesNotContain("demo@fx");

        Path second = Fixtures.marketplace(dir.resolve("market2"), "fy", "demo", "1.0.0");
        CliRun add = CliRun.in(dir, env, "marketplace", "add", second.toString());
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        CodexClient.Result list = codex.run("plugin", "marketplace", "list", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.stdout()).contains("\"name\": \"fx\"", "\"name\": \"fy\"");
    }

    /**
     * A config.toml Codex refuses to load for a key of 81 parts (its limit is 80: core's CodexTomlLimitsInteropTest):
     * install, list, sync and doctor refuse it with exit 1 naming config.toml, the line and the fix, and write nothing.
     */
    @org.junit.jupiter.api.Test
    void aConfigTomlCodexRefusesForItsDepthIsRefusedAndLeftAsItWas() throws IOException {
        Path market = Fixtures.marketplace(dir.resolve("market"), "fx", "demo", "1.0.0", "other", "1.0.0");
        Path codexHome = dir.resolve("codex-home");
        Path home = dir.resolve("home");
        Path project = dir.resolve("project");
        Files.createDirectories(codexHome);
        Files.createDirectories(project);
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\nfx = \"" + market + "\"\n\n[plugins]\ndemo = \"^1\"\n");
        Path config = codexHome.resolve("config.toml");
        Files.writeString(config, "[tui]\n" + "a" + ".a".repeat(79) + " = 1\n", StandardCharsets.UTF_8);
        Map<String, String> env = Fixtures.env(codexHome, home);
        CliRun sync = CliRun.in(project, env, "sync", "--yes");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        CodexClient codex = new CodexClient(codexHome, home);
        assertThat(installed(codex)).containsExactly(Map.entry("demo@fx", true));

        String text = Files.readString(config).replace("a" + ".a".repeat(79), "a" + ".a".repeat(80));
        Files.writeString(config, text, StandardCharsets.UTF_8);
        int line = (int) text.substring(0, text.indexOf("a.a.")).chars().filter(c -> c == '\n').count() + 1;
        CodexClient.Result refused = codex.run("plugin", "list");
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.stderr()).contains("failed to load configuration");
        for (String[] args : new String[][] {{"install", "other@fx"}, {"list"}, {"sync"}, {"sync", "--frozen"}, {"doctor"}}) {
            CliRun run = CliRun.in(project, env, args);
            assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.stderr()).isEqualTo(1);
            assertThat(run.stderr()).contains(config + ":" + line + ":1: Codex refuses a key of more than 80 dotted parts", "write the key with fewer parts");
        }
        assertThat(Files.readString(config)).isEqualTo(text);
        assertThat(codexHome.resolve("plugins/cache/fx/other")).doesNotExist();
    }

    private static Map<String, Boolean> installed(CodexClient codex) throws IOException {
        CodexClient.Result r = codex.run("plugin", "list", "--json");
        assertThat(r.exitCode()).as(r.output()).isZero();
        Map<String, Boolean> out = new TreeMap<>();
        for (JsonNode p : new ObjectMapper().readTree(r.stdout()).path("installed")) {
            out.put(p.path("pluginId").asText(), p.path("enabled").asBoolean());
        }
        return out;
    }
}
