package dev.cxpm.registry;

import dev.cxpm.registry.storage.RegistryDatabase.SearchQuery;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Index documents and search answers are read far more often than written: kept in memory, dropped when a plugin
 * changes (through this process, or through another on the same PostgreSQL database, which announces it: {@code
 * ChangeFeed}), and after {@link #TTL} in any case, so even a lost announcement leaves an answer at most that stale.
 */
final class ReadCaches {

    static final Duration TTL = Duration.ofSeconds(5);
    private static final int INDEX_MAX = 50_000;

    private record Cached(Registry.IndexDocument doc, long at) {
    }

    private final ConcurrentHashMap<String, Cached> index = new ConcurrentHashMap<>();
    private final SearchCache search = new SearchCache(SearchCache.MAX_BYTES);
    /** Bumped by every change, so an answer built while a change ran is not cached over it. */
    private final AtomicLong generation = new AtomicLong();

    /** A plugin changed; null: any may have. */
    void changed(String plugin) {
        generation.incrementAndGet();
        if (plugin == null) {
            index.clear();
        } else {
            index.remove(plugin);
        }
    }

    Optional<Registry.IndexDocument> index(String plugin, Supplier<Optional<Registry.IndexDocument>> build,
                                           java.util.function.Predicate<Registry.IndexDocument> stillCurrent) {
        Cached c = index.get(plugin);
        long now = System.nanoTime();
        if (c != null && now - c.at() < TTL.toNanos() && stillCurrent.test(c.doc())) {
            return Optional.of(c.doc());
        }
        long gen = generation.get();
        Optional<Registry.IndexDocument> doc = build.get();
        if (doc.isPresent() && generation.get() == gen) {
            if (index.size() >= INDEX_MAX) {
                index.clear();
            }
            index.put(plugin, new Cached(doc.get(), now));
        }
        return doc;
    }

    Registry.SearchResult search(SearchQuery q, Supplier<Registry.SearchResult> run) {
        long gen = generation.get();
        Optional<Registry.SearchResult> cached = search.get(q, gen);
        if (cached.isPresent()) {
            return cached.get();
        }
        Registry.SearchResult result = run.get();
        search.put(q, result, gen);
        return result;
    }

    long searchBytes() {
        return search.retainedBytes();
    }
}
