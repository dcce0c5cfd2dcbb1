package dev.cxpm.core.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.format.marketplace.Marketplace;
import dev.cxpm.testkit.Reachable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the catalog keeps while it walks the configured marketplaces: a marketplace's parsed manifest (a 6 MB
 * marketplace.json of 100,000 entries is tens of MB as a tree) is held only while that marketplace is read, so neither
 * the catalog nor a search's result reaches one, and a search over several huge marketplaces holds one at a time.
 */
class CatalogHoldsTest {

    @TempDir
    Path tmp;
    Marketplaces marketplaces;

    @BeforeEach
    void setUp() throws Exception {
        marketplaces = new Marketplaces(new CodexHome(tmp.resolve("codex-home")), new GitCli(Map.of(), tmp), Duration.ofSeconds(5));
        for (String name : List.of("alpha", "beta", "gamma")) {
            Path root = tmp.resolve(name);
            StringBuilder entries = new StringBuilder();
            for (int i = 1; i <= 5; i++) {
                String plugin = "tool-" + i;
                Files.createDirectories(root.resolve("plugins/" + plugin + "/.codex-plugin"));
                Files.writeString(root.resolve("plugins/" + plugin + "/.codex-plugin/plugin.json"),
                        "{\"name\": \"" + plugin + "\", \"version\": \"1." + i + ".0\", \"description\": \"Tool " + i + " of " + name + "\"}");
                entries.append(i > 1 ? ", " : "").append("{\"name\": \"").append(plugin).append("\", \"source\": \"./plugins/").append(plugin).append("\"}");
            }
            Files.createDirectories(root.resolve(".agents/plugins"));
            Files.writeString(root.resolve(".agents/plugins/marketplace.json"), "{\"name\": \"" + name + "\", \"plugins\": [" + entries + "]}");
            marketplaces.add(new MarketplaceSource.Local(root), Optional.empty());
        }
    }

    @Test
    void aCatalogHoldsNoMarketplacesManifest() {
        assertThat(manifestsReachedFrom(Catalog.of(marketplaces))).isEmpty();
    }

    @Test
    void aSearchsResultHoldsNoMarketplacesManifestButEveryHit() {
        Object found = Catalog.of(marketplaces).search("tool", 50);
        assertThat(found.toString()).contains("tool-1", "alpha", "beta", "gamma");
        assertThat(manifestsReachedFrom(found)).isEmpty();
    }

    /** Each page is the head of the whole ranking, ties (the same score) broken by name, then marketplace. */
    @Test
    void aPageOfHitsIsTheHeadOfTheWholeRanking() {
        for (String query : List.of("tool", "tool 1", "of", "gamma")) {
            List<Catalog.Hit> all = Catalog.of(marketplaces).search(query, Catalog.MAX_LIMIT).hits();
            for (int k = 1; k <= 16; k++) {
                Catalog.Found page = Catalog.of(marketplaces).search(query, k);
                assertThat(page.hits()).as(query + " --limit " + k).isEqualTo(all.subList(0, Math.min(k, all.size())));
                assertThat(page.matched()).isEqualTo(all.size());
            }
        }
        assertThat(Catalog.of(marketplaces).search("tool", 4).hits()).extracting(h -> h.item().id())
                .containsExactly("tool-1@alpha", "tool-1@beta", "tool-1@gamma", "tool-2@alpha");
    }

    @Test
    void aLookupByNameHoldsNoMarketplacesManifestButEveryItem() {
        List<Catalog.Item> items = Catalog.of(marketplaces).named("tool-2", Optional.empty());
        assertThat(items).extracting(Catalog.Item::id).containsExactly("tool-2@alpha", "tool-2@beta", "tool-2@gamma");
        assertThat(manifestsReachedFrom(items)).isEmpty();
    }

    /** The marketplaces' parsed manifests (or what carries one) reachable from root ({@link Reachable}). */
    static List<Object> manifestsReachedFrom(Object root) {
        return Reachable.from(root, CatalogHoldsTest::manifest).stream().filter(CatalogHoldsTest::manifest).toList();
    }

    private static boolean manifest(Object o) {
        return o instanceof Marketplace || o instanceof Marketplaces.Configured;
    }
}
