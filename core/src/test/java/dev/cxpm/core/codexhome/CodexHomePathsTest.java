package dev.cxpm.core.codexhome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import dev.cxpm.core.install.PluginCache;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one checked place where names become paths: the name types refuse path syntax, and the plugin cache
 * refuses to write or delete any path that is not one CodexHome builds, whoever computed it.
 */
class CodexHomePathsTest {

    @TempDir
    Path tmp;
    CodexHome home;
    Path sentinel;
    Path installed;

    @BeforeEach
    void setUp() throws Exception {
        home = new CodexHome(tmp.resolve("codex-home"));
        sentinel = Files.createDirectories(tmp.resolve("sentinel"));
        Files.writeString(sentinel.resolve("keep.txt"), "keep");
        installed = Files.createDirectories(home.pluginCache().resolve("fx/demo/1.0.0"));
        Files.writeString(installed.resolve("plugin.txt"), "demo");
    }

    @Test
    void nameTypesRefusePathSyntax() {
        for (String bad : new String[] {".", "..", "a/b", "a\\b", "a\u0000b", "", "../x", "x/.."}) {
            assertThatThrownBy(() -> PluginName.of(bad)).as(bad).isInstanceOf(UserError.class);
            assertThatThrownBy(() -> MarketplaceName.of(bad)).as(bad).isInstanceOf(UserError.class);
            assertThatThrownBy(() -> VersionDir.of(bad)).as(bad).isInstanceOf(UserError.class);
        }
        assertThat(PluginName.problem("a\u0000b")).hasValue("invalid plugin name `a\\x00b`: only ASCII letters, digits, `.`, `_`, and `-` are allowed");
        assertThat(home.versionDir(MarketplaceName.of("fx"), PluginName.of("demo"), VersionDir.of("1.0.0"))).isEqualTo(installed);
    }

    @Test
    void thePluginCacheRemovesNothingButAPluginDirectoryCodexHomeBuilds() throws Exception {
        PluginCache cache = new PluginCache(home);
        for (Path outside : new Path[] {sentinel, home.pluginCache().resolve("fx/../../../sentinel"), home.pluginCache(),
                home.pluginCache().resolve("fx"), home.pluginCache().resolve("fx/demo/1.0.0"), home.dir(), home.configFile()}) {
            assertThatThrownBy(() -> cache.remove(outside)).as(outside.toString()).isInstanceOf(UserError.class)
                    .hasMessageContaining("refusing to write or delete");
            Path work = cache.newWork();
            assertThatThrownBy(() -> cache.removeOtherVersions(outside, "1.0.0", work)).as(outside.toString()).isInstanceOf(UserError.class);
            Path staged = Files.createDirectories(work.resolve("tree"));
            if (!outside.endsWith("1.0.0")) { // the one version directory put may write
                assertThatThrownBy(() -> cache.put(staged, outside, work)).as(outside.toString()).isInstanceOf(UserError.class);
            }
            assertThatThrownBy(() -> cache.put(staged, outside.resolve("../x/1.0.0"), work)).as(outside.toString()).isInstanceOf(UserError.class);
            cache.discard(work);
        }
        assertThat(sentinel.resolve("keep.txt")).hasContent("keep");
        assertThat(installed.resolve("plugin.txt")).hasContent("demo");
        assertThat(cache.remove(home.pluginCache().resolve("fx/demo"))).isTrue();
        assertThat(home.pluginCache().resolve("fx/demo")).doesNotExist();
    }

    @Test
    void aMarketplaceDirectoryThatIsALinkElsewhereIsNeverWrittenThroughOrDeletedThrough() throws Exception {
        Files.createSymbolicLink(home.pluginCache().resolve("evil"), sentinel);
        Files.createDirectories(sentinel.resolve("demo"));
        PluginCache cache = new PluginCache(home);
        assertThatThrownBy(() -> home.pluginDir(MarketplaceName.of("evil"), PluginName.of("demo"))).isInstanceOf(UserError.class)
                .hasMessageContaining("is a symbolic link");
        assertThatThrownBy(() -> cache.remove(home.pluginCache().resolve("evil/demo"))).isInstanceOf(UserError.class);
        assertThat(sentinel.resolve("demo")).isDirectory();
        assertThat(sentinel.resolve("keep.txt")).hasContent("keep");
    }

