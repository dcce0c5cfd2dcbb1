package dev.cxpm.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.registry.PostgresSchema;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.storage.RegistryDatabase.SearchPage;
import dev.cxpm.registry.storage.RegistryDatabase.SearchQuery;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@link SearchIndexTest} on PostgreSQL, where the index matches what the tsvector search matched (ts_rank ordered
 * it differently, so the sets are compared), and where two registry processes share one database: a change made
 * through one reaches the other's index through the change feed.
 */
class PostgresSearchIndexTest extends SearchIndexTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private final PostgresSchema schema = new PostgresSchema("search_index_test");

    @Override
    JdbcDatabase database() {
        return JdbcDatabase.postgres(schema.url());
    }

    /** The same total and the same plugins (ts_rank ordered them otherwise than bm25, which both engines now use). */
    @Override
    void assertSameAnswer(JdbcDatabase db, SearchQuery q) {
        if (q.text().contains("caf")) {
            // PostgreSQL's 'simple' configuration kept accents (cafe did not find café); the index folds them as FTS5 did
            assertThat(db.search(q).total()).as("total of %s", q).isGreaterThanOrEqualTo(db.searchInDatabase(q).total());
            return;
        }
        assertThat(db.search(q).total()).as("total of %s", q).isEqualTo(db.searchInDatabase(q).total());
        List<String> memory = new java.util.ArrayList<>();
        List<String> sql = new java.util.ArrayList<>();
        for (int page = 1; page <= 5; page++) {
            memory.addAll(names(db.search(new SearchQuery(q.text(), q.category(), page, 100))));
            sql.addAll(names(db.searchInDatabase(new SearchQuery(q.text(), q.category(), page, 100))));
        }
        assertThat(memory).as("matches of %s", q).containsExactlyInAnyOrderElementsOf(sql);
    }

    @Test
    void aPublishOrYankThroughOneInstanceReachesTheOthersIndex() throws Exception {
        JdbcDatabase a = database();
        JdbcDatabase b = database();
        Registry ra = registry(a);
        registry(b);
        ra.publish(ADMIN, manifest("weather", "1.0.0", "Forecasts.", "Weather", "[\"rain\"]", "Data"));
        b.fillSearchIndex();
        SearchQuery snow = new SearchQuery("snow", null, 1, 20);
        assertThat(names(b.search(new SearchQuery("rain", null, 1, 20)))).containsExactly("weather");

        ra.publish(ADMIN, manifest("snowfall", "1.0.0", "Counts snow.", "Snowfall", "[]", "Data"));
        await("b finds the plugin published through a", () -> names(b.search(snow)).equals(List.of("snowfall")));
        ra.publish(ADMIN, manifest("weather", "2.0.0", "Forecasts.", "Weather", "[\"snow\"]", "Data"));
        await("b finds the new keyword", () -> b.search(snow).total() == 2);
        assertThat(b.search(new SearchQuery("rain", null, 1, 20)).total()).as("and not the old one").isZero();

        ra.yank(ADMIN, "snowfall", "1.0.0", true);
        await("b hides the plugin yanked through a", () -> names(b.search(snow)).equals(List.of("weather")));
    }

    private static void await(String what, BooleanSupplier check) throws InterruptedException {
        long since = System.nanoTime();
        while (!check.getAsBoolean()) {
            assertThat(System.nanoTime() - since).as(what + " within " + BOUND).isLessThan(BOUND.toNanos());
            Thread.sleep(20);
        }
    }
}
