package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A git URL or ref from a file (config.toml's marketplaces, a marketplace's plugin sources) that starts with {@code -}
 * is an option to git, not a repository: {@code git ls-remote --upload-pack='CMD;' HEAD} runs CMD. Such a value must
 * reach git after {@code --} or not at all, and nothing of it may run.
 */
class GitArgumentInjectionTest {

    @TempDir
    Path tmp;

    @Test
    void aMarketplaceSourceInConfigTomlThatIsAGitOptionRunsNothingOnUpdate() throws Exception {
        Path home = tmp.resolve("codex-home");
        Path marker = tmp.resolve("pwned");
        Files.createDirectories(home);
        Files.writeString(home.resolve("config.toml"), """
                [marketplaces.evil]
                source_type = "git"
                source = "--upload-pack=touch %s;"
                """.formatted(marker));
        Map<String, String> env = Fixtures.env(home, tmp.resolve("home"));
        CliRun r = CliRun.in(tmp, env, "marketplace", "update", "evil");
        assertThat(marker).as(r.stdout() + r.stderr()).doesNotExist();
        assertThat(r.exitCode()).as(r.stderr()).isIn(1, 4);
        CliRun all = CliRun.in(tmp, env, "marketplace", "update");
        assertThat(marker).as(all.stdout() + all.stderr()).doesNotExist();
    }

    @Test
    void aPluginSourceUrlOrRefThatIsAGitOptionRunsNothingOnInstall() throws Exception {
        Path market = tmp.resolve("market");
        Path marker = tmp.resolve("pwned");
        Files.createDirectories(market.resolve(".agents/plugins"));
        Files.writeString(market.resolve(".agents/plugins/marketplace.json"), """
                {"name": "fx", "plugins": [
                  {"name": "url", "source": {"source": "url", "url": "--upload-pack=touch %1$s;"}},
                  {"name": "sub", "source": {"source": "git-subdir", "url": "--upload-pack=touch %1$s;", "path": "p"}},
                  {"name": "ref", "source": {"source": "url", "url": "%2$s", "ref": "--upload-pack=touch %1$s;"}}
                ]}
                """.formatted(marker, tmp.resolve("nowhere.git")));
        Map<String, String> env = Fixtures.env(tmp.resolve("codex-home"), tmp.resolve("home"));
        assertThat(CliRun.in(tmp, env, "marketplace", "add", market.toString()).exitCode()).isZero();
        for (String plugin : new String[] {"url@fx", "sub@fx", "ref@fx"}) {
            CliRun r = CliRun.in(tmp, env, "install", plugin);
            assertThat(marker).as(plugin + ": " + r.stdout() + r.stderr()).doesNotExist();
            assertThat(r.exitCode()).as(plugin + ": " + r.stderr()).isIn(1, 3, 4);
        }
    }
}
