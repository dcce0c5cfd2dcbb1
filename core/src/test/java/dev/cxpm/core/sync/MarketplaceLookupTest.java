package dev.cxpm.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.format.marketplace.MarketplaceEntry;
import dev.cxpm.testkit.Reachable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Codex home's marketplace that cxpm.toml does not name is read when a plugin is first looked up in it and keeps
 * the entries of the names asked, not every entry (a sync or outdated beside several of 100,000 entries held them all).
 */
class MarketplaceLookupTest {
    @TempDir
    Path tmp;

    @Test
    void keepsTheEntriesOfTheNamesAskedOnly() throws Exception {
        Path root = marketplace("home", "a", "b", "c", "d");
        MarketplaceLookup lookup = MarketplaceLookup.asked(root, List.of("a"));
        assertThat(held(lookup)).isEmpty(); // nothing read before a lookup

        assertThat(lookup.plugin("b")).map(MarketplaceEntry::name).contains("b");
        assertThat(held(lookup)).containsExactlyInAnyOrder("a", "b");
        assertThat(lookup.plugin("a")).map(MarketplaceEntry::name).contains("a");
        assertThat(lookup.plugin("zz")).isEmpty();
        assertThat(held(lookup)).containsExactlyInAnyOrder("a", "b");

        assertThat(lookup.plugin("c")).map(MarketplaceEntry::name).contains("c"); // read again for a name it lists
        assertThat(held(lookup)).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(lookup.localPluginDir(new dev.cxpm.core.format.PluginSource.Local("./plugins/c")))
                .isEqualTo(root.toAbsolutePath().normalize().resolve("plugins/c"));
    }

    @Test
    void aBrokenMarketplaceOffersNothing() throws Exception {
        Path root = marketplace("home", "a");
        Files.writeString(root.resolve(".agents/plugins/marketplace.json"), "{\"name\": \"home\", \"plugins\": [{\"name\": \"a\"}]}");
        MarketplaceLookup lookup = MarketplaceLookup.asked(root, List.of());
        assertThat(lookup.plugin("a")).isEmpty();
        assertThat(MarketplaceLookup.asked(tmp.resolve("gone"), List.of()).plugin("a")).isEmpty();
    }

    private Path marketplace(String name, String... plugins) throws Exception {
        Path root = tmp.resolve(name);
        Files.createDirectories(root.resolve(".agents/plugins"));
        StringBuilder json = new StringBuilder("{\"name\": \"" + name + "\", \"plugins\": [");
        for (int i = 0; i < plugins.length; i++) {
            json.append(i > 0 ? ", " : "").append("{\"name\": \"").append(plugins[i]).append("\", \"source\": \"./plugins/")
                    .append(plugins[i]).append("\"}");
        }
        Files.writeString(root.resolve(".agents/plugins/marketplace.json"), json.append("]}"));
        return root;
    }

    private static List<String> held(MarketplaceLookup lookup) {
        return Reachable.from(lookup, o -> false).stream().filter(MarketplaceEntry.class::isInstance)
                .map(o -> ((MarketplaceEntry) o).name()).toList();
    }
}