    @Test
    void aHomeProvingEachDirectoryOnceStillRefusesLinksAndRechecksWhatWasMissing() throws Exception {
        CodexHome proving = home.provingEachDirOnce();
        Files.createSymbolicLink(home.pluginCache().resolve("evil"), sentinel);
        assertThatThrownBy(() -> proving.pluginDir(MarketplaceName.of("evil"), PluginName.of("demo")))
                .isInstanceOf(UserError.class).hasMessageContaining("is a symbolic link");
        assertThatThrownBy(() -> proving.pluginDir(MarketplaceName.of("evil"), PluginName.of("demo")))
                .as("a link is never remembered as proven").hasMessageContaining("is a symbolic link");
        // checked while missing, then made a link: the next check sees the link
        assertThat(proving.versionDir(MarketplaceName.of("later"), PluginName.of("demo"), VersionDir.of("1.0.0")))
                .isEqualTo(home.pluginCache().resolve("later/demo/1.0.0"));
        Files.createSymbolicLink(home.pluginCache().resolve("later"), sentinel);
        assertThatThrownBy(() -> proving.versionDir(MarketplaceName.of("later"), PluginName.of("demo"), VersionDir.of("1.0.0")))
                .isInstanceOf(UserError.class).hasMessageContaining("is a symbolic link");
        assertThat(proving.pluginDir(MarketplaceName.of("fx"), PluginName.of("demo"))).isEqualTo(installed.getParent());
        assertThat(proving).isEqualTo(home);
    }

    /**
     * A version directory's path is checked in one walk from the cache down; a link on the way is told word for word as
     * when the plugin directory was checked first: naming the plugin directory for a link in place of the marketplace's
     * directory, the version directory for a link in place of the plugin's, and for every kind of home.
     */
    @Test
    void aLinkOnTheWayToAVersionDirectoryIsToldAsEver() throws Exception {
        Path cache = home.pluginCache().toAbsolutePath().normalize();
        Files.createSymbolicLink(home.pluginCache().resolve("evil"), sentinel);
        Files.createSymbolicLink(home.pluginCache().resolve("fx/linked"), sentinel);
        for (CodexHome h : new CodexHome[] {home, home.provingEachDirOnce(), home.readingOnce()}) {
            assertThatThrownBy(() -> h.versionDir(MarketplaceName.of("evil"), PluginName.of("demo"), VersionDir.of("1.0.0")))
                    .isInstanceOf(UserError.class).hasMessage("refusing to write or delete " + cache.resolve("evil/demo") + ": "
                            + cache.resolve("evil") + " is a symbolic link");
            assertThatThrownBy(() -> h.versionDir(MarketplaceName.of("fx"), PluginName.of("linked"), VersionDir.of("1.0.0")))
                    .isInstanceOf(UserError.class).hasMessage("refusing to write or delete " + cache.resolve("fx/linked/1.0.0") + ": "
                            + cache.resolve("fx/linked") + " is a symbolic link");
            assertThat(h.versionDir(MarketplaceName.of("fx"), PluginName.of("demo"), VersionDir.of("2.0.0")))
                    .isEqualTo(cache.resolve("fx/demo/2.0.0"));
        }
    }

