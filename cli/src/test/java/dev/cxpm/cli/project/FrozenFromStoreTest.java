package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `sync --frozen` from a store that holds every locked plugin reads the marketplace only to compare what the lock
 * does not already answer: when the marketplace lists a plugin at the very source its lock entry names, whatever
 * version sits there, the source check passes without opening the plugin's files (reading each plugin's manifest made a
 * frozen sync of N plugins open N files it did not need). A source that differs is still read and compared
 * (HandEditedLockfileTest).
 */
class FrozenFromStoreTest {

    @TempDir
    Path dir;

    @Test
    void frozenInstallsFromTheStoreWithoutOpeningTheMarketplacesPluginFiles() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("lone", "1.0.0").needs("lone", "^1");
        CliRun first = t.cxpm("sync");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        // the plugin's directory is now a link out of the marketplace: reading it (to pack it, or to read its version) is
        // refused, so a frozen sync that still reads it fails
        Path plugin = t.market.resolve("plugins/lone");
        Path elsewhere = Files.move(plugin, dir.resolve("elsewhere-lone"));
        Files.createSymbolicLink(plugin, elsewhere);

        CliRun r = t.cxpmIn(t.project, "fresh-home", "sync", "--frozen");

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(dir.resolve("fresh-home/plugins/cache/fx/lone/1.0.0/.codex-plugin/plugin.json")).isRegularFile();
    }

    @Test
    void aPluginDirectoryLinkingOutOfTheMarketplaceIsStillRefusedWhereItWouldBePacked() throws Exception {
        TeamFixture t = new TeamFixture(dir).plugin("lone", "1.0.0").needs("lone", "^1");
        Path plugin = t.market.resolve("plugins/lone");
        Path elsewhere = Files.move(plugin, dir.resolve("elsewhere-lone"));
        Files.createSymbolicLink(plugin, elsewhere);

        CliRun r = t.cxpm("sync"); // no lock, an empty store: the plugin must be read and packed

        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("refusing lone from marketplace `fx`", "is a link to a place outside the marketplace");
        assertThat(t.codexHome().resolve("plugins/cache/fx/lone")).doesNotExist();
    }
}
