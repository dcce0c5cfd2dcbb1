package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.testkit.CodexClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing cxpm installs is a symbolic link, and no link is followed out of a plugin (docs/PACKING.md, "Links").
 * The real Codex CLI 0.171.0 leaves every link out of the copy; cxpm installs a link to a file inside the plugin as
 * that file (as pack does), and leaves out, with a warning, links that leave the plugin, loop, dangle or name a
 * directory. A plugin directory that is itself a link to outside its marketplace is refused, and so is a Codex home
 * whose plugin cache leads out of it through a link.
 */
class SymlinkInstallTest {

    @TempDir
    Path dir;

    /** lone 1.0.0 with one link of each kind; the secret outside must never reach the Codex home. */
    private TeamFixture linked() throws IOException {
        TeamFixture t = new TeamFixture(dir).plugin("lone", "1.0.0").plugin("util", "2.0.0");
        Path p = t.market.resolve("plugins/lone");
        Files.writeString(dir.resolve("secret.txt"), "TOP SECRET\n");
        Files.createDirectories(dir.resolve("outside-dir"));
        Files.writeString(dir.resolve("outside-dir/key"), "TOP SECRET\n");
        Files.createSymbolicLink(p.resolve("inside.md"), Path.of("skills/lone-skill/SKILL.md"));
        Files.createSymbolicLink(p.resolve("outside.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(p.resolve("outside-relative.txt"), Path.of("../../../secret.txt"));
        Files.createSymbolicLink(p.resolve("outside-dir"), dir.resolve("outside-dir"));
        Files.createSymbolicLink(p.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(p.resolve("loop-b"), Path.of("loop-a"));
        Files.createSymbolicLink(p.resolve("dangling"), Path.of("nowhere"));
        Files.createSymbolicLink(p.resolve("skills-link"), Path.of("skills"));
        return t;
    }

    private static List<Path> links(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isSymbolicLink).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertInstalledWithoutLinks(Path installed) throws IOException {
        assertThat(links(installed)).isEmpty();
        assertThat(installed.resolve("inside.md")).isRegularFile();
        assertThat(Files.isSymbolicLink(installed.resolve("inside.md"))).isFalse();
        assertThat(Files.readString(installed.resolve("inside.md"))).isEqualTo(Files.readString(installed.resolve("skills/lone-skill/SKILL.md")));
        for (String gone : List.of("outside.txt", "outside-relative.txt", "outside-dir", "loop-a", "loop-b", "dangling", "skills-link")) {
            assertThat(Files.exists(installed.resolve(gone), LinkOption.NOFOLLOW_LINKS)).as(gone).isFalse();
        }
    }

    private void assertNoSecretIn(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString())
                        .doesNotContain("TOP SECRET");
            }
        }
    }