    /**
     * A home named through {@code ..} or relatively, and marketplaces asked for in turn: each version directory is the
     * absolute, normal path under the cache, and a link made in place of a marketplace's directory after it was asked
     * for is still refused by a home that does not prove each directory once.
     */
    @Test
    void versionDirectoriesAreNormalWhateverTheHomesNameAndLinksAreLookedForEachTime() throws Exception {
        Path cache = home.pluginCache().toAbsolutePath().normalize();
        CodexHome dotted = new CodexHome(tmp.resolve("elsewhere/../codex-home"));
        CodexHome relative = new CodexHome(Path.of("").toAbsolutePath().relativize(tmp.resolve("codex-home")));
        for (CodexHome h : new CodexHome[] {dotted, relative, dotted.provingEachDirOnce(), relative.readingOnce()}) {
            for (String m : new String[] {"fx", "fy", "fx", "fx", "fz"}) {
                assertThat(h.versionDir(MarketplaceName.of(m), PluginName.of("demo.x"), VersionDir.of("1.0.0+b")))
                        .isEqualTo(cache.resolve(m + "/demo.x/1.0.0+b")).isAbsolute();
            }
        }
        CodexHome plain = new CodexHome(tmp.resolve("codex-home"));
        assertThat(plain.versionDir(MarketplaceName.of("gone"), PluginName.of("demo"), VersionDir.of("1.0.0"))).isEqualTo(cache.resolve("gone/demo/1.0.0"));
        Files.createSymbolicLink(cache.resolve("gone"), sentinel);
        assertThatThrownBy(() -> plain.versionDir(MarketplaceName.of("gone"), PluginName.of("demo"), VersionDir.of("1.0.0")))
                .isInstanceOf(UserError.class).hasMessage("refusing to write or delete " + cache.resolve("gone/demo") + ": "
                        + cache.resolve("gone") + " is a symbolic link");
    }

    @Test
    void aHomeReadingOnceRemembersWhatIsMissingAndStillRefusesLinks() throws Exception {
        CodexHome reading = home.readingOnce();
        Files.createSymbolicLink(home.pluginCache().resolve("evil"), sentinel);
        assertThatThrownBy(() -> reading.versionDir(MarketplaceName.of("evil"), PluginName.of("demo"), VersionDir.of("1.0.0")))
                .isInstanceOf(UserError.class).hasMessageContaining("is a symbolic link");
        // a link inside an existing marketplace directory is refused too
        Files.createSymbolicLink(home.pluginCache().resolve("fx/linked"), sentinel);
        assertThatThrownBy(() -> reading.versionDir(MarketplaceName.of("fx"), PluginName.of("linked"), VersionDir.of("1.0.0")))
                .isInstanceOf(UserError.class).hasMessageContaining("is a symbolic link");
        // a marketplace directory found missing is looked at once for the pass: what appears there later is not seen by it
        assertThat(reading.versionDir(MarketplaceName.of("later"), PluginName.of("demo"), VersionDir.of("1.0.0")))
                .isEqualTo(home.pluginCache().resolve("later/demo/1.0.0"));
        Files.createSymbolicLink(home.pluginCache().resolve("later"), sentinel);
        assertThat(reading.versionDir(MarketplaceName.of("later"), PluginName.of("other"), VersionDir.of("1.0.0")))
                .isEqualTo(home.pluginCache().resolve("later/other/1.0.0"));
        // ... while a home that may write there looks again
        assertThatThrownBy(() -> home.provingEachDirOnce().versionDir(MarketplaceName.of("later"), PluginName.of("other"), VersionDir.of("1.0.0")))
                .isInstanceOf(UserError.class).hasMessageContaining("is a symbolic link");
    }

    @Test
    void aNewPluginIsRenamedInWholeAndAPluginThatIsThereIsNotReplaced() throws Exception {
        CodexHome proving = home.provingEachDirOnce();
        PluginCache cache = new PluginCache(proving);
        Path work = cache.newWork();
        Path staged = Files.createDirectories(work.resolve("w0/fresh@other/2.0.0"));
        Files.writeString(staged.resolve("plugin.txt"), "fresh");
        Path fresh = proving.pluginDir(MarketplaceName.of("other"), PluginName.of("fresh"));
        assertThat(cache.putNew(staged.getParent(), fresh)).isTrue();
        assertThat(fresh.resolve("2.0.0/plugin.txt")).hasContent("fresh");
        assertThat(staged.getParent()).doesNotExist();

        // the plugin's directory is there (another version of it): nothing is replaced, the caller puts the version
        Path again = Files.createDirectories(work.resolve("w1/demo@fx/2.0.0"));
        assertThat(cache.putNew(again.getParent(), installed.getParent())).isFalse();
        assertThat(installed.resolve("plugin.txt")).hasContent("demo");
        assertThat(again).isDirectory();
        // a link where the plugin's directory would be: not replaced, nothing written through it
        Files.createSymbolicLink(home.pluginCache().resolve("fx/linked"), sentinel);
        Path linked = Files.createDirectories(work.resolve("w1/linked@fx/1.0.0"));
        assertThat(cache.putNew(linked.getParent(), home.pluginCache().resolve("fx/linked"))).isFalse();
        assertThat(sentinel.resolve("1.0.0")).doesNotExist();
        assertThat(Files.isSymbolicLink(home.pluginCache().resolve("fx/linked"))).isTrue();
        // a marketplace directory that is a link is refused before anything moves
        Files.createSymbolicLink(home.pluginCache().resolve("evil"), sentinel);
        assertThatThrownBy(() -> cache.putNew(linked.getParent(), home.pluginCache().resolve("evil/linked"))).isInstanceOf(UserError.class)
                .hasMessageContaining("is a symbolic link");
        assertThat(sentinel.resolve("linked")).doesNotExist();
        cache.discard(work);
    }

