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
    static final int INDEX_MAX = 50_000;

    private record Cached(Registry.IndexDocument doc, long at) {
    }

    private final ConcurrentHashMap<String, Cached> index = new ConcurrentHashMap<>();
    private final SearchCache search = new SearchCache(SearchCache.MAX_BYTES);
    /** Bumped by every change, so an answer built while a change ran is not cached over it. */
    private final AtomicLong generation = new AtomicLong();
    private final java.util.function.LongSupplier nanoTime;

    ReadCaches() {
        this(System::nanoTime);
    }

    /** {@code nanoTime}: the clock the TTL is measured on (tests move it). */
    ReadCaches(java.util.function.LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** A plugin changed; null: any may have. */
    void changed(String plugin) {
        generation.incrementAndGet();
        if (plugin == null) {
            index.clear();
        } else {
            index.remove(plugin);
        }
    }

    /**
     * The cached document while it is current; past {@link #TTL}, kept for another TTL when the plugin's sequence in the
     * database is still the document's (every change to what the document says bumps it, in the change's transaction):
     * one indexed read instead of the five and the JSON and hash a rebuild costs. At 10,000 plugins read at random most
     * entries pass their TTL between two reads, so without this most index reads were rebuilds.
     */
    Optional<Registry.IndexDocument> index(String plugin, Supplier<Optional<Registry.IndexDocument>> build,
                                           java.util.function.Predicate<Registry.IndexDocument> stillCurrent,
                                           java.util.function.ToLongFunction<String> sequenceNow) {
        Cached c = index.get(plugin);
        long now = nanoTime.getAsLong();
        if (c != null && stillCurrent.test(c.doc())) {
            if (now - c.at() < TTL.toNanos()) {
                return Optional.of(c.doc());
            }
            if (sequenceNow.applyAsLong(plugin) == c.doc().sequence()) {
                // replaced only if no change has dropped it meanwhile (a change drops it after its commit)
                index.replace(plugin, c, new Cached(c.doc(), now));
                return Optional.of(c.doc());
            }
        }
        long gen = generation.get();
        Optional<Registry.IndexDocument> doc = build.get();
        if (doc.isPresent() && generation.get() == gen) {
            if (index.size() >= INDEX_MAX) {
                evictSome(index, INDEX_MAX);
            }
            index.put(plugin, new Cached(doc.get(), now));
        }
        return doc;
    }

    /**
     * Drops a tenth of a full map's entries (whichever its iteration meets first), not all of them: clearing a full
     * cache made every reader rebuild at once, at 100,000 plugins about once per 50,000 reads.
     */
    static void evictSome(java.util.Map<?, ?> map, int max) {
        var it = map.keySet().iterator();
        for (int drop = map.size() - max + max / 10; drop > 0 && it.hasNext(); drop--) {
            it.next();
            it.remove();
        }
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

    int indexSize() {
        return index.size();
    }

    long searchBytes() {
        return search.retainedBytes();
    }
}