    @Test
    void installCopiesNoLinkAndCodexStillListsThePluginEnabled() throws Exception {
        TeamFixture t = linked();
        assertThat(t.cxpm("marketplace", "add", t.market.toString()).exitCode()).isZero();

        CliRun r = t.cxpm("install", "lone@fx");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("warning: not installed: outside.txt (link leaves the plugin",
                "not installed: loop-a (broken or looping link)", "not installed: skills-link (link to a directory is not followed)");
        Path installed = t.codexHome().resolve("plugins/cache/fx/lone/1.0.0");
        assertInstalledWithoutLinks(installed);
        assertNoSecretIn(t.codexHome());
        CodexClient.Result list = new CodexClient(t.codexHome(), dir.resolve("home")).run("plugin", "list", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.stdout()).contains("\"pluginId\": \"lone@fx\"", "\"version\": \"1.0.0\"", "\"installed\": true", "\"enabled\": true");

        // a link planted in the installed copy makes it differ from the source: a reinstall replaces it
        Files.createSymbolicLink(installed.resolve("planted"), dir.resolve("secret.txt"));
        CliRun again = t.cxpm("install", "lone@fx", "--json");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout()).contains("\"unchanged\": false");
        assertInstalledWithoutLinks(installed);
    }

    @Test
    void syncCopiesNoLinkAndFrozenAcceptsWhatItInstalled() throws Exception {
        TeamFixture t = linked().needs("lone", "^1");

        CliRun r = t.cxpm("sync");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("warning: lone 1.0.0: outside.txt is not installed (symlink leaves the plugin",
                "warning: lone 1.0.0: loop-a is not installed (broken or looping symlink)");
        assertInstalledWithoutLinks(t.codexHome().resolve("plugins/cache/fx/lone/1.0.0"));
        assertNoSecretIn(t.codexHome());
        CliRun frozen = t.cxpm("sync", "--frozen");
        assertThat(frozen.exitCode()).as(frozen.stderr()).isZero();
    }

    /**
     * The Codex home's {@code plugins/}, {@code plugins/cache/} or cxpm's staging area a link to a directory outside the
     * home (a dotfiles set-up, or a planted one): sync and install placed the plugin, or staged it, through the link.
     * Now each refuses (exit 6, naming the link) and nothing appears, or goes, where it points.
     */
    @Test
    void aPluginsDirectoryThatLinksOutsideTheHomeIsNeverWrittenThrough() throws Exception {
        for (String linked : List.of("plugins", "plugins/cache", "plugins/.cxpm-staging")) {
            TeamFixture t = new TeamFixture(dir.resolve(linked.replace('/', '-'))).plugin("lone", "1.0.0").needs("lone", "^1");
            Path outside = Files.createDirectories(t.dir.resolve("outside"));
            Path kept = outside.resolve("kept/file.txt"); // what a leftover staging directory would hold, to be deleted
            TeamFixture.write(kept, "not cxpm's\n");
            Path link = t.codexHome().resolve(linked);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, outside);
            assertThat(t.cxpm("marketplace", "add", t.market.toString()).exitCode()).isZero();

            for (List<String> command : List.of(List.of("sync"), List.of("install", "lone@fx"))) {
                CliRun r = t.cxpm(command.toArray(String[]::new));

                String shown = linked + ": cxpm " + String.join(" ", command) + "\n" + r.stdout() + r.stderr();
                assertThat(r.exitCode()).as(shown).isEqualTo(6);
                assertThat(r.stderr()).as(shown).contains(link + " is a symbolic link");
                try (Stream<Path> s = Files.list(outside)) {
                    assertThat(s.toList()).as(shown).containsExactly(kept.getParent());
                }
                assertThat(kept).as(shown).hasContent("not cxpm's");
            }
        }
    }

    @Test
    void aPluginDirectoryThatLinksOutsideTheMarketplaceIsRefused() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("lone", "1.0.0");
        Path elsewhere = dir.resolve("elsewhere/lone");
        Files.createDirectories(elsewhere.getParent());
        Files.move(t.market.resolve("plugins/lone"), elsewhere);
        Files.createSymbolicLink(t.market.resolve("plugins/lone"), elsewhere);
        assertThat(t.cxpm("marketplace", "add", t.market.toString()).exitCode()).isZero();
        String config = t.read(t.codexHome().resolve("config.toml"));

        CliRun install = t.cxpm("install", "lone@fx");

        assertThat(install.exitCode()).as(install.stdout() + install.stderr()).isEqualTo(1);
        assertThat(install.stderr()).contains("outside");
        assertThat(t.codexHome().resolve("plugins/cache/fx/lone")).doesNotExist();
        assertThat(t.read(t.codexHome().resolve("config.toml"))).isEqualTo(config);

        t.needs("lone", "^1");
        CliRun sync = t.cxpm("sync");
        assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isEqualTo(1);
        assertThat(t.codexHome().resolve("plugins/cache/fx/lone")).doesNotExist();
        assertThat(t.project.resolve("cxpm.lock")).doesNotExist();
    }

    @Test
    void aPluginDirectoryThatLinksInsideTheMarketplaceIsInstalledAsCodexDoes() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("lone", "1.0.0");
        Files.move(t.market.resolve("plugins/lone"), t.market.resolve("real-lone"));
        Files.createSymbolicLink(t.market.resolve("plugins/lone"), Path.of("../real-lone"));
        assertThat(t.cxpm("marketplace", "add", t.market.toString()).exitCode()).isZero();

        CliRun install = t.cxpm("install", "lone@fx");

        assertThat(install.exitCode()).as(install.stderr()).isZero();
        assertThat(t.codexHome().resolve("plugins/cache/fx/lone/1.0.0/.codex-plugin/plugin.json")).isRegularFile();
        assertThat(links(t.codexHome())).isEmpty();
    }

    @Test
    void gitSourcesNeverBringALinkOrWhatItPointsTo() throws Exception {
        Path home = dir.resolve("home");
        Files.writeString(dir.resolve("secret.txt"), "TOP SECRET\n");
        TeamFixture.write(dir.resolve("outside-plugin/.codex-plugin/plugin.json"), "{\"name\": \"part\", \"version\": \"6.6.6\"}");
        TeamFixture.write(dir.resolve("outside-plugin/stolen.txt"), "TOP SECRET\n");
        Path whole = dir.resolve("repos/whole");
        TeamFixture.write(whole.resolve(".codex-plugin/plugin.json"), "{\"name\": \"whole\", \"version\": \"3.1.0\"}");
        TeamFixture.write(whole.resolve("README.md"), "hello\n");
        Files.createSymbolicLink(whole.resolve("inside.md"), Path.of("README.md"));
        Files.createSymbolicLink(whole.resolve("outside.txt"), dir.resolve("secret.txt"));
        String wholeUrl = Fixtures.gitRepo(whole, home, "whole");
        Path mono = dir.resolve("repos/mono");
        TeamFixture.write(mono.resolve("README.md"), "mono\n");
        Files.createDirectories(mono.resolve("plugins"));
        Files.createSymbolicLink(mono.resolve("plugins/part"), dir.resolve("outside-plugin"));
        String monoUrl = Fixtures.gitRepo(mono, home, "mono");
        TeamFixture t = new TeamFixture(dir);
        TeamFixture.write(t.market.resolve(".agents/plugins/marketplace.json"), """
                {"name": "fx", "plugins": [
                  {"name": "whole", "source": {"source": "url", "url": "%s"}},
                  {"name": "part", "source": {"source": "git-subdir", "url": "%s", "path": "plugins/part"}}]}
                """.formatted(wholeUrl, monoUrl));
        assertThat(t.cxpm("marketplace", "add", t.market.toString()).exitCode()).isZero();

        CliRun r = t.cxpm("install", "whole@fx");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Path installed = t.codexHome().resolve("plugins/cache/fx/whole/3.1.0");
        assertThat(links(installed)).isEmpty();
        assertThat(Files.readString(installed.resolve("inside.md"))).isEqualTo("hello\n");
        assertThat(Files.exists(installed.resolve("outside.txt"), LinkOption.NOFOLLOW_LINKS)).isFalse();

        CliRun part = t.cxpm("install", "part@fx");
        assertThat(part.exitCode()).as(part.stdout() + part.stderr()).isNotZero();
        assertThat(t.codexHome().resolve("plugins/cache/fx/part")).doesNotExist();

        t.needs("part", "*");
        CliRun sync = t.cxpm("sync");
        assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isNotZero();
        assertThat(t.codexHome().resolve("plugins/cache/fx/part")).doesNotExist();
        assertNoSecretIn(t.codexHome());
    }

    @Test
    void aManifestThatIsALinkIsMissingAsForCodex() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("lone", "1.0.0");
        Path manifest = t.market.resolve("plugins/lone/.codex-plugin/plugin.json");
        Files.move(manifest, t.market.resolve("plugins/lone/real.json"));
        Files.createSymbolicLink(manifest, Path.of("../real.json"));
        assertThat(t.cxpm("marketplace", "add", t.market.toString()).exitCode()).isZero();

        CliRun cxpm = t.cxpm("install", "lone@fx");
        CodexClient.Result codex = new CodexClient(dir.resolve("codex-home-2"), dir.resolve("home")).run("plugin", "marketplace", "add",
                t.market.toString());
        assertThat(codex.exitCode()).as(codex.output()).isZero();
        CodexClient.Result codexAdd = new CodexClient(dir.resolve("codex-home-2"), dir.resolve("home")).run("plugin", "add", "lone@fx");

        assertThat(codexAdd.exitCode()).isEqualTo(1);
        assertThat(codexAdd.output()).contains("missing plugin.json");
        assertThat(cxpm.exitCode()).as(cxpm.stdout() + cxpm.stderr()).isEqualTo(1);
        assertThat(cxpm.stderr()).contains("missing plugin.json");
        assertThat(t.codexHome().resolve("plugins/cache/fx/lone")).doesNotExist();
    }

    /**
     * A version directory that is a link (to a copy of the plugin outside the home): Codex does not follow it, so the plugin
     * is not installed for Codex. Sync and install replace the link with a real directory and say so (they said the files
     * differed from the locked content), nothing is written where it points, and Codex then shows the plugin.
     */
    @Test
    void aVersionDirectoryThatIsALinkIsReplacedAndTheLinkNamed() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("lone", "1.0.0").needs("lone", "^1");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Path version = t.codexHome().resolve("plugins/cache/fx/lone/1.0.0");
        Path outside = dir.resolve("outside/1.0.0");
        Files.createDirectories(outside.getParent());
        Files.move(version, outside);
        Files.createSymbolicLink(version, outside);
        CodexClient codex = new CodexClient(t.codexHome(), dir.resolve("home"));
        assertThat(codex.run("plugin", "list", "--json").stdout()).doesNotContain("\"pluginId\": \"lone@fx\"");
        assertThat(t.cxpm("list").stdout()).doesNotContain("1.0.0");

        CliRun sync = t.cxpm("sync");

        assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();
        assertThat(sync.stdout()).contains("! lone@fx 1.0.0 (its directory was a link, not followed; replaced)")
                .doesNotContain("differed");
        assertThat(Files.isSymbolicLink(version)).isFalse();
        assertThat(version.resolve(".codex-plugin/plugin.json")).isRegularFile();
        assertThat(outside.resolve(".codex-plugin/plugin.json")).isRegularFile(); // where it pointed: left as it was
        assertThat(codex.run("plugin", "list", "--json").stdout()).contains("\"pluginId\": \"lone@fx\"", "\"version\": \"1.0.0\"");
        assertThat(t.cxpm("sync", "--frozen").exitCode()).isZero();

        Trees.delete(version);
        Files.createSymbolicLink(version, outside);
        CliRun install = t.cxpm("install", "lone@fx");
        assertThat(install.exitCode()).as(install.stdout() + install.stderr()).isZero();
        assertThat(install.stdout() + install.stderr()).contains("was a link, not followed").doesNotContain("differed");
        assertThat(Files.isSymbolicLink(version)).isFalse();
        assertThat(outside.resolve(".codex-plugin/plugin.json")).isRegularFile();
    }
}
