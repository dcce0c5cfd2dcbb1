package dev.cxpm.registry.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.registry.storage.RegistryDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The search cache's bound by bytes, whatever a stranger searches for (the registry's own: RequestLimitsTest). */
class SearchCacheTest {

    @Test
    void aCacheFullOfBigEntriesEvictsTheOldestAndReportsItsSizeUnderTheBound() {
        SearchCache cache = new SearchCache(1 << 20);
        String description = "d".repeat(10_000);
        for (int i = 0; i < 1_000; i++) {
            RegistryDatabase.PluginRow row = new RegistryDatabase.PluginRow("p" + i, null, description, null, List.of(), List.of(), "1.0.0", null, null);
            cache.put(new RegistryDatabase.SearchQuery("q" + i, null, 1, 20),
                    new PluginSearch.Result(1, 1, 20, List.of(row)), 0);
        }
        assertThat(cache.retainedBytes()).isPositive().isLessThanOrEqualTo(1 << 20);
        assertThat(cache.get(new RegistryDatabase.SearchQuery("q999", null, 1, 20), 0)).isPresent();
        assertThat(cache.get(new RegistryDatabase.SearchQuery("q0", null, 1, 20), 0)).isEmpty();
    }
}
