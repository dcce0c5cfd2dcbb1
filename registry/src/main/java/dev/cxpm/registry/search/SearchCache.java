package dev.cxpm.registry.search;

import dev.cxpm.registry.RegistryException;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.SearchQuery;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Recent search answers, bounded by the bytes they hold (queries and results), not by their
 * number: anyone may search, so what a stranger can make the server keep must be small whatever
 * they send. Least recently used entries go first; an entry is good for {@link #TTL} and until the registry changes
 * (through this process, or through another on the same PostgreSQL database, which announces it: {@code ChangeFeed}),
 * so even a lost announcement leaves an answer at most that stale.
 */
final class SearchCache {

    static final java.time.Duration TTL = java.time.Duration.ofSeconds(5);
    /** Roughly what a Java object and its header cost beyond its characters. */
    private static final int OVERHEAD = 64;

    private record Entry(PluginSearch.Result result, long generation, long at, long bytes) {
    }

    private final long maxBytes;
    private final LinkedHashMap<SearchQuery, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    /** Bumped by every change, so an answer found while a change ran is not cached over it. */
    private final AtomicLong generation = new AtomicLong();

    SearchCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** A plugin changed (any of them: an answer may list it or now miss it). */
    void changed() {
        generation.incrementAndGet();
    }

    /** The cached answer to the query, or {@code run}'s, kept when no change ran meanwhile. */
    PluginSearch.Result answer(SearchQuery q, Supplier<PluginSearch.Result> run) {
        long gen = generation.get();
        Optional<PluginSearch.Result> cached = get(q, gen);
        if (cached.isPresent()) {
            return cached.get();
        }
        PluginSearch.Result result = run.get();
        put(q, result, gen);
        return result;
    }

    synchronized Optional<PluginSearch.Result> get(SearchQuery q, long generation) {
        Entry e = entries.get(q);
        if (e == null || e.generation() != generation || System.nanoTime() - e.at() >= TTL.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(e.result());
    }

    synchronized void put(SearchQuery q, PluginSearch.Result result, long generation) {
        long size = size(q, result);
        if (size > maxBytes / 8) {
            return; // one answer may not push out most of the others
        }
        Entry old = entries.put(q, new Entry(result, generation, System.nanoTime(), size));
        bytes += size - (old == null ? 0 : old.bytes());
        Iterator<Map.Entry<SearchQuery, Entry>> eldest = entries.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= eldest.next().getValue().bytes();
            eldest.remove();
        }
    }

    /** What the cache holds now, in (estimated) bytes of keys and values. */
    synchronized long retainedBytes() {
        return bytes;
    }

    private static long size(SearchQuery q, PluginSearch.Result result) {
        long n = OVERHEAD * 3 + chars(q.text()) + chars(q.category());
        for (PluginRow p : result.plugins()) {
            n += OVERHEAD * 4 + chars(p.name()) + chars(p.displayName()) + chars(p.description()) + chars(p.category())
                    + chars(p.latestVersion());
            for (String k : p.keywords()) {
                n += OVERHEAD + chars(k);
            }
            for (String c : p.capabilities()) {
                n += OVERHEAD + chars(c);
            }
        }
        return n;
    }

    private static long chars(String s) {
        return s == null ? 0 : OVERHEAD + 2L * s.length();
    }

    /**
     * A search in the form the database reads it (lower-case words, category in lower case), so
     * that what the cache keys on is bounded and one query spelled two ways is one entry.
     */
    static SearchQuery query(String text, String category, int page, int perPage) {
        int maxChars = PluginSearch.MAX_QUERY_CHARS;
        if (text != null && text.strip().length() > maxChars || category != null && category.strip().length() > maxChars) {
            throw new RegistryException(400, "query-too-long", "a search query or category is at most " + maxChars + " characters");
        }
        java.util.List<String> words = dev.cxpm.registry.storage.jdbc.Dialect.words(text);
        if (words.size() > PluginSearch.MAX_QUERY_TERMS) {
            throw new RegistryException(400, "query-too-long", "a search query has at most " + PluginSearch.MAX_QUERY_TERMS + " words");
        }
        String cat = category == null || category.isBlank() ? null : category.toLowerCase(java.util.Locale.ROOT);
        return new SearchQuery(String.join(" ", words), cat, Math.max(1, page),
                Math.min(PluginSearch.MAX_PER_PAGE, Math.max(1, perPage)));
    }
}
