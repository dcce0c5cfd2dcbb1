package dev.cxpm.core.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which version directory list shows for a plugin, as Codex picks it: local first, then the highest version directory. */
class PluginCacheShownVersionTest {
    @TempDir
    Path tmp;

    @Test
    void theHighestVersionDirectoryIgnoringFilesHiddenAndInvalidNames() throws IOException {
        Path plugin = tmp.resolve("demo");
        for (String dir : new String[] {"1.2.0", "1.10.0", "1.9.9", ".staging-2.0.0", "not a version"}) {
            Files.createDirectories(plugin.resolve(dir));
        }
        Files.writeString(plugin.resolve("3.0.0"), "a file, not a version directory");
        assertThat(PluginCache.shownVersion(plugin)).contains("1.10.0");
        Files.createDirectories(plugin.resolve(Installer.LOCAL_VERSION));
        assertThat(PluginCache.shownVersion(plugin)).contains(Installer.LOCAL_VERSION);
    }

    @Test
    void nothingForAMissingOrEmptyPluginOrAFile() throws IOException {
        assertThat(PluginCache.shownVersion(tmp.resolve("missing"))).isEmpty();
        assertThat(PluginCache.shownVersion(Files.createDirectories(tmp.resolve("empty")))).isEmpty();
        assertThat(PluginCache.shownVersion(Files.writeString(tmp.resolve("file"), "x"))).isEmpty();
    }
}
