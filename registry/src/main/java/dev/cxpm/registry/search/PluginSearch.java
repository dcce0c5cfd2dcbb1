package dev.cxpm.registry.search;

import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.SearchPage;
import dev.cxpm.registry.storage.RegistryDatabase.SearchQuery;
import java.util.List;
import java.util.Optional;

/**
 * The registry's plugin search: a query bounded and put in the form the database reads ({@link SearchCache#query}),
 * answered from recent answers when no change ran since ({@link SearchCache}), and when the words as typed find
 * nothing, tried again with misspelt words corrected ({@link TypoSearch}).
 */
public final class PluginSearch {

    public static final int MAX_PER_PAGE = 100;
    /** Longer queries (or category filters) are refused: no name or description search needs more. */
    public static final int MAX_QUERY_CHARS = 256;
    public static final int MAX_QUERY_TERMS = 16;
    /** What recent answers may hold, in bytes of queries and answers: anyone may search. */
    public static final long MAX_CACHE_BYTES = 16L << 20;

    /** A page of plugins and how many matched in all. */
    public record Result(long total, int page, int perPage, List<PluginRow> plugins) {
    }

    /** A search's answer, and the query it answers when the one typed found nothing and a typo was corrected. */
    public record Tolerant(Result result, Optional<String> corrected) {
    }

    private final RegistryDatabase db;
    private final SearchCache cache = new SearchCache(MAX_CACHE_BYTES);
    private final TypoSearch typos;

    public PluginSearch(RegistryDatabase db) {
        this.db = db;
        this.typos = new TypoSearch(db);
    }

    public Result answer(String text, String category, int page, int perPage) {
        SearchQuery q = SearchCache.query(text, category, page, perPage);
        return cache.answer(q, () -> {
            SearchPage r = db.search(q);
            return new Result(r.total(), q.page(), q.perPage(), r.plugins());
        });
    }

    /** {@link #answer}, and when it finds nothing, the same with misspelt words corrected. */
    public Tolerant tolerant(String text, String category, int page, int perPage) {
        return typos.search(text, t -> answer(t, category, page, perPage));
    }

    /** A plugin changed (any of them): no answer found before is given again. */
    public void changed() {
        cache.changed();
    }

    /** What the cache holds, in bytes of queries and answers (its bound is tested through the registry). */
    public long cacheBytes() {
        return cache.retainedBytes();
    }
}
