package dev.cxpm.core.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.install.PluginCacheShownVersionTest.Dirs;
import dev.cxpm.testkit.CodexClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The judge of {@link PluginCache#shownVersion}: for each set of version directories in a plugin's cache directory, the
 * real Codex CLI ({@code codex plugin list --json}) shows the one cxpm says it shows, and the one that was measured.
 */
class PluginCacheShownVersionInteropTest {
    private static final Pattern VERSION = Pattern.compile("\"version\": \"([^\"]*)\"");

    @TempDir
    static Path dir;
    static CodexClient codex;

    @BeforeAll
    static void aPluginInstalledByTheRealCodex() throws Exception {
        codex = new CodexClient(dir.resolve("codex-home"), dir.resolve("home"));
        CodexClient.Result r = codex.run("--version");
        Assumptions.assumeTrue(r.exitCode() == 0, "the real Codex CLI does not run here (codex-client.sh exit " + r.exitCode() + "): " + r.output());
        Path market = dir.resolve("market");
        Files.createDirectories(market.resolve(".agents/plugins"));
        Files.writeString(market.resolve(".agents/plugins/marketplace.json"),
                "{\"name\":\"fx\",\"plugins\":[{\"name\":\"demo\",\"source\":\"./plugins/demo\"}]}");
        PluginCacheShownVersionTest.makeVersionDirs(market.resolve("plugins/demo"), List.of());
        Files.createDirectories(market.resolve("plugins/demo/.codex-plugin"));
        Files.writeString(market.resolve("plugins/demo/.codex-plugin/plugin.json"), "{\"name\":\"demo\",\"version\":\"1.0.0\",\"description\":\"d\"}");
        assertThat(codex.run("plugin", "marketplace", "add", market.toString()).exitCode()).isZero();
        assertThat(codex.run("plugin", "add", "demo@fx").exitCode()).isZero();
    }

    static List<Dirs> measured() {
        return PluginCacheShownVersionTest.measured();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("measured")
    void cxpmShowsTheVersionDirectoryCodexShows(Dirs dirs) throws Exception {
        Path plugin = dir.resolve("codex-home/plugins/cache/fx/demo");
        PluginCacheShownVersionTest.makeVersionDirs(plugin, dirs.names());
        CodexClient.Result list = codex.run("plugin", "list", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        Matcher m = VERSION.matcher(list.stdout());
        assertThat(m.find()).as(list.stdout()).isTrue();
        assertThat(m.group(1)).isEqualTo(dirs.shown());
        assertThat(PluginCache.shownVersion(plugin)).contains(m.group(1));
    }
}