    @Test
    void whatIsPlantedInAMarketplaceThisPassMadeIsNotReplacedThoughNotLookedFor() throws Exception {
        PluginCache cache = new PluginCache(home.provingEachDirOnce());
        Path work = cache.newWork();
        Path first = Files.createDirectories(work.resolve("w0/first@made/1.0.0")).getParent();
        Path made = home.pluginCache().resolve("made");
        assertThat(cache.mayHold(made.resolve("other"))).isTrue(); // not made yet: looked for
        assertThat(cache.putNew(first, made.resolve("first"))).isTrue();
        // made by this pass: its plugins are not looked for before the rename ...
        assertThat(cache.mayHold(made.resolve("planted"))).isFalse();
        assertThat(cache.mayHold(home.pluginCache().resolve("fx/demo"))).isTrue();
        // ... which refuses what another process put there meanwhile: a plugin's directory, a link, a file
        Path planted = Files.createDirectories(made.resolve("planted/0.1.0"));
        Files.writeString(planted.resolve("plugin.txt"), "theirs");
        Files.createSymbolicLink(made.resolve("linked"), sentinel);
        Files.writeString(made.resolve("file"), "a file");
        for (String name : new String[] {"planted", "linked", "file"}) {
            Path staged = Files.createDirectories(work.resolve("w1/" + name + "@made/1.0.0")).getParent();
            Files.writeString(staged.resolve("1.0.0/plugin.txt"), "ours");
            assertThat(cache.putNew(staged, made.resolve(name))).as(name).isFalse();
            assertThat(staged.resolve("1.0.0/plugin.txt")).as(name).hasContent("ours");
        }
        assertThat(planted.resolve("plugin.txt")).hasContent("theirs");
        assertThat(made.resolve("planted/1.0.0")).doesNotExist();
        assertThat(sentinel.resolve("1.0.0")).doesNotExist();
        assertThat(Files.isSymbolicLink(made.resolve("linked"))).isTrue();
        assertThat(made.resolve("file")).hasContent("a file");
        // an empty directory is the one thing rename(2) replaces: it held nothing, and ours is there whole
        Files.createDirectory(made.resolve("empty"));
        Path staged = Files.createDirectories(work.resolve("w1/empty@made/1.0.0")).getParent();
        assertThat(cache.putNew(staged, made.resolve("empty"))).isTrue();
        assertThat(made.resolve("empty/1.0.0")).isDirectory();
        cache.discard(work);
    }

    @Test
    void recoveryNeverMovesATreeToWhereAForgedMarkerPoints() throws Exception {
        PluginCache cache = new PluginCache(home);
        Path work = cache.newWork();
        Path aside = Files.createDirectories(work.resolve("replaced-x/tree"));
        Files.writeString(aside.resolve("payload.txt"), "payload");
        Files.writeString(work.resolve("replaced-x/target"), home.pluginCache().resolve("fx/..").toString());
        cache.recover();
        assertThat(home.pluginCache().resolve("payload.txt")).doesNotExist();
        assertThat(installed.resolve("plugin.txt")).hasContent("demo");
    }
}
