package dev.cxpm.core.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which version directory list shows for a plugin, as Codex picks it: local first, then the highest version directory. */
class PluginCacheShownVersionTest {
    @TempDir
    Path tmp;

    /** A plugin's version directories and the one Codex 0.171.0 shows (measured: PluginCacheShownVersionInteropTest). */
    record Dirs(List<String> names, String shown) {
        @Override
        public String toString() {
            return names + " shows " + shown;
        }
    }

    static List<Dirs> measured() {
        return List.of(
                new Dirs(List.of("1.0.0", "1.0.0-rc.2", "1.0.0-rc.10", "2.0.0+build", "9.0.0", "10.0.0"), "10.0.0"),
                new Dirs(List.of("1.0.0-rc.2", "1.0.0-rc.10"), "1.0.0-rc.10"),
                new Dirs(List.of("1.0.0-rc2", "1.0.0-rc10"), "1.0.0-rc2"), // identifiers with letters compare as text
                new Dirs(List.of("1.0.0-a", "1.0.0-B"), "1.0.0-a"),
                new Dirs(List.of("1.0.0-1", "1.0.0-alpha"), "1.0.0-alpha"),
                new Dirs(List.of("1.0.0", "1.0.0-rc.2"), "1.0.0"),
                new Dirs(List.of("2.0.0", "2.0.0+build"), "2.0.0+build"), // build metadata is compared, none ranks lowest
                new Dirs(List.of("2.0.0+9", "2.0.0+10"), "2.0.0+10"),
                new Dirs(List.of("2.0.0+B", "2.0.0+a"), "2.0.0+a"),
                new Dirs(List.of("1.0.0+0", "1.0.0+00"), "1.0.0+00"),
                new Dirs(List.of("1.0.0+a", "1.0.0+1"), "1.0.0+a"),
                new Dirs(List.of("1.0.0-rc.1+b", "1.0.0+a"), "1.0.0+a"),
                new Dirs(List.of("3000000000.0.0", "9.0.0"), "3000000000.0.0"), // MAJOR up to 2^64-1
                new Dirs(List.of("30000000000000000000.0.0", "9.0.0"), "9.0.0"), // past it: not SemVer, compared as text
                new Dirs(List.of("1.0.0-rc.100000000000000000000", "1.0.0-rc.9"), "1.0.0-rc.100000000000000000000"),
                new Dirs(List.of("local", "10.0.0"), Installer.LOCAL_VERSION),
                new Dirs(List.of("abc", "1.0.0"), "abc"), // a name that is not SemVer against one that is: as text
                new Dirs(List.of("0abc", "1.0.0"), "1.0.0"),
                new Dirs(List.of("01.0.0", "1.0.0"), "1.0.0"),
                new Dirs(List.of("v1.0.0", "2.0.0"), "v1.0.0"),
                new Dirs(List.of("1.0.0_x", "1.0.0"), "1.0.0_x"));
    }

    /** Makes the plugin directory hold exactly these version directories, each a plugin Codex can read. */
    static void makeVersionDirs(Path plugin, List<String> names) throws IOException {
        dev.cxpm.core.codexhome.Trees.delete(plugin);
        for (String n : names) {
            Path manifest = Files.createDirectories(plugin.resolve(n).resolve(".codex-plugin")).resolve("plugin.json");
            Files.writeString(manifest, "{\"name\":\"demo\",\"version\":\"1.0.0\",\"description\":\"d\"}");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("measured")
    void theDirectoryCodexShows(Dirs dirs) throws IOException {
        Path plugin = tmp.resolve("demo");
        makeVersionDirs(plugin, dirs.names());
        assertThat(PluginCache.shownVersion(plugin)).contains(dirs.shown());
        makeVersionDirs(plugin, dirs.names().reversed()); // made in the other order: the listing's order does not matter
        assertThat(PluginCache.shownVersion(plugin)).contains(dirs.shown());
    }

    @Test
    void theHighestVersionDirectoryIgnoringFilesLinksHiddenAndInvalidNames() throws IOException {
        Path plugin = tmp.resolve("demo");
        for (String dir : new String[] {"1.2.0", "1.10.0", "1.9.9", ".staging-2.0.0", "not a version"}) {
            Files.createDirectories(plugin.resolve(dir));
        }
        Files.writeString(plugin.resolve("3.0.0"), "a file, not a version directory");
        // a link to a directory: Codex 0.171.0 shows no plugin through one (measured with plugin list)
        Files.createSymbolicLink(plugin.resolve("9.0.0"), Files.createDirectories(tmp.resolve("elsewhere/9.0.0")));
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
