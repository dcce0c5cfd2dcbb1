package dev.cxpm.registry.storage.search;

import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.jdbc.Dialect;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Search's match and ranking in memory, so that a search costs the plugins it matches and no database work but
 * fetching the rows of its page. It ranks exactly as the embedded database's FTS5 {@code bm25()} did (the same five
 * columns and weights, k1 1.2, b 0.75, the same idf and average length over every indexed plugin), so answers keep
 * their order; each word is a prefix, all required. Memory: one posting (two ints) per distinct word of each
 * plugin's searchable text, and the plugin's word list to drop them when it changes: linear in the registry.
 * Kept current by {@link #put} with a plugin's fields as they are stored after every change.
 */
public final class SearchIndex {

    /** The columns' weights, in the order of {@link Fields}: name, display name, keywords, description, capabilities. */
    private static final int[] WEIGHTS = {10, 6, 4, 1, 2};
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    /**
     * A plugin's searchable text as stored (the name already split into words), its category, whether it has a live
     * version, and the row a search answers with (null when it has no live version: it is never an answer).
     */
    public record Fields(long id, String name, String[] columns, String category, boolean live, PluginRow row) {
    }

    /** A page of matches, best first, and how many matched in all. */
    record Page(long total, List<PluginRow> rows) {
    }

    private record Doc(long id, String name, String category, boolean live, int length, String[] words, PluginRow row) {
    }

    /** The plugins a word occurs in (slots, ascending) with its weighted count in each. */
    private static final class Postings {
        int[] slots = new int[2];
        int[] freqs = new int[2];
        int size;

        int find(int slot) {
            return Arrays.binarySearch(slots, 0, size, slot);
        }

        void add(int slot, int freq) {
            int at = find(slot);
            if (at >= 0) {
                freqs[at] = freq;
                return;
            }
            at = -at - 1;
            if (size == slots.length) {
                slots = Arrays.copyOf(slots, size * 2);
                freqs = Arrays.copyOf(freqs, size * 2);
            }
            System.arraycopy(slots, at, slots, at + 1, size - at);
            System.arraycopy(freqs, at, freqs, at + 1, size - at);
            slots[at] = slot;
            freqs[at] = freq;
            size++;
        }

        void remove(int slot) {
            int at = find(slot);
            if (at >= 0) {
                System.arraycopy(slots, at + 1, slots, at, size - at - 1);
                System.arraycopy(freqs, at + 1, freqs, at, size - at - 1);
                size--;
            }
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<String, Postings> words = new TreeMap<>();
    private final Map<Long, Integer> slotOf = new HashMap<>();
    private Doc[] docs = new Doc[1024];
    private final NameOrder names = new NameOrder();
    private int size;
    private long totalLength;

    /** Adds the plugin, or replaces what was known of it. */
    void put(Fields f) {
        Map<String, Integer> freq = new HashMap<>();
        int length = 0;
        for (int col = 0; col < WEIGHTS.length; col++) {
            for (String w : words(f.columns()[col])) {
                freq.merge(w, WEIGHTS[col], Integer::sum);
                length++;
            }
        }
        lock.writeLock().lock();
        try {
            Integer known = slotOf.get(f.id());
            int slot;
            String oldName = null;
            if (known == null) {
                slot = size++;
                if (slot == docs.length) {
                    docs = Arrays.copyOf(docs, slot * 2);
                }
                slotOf.put(f.id(), slot);
            } else {
                slot = known;
                Doc old = docs[slot];
                oldName = old.name();
                totalLength -= old.length();
                for (String w : old.words()) {
                    Postings p = words.get(w);
                    p.remove(slot);
                    if (p.size == 0) {
                        words.remove(w);
                    }
                }
            }
            String[] distinct = new String[freq.size()];
            int i = 0;
            for (Map.Entry<String, Integer> e : freq.entrySet()) {
                Postings p = words.computeIfAbsent(e.getKey(), k -> new Postings());
                p.add(slot, e.getValue());
                distinct[i++] = words.ceilingKey(e.getKey()); // the map's own copy: one string per distinct word
            }
            docs[slot] = new Doc(f.id(), f.name(), f.category() == null ? null : f.category().toLowerCase(java.util.Locale.ROOT),
                    f.live(), length, distinct, f.live() ? f.row() : null);
            totalLength += length;
            names.place(slot, f.name(), oldName);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Forgets every plugin (before it is filled again from the database). */
    void clear() {
        lock.writeLock().lock();
        try {
            words.clear();
            slotOf.clear();
            docs = new Doc[1024];
            names.clear();
            size = 0;
            totalLength = 0;
        } finally {
            lock.writeLock().unlock();
        }
    }

    int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The live plugins matching every word as a prefix (in the category, lower case, when one is given), ranked
     * best first and then by name; {@code limit} of them from {@code offset}. The words must not be empty.
     */
    Page search(List<String> query, String category, int offset, int limit) {
        lock.readLock().lock();
        try {
            int phrases = query.size();
            int[][] slots = new int[phrases][];
            int[][] freqs = new int[phrases][];
            int[] counts = new int[phrases];
            int smallest = 0;
            for (int i = 0; i < phrases; i++) {
                matches(fold(query.get(i)), i, slots, freqs, counts);
                if (counts[i] < counts[smallest]) {
                    smallest = i;
                }
            }
            double[] idf = new double[phrases];
            for (int i = 0; i < phrases; i++) {
                double v = Math.log((size - counts[i] + 0.5) / (counts[i] + 0.5));
                idf[i] = v <= 0.0 ? 1e-6 : v;
            }
            double avgLength = (double) totalLength / (double) size;
            // every match scored into two flat arrays (no object per match): a search costs the plugins it matches
            int candidates = counts[smallest];
            int[] hits = new int[candidates];
            double[] keys = new double[candidates];
            long[] ranks = new long[candidates];
            long[] places = names.places();
            int[] from = new int[phrases]; // where the last candidate was found in each word's plugins
            int total = 0;
            double[] f = new double[phrases];
            next:
            for (int k = 0; k < candidates; k++) {
                int slot = slots[smallest][k];
                for (int i = 0; i < phrases; i++) {
                    int at = i == smallest ? k : seek(slots[i], from[i], counts[i], slot);
                    if (at < 0) {
                        from[i] = -at - 1;
                        continue next;
                    }
                    from[i] = at;
                    f[i] = freqs[i][at];
                }
                Doc d = docs[slot];
                if (!d.live() || category != null && !category.equals(d.category())) {
                    continue;
                }
                double score = 0.0;
                for (int i = 0; i < phrases; i++) {
                    score += idf[i] * ((f[i] * (K1 + 1.0)) / (f[i] + K1 * (1 - B + B * d.length() / avgLength)));
                }
                hits[total] = slot;
                ranks[total] = places[slot];
                keys[total++] = -1.0 * score; // FTS5's bm25() is the negated sum: lower ranks first
            }
            int first = Math.max(0, offset);
            int want = (int) Math.min(total, (long) first + Math.max(0, limit));
            List<PluginRow> rows = new ArrayList<>(Math.max(0, want - first));
            for (int k : new TopRanks(keys, ranks).best(total, want, first)) {
                rows.add(docs[hits[k]].row());
            }
            return new Page(total, rows);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The ranks {@code from} to {@code want} of {@code total} scored matches (by key, then by name: FTS5's order), from a
     * heap of the best {@code want} with the worst of them on top: a page costs n log(want), not a sort of every match.
     */
    private record TopRanks(double[] keys, long[] ranks) {

        int[] best(int total, int want, int from) {
            if (from >= want) {
                return new int[0];
            }
            // the first `want` made a heap at once (linear), not pushed one by one: matches come in plugin order, and
            // equal scores (common) would carry each newcomer to the top by comparing names all the way
            int[] heap = new int[want];
            for (int k = 0; k < want; k++) {
                heap[k] = k;
            }
            int size = want;
            for (int at = size / 2 - 1; at >= 0; at--) {
                down(heap, at, size);
            }
            for (int k = want; k < total; k++) {
                if (before(k, heap[0])) {
                    heap[0] = k;
                    down(heap, 0, size);
                }
            }
            int[] out = new int[want - from];
            for (int rank = want - 1; rank >= from; rank--) { // the worst comes off first
                out[rank - from] = heap[0];
                heap[0] = heap[--size];
                down(heap, 0, size);
            }
            return out;
        }

        /** Whether match a ranks before match b. */
        private boolean before(int a, int b) {
            int c = Double.compare(keys[a], keys[b]);
            return c != 0 ? c < 0 : ranks[a] < ranks[b];
        }

        private void down(int[] heap, int at, int size) {
            while (2 * at + 1 < size) {
                int worse = 2 * at + 1;
                if (worse + 1 < size && before(heap[worse], heap[worse + 1])) {
                    worse++;
                }
                if (!before(heap[at], heap[worse])) {
                    return;
                }
                swap(heap, at, worse);
                at = worse;
            }
        }

        private static void swap(int[] heap, int a, int b) {
            int t = heap[a];
            heap[a] = heap[b];
            heap[b] = t;
        }
    }

    /**
     * Where {@code slot} is in {@code slots} from {@code from} on (as {@link Arrays#binarySearch}: negative when absent),
     * galloping from there: candidates come in slot order, so each search starts where the last one ended and two
     * lists of similar length cost a merge, not a binary search per candidate.
     */
    private static int seek(int[] slots, int from, int to, int slot) {
        int low = from;
        int high = from;
        int step = 1;
        while (high < to && slots[high] < slot) {
            low = high + 1;
            high = from + step;
            step <<= 1;
        }
        return Arrays.binarySearch(slots, low, Math.min(high + 1, to), slot);
    }

    /** Every plugin with a word starting with {@code prefix}, and how often (weighted) such words occur in it. */
    private void matches(String prefix, int i, int[][] slots, int[][] freqs, int[] counts) {
        NavigableMap<String, Postings> range = words.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
        if (range.size() == 1) {
            Postings p = range.firstEntry().getValue();
            slots[i] = p.slots;
            freqs[i] = p.freqs;
            counts[i] = p.size;
            return;
        }
        int n = 0;
        for (Postings p : range.values()) {
            n += p.size;
        }
        long[] pairs = new long[n];
        n = 0;
        for (Postings p : range.values()) {
            for (int k = 0; k < p.size; k++) {
                pairs[n++] = (long) p.slots[k] << 32 | p.freqs[k];
            }
        }
        Arrays.sort(pairs);
        int[] s = new int[n];
        int[] fr = new int[n];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int slot = (int) (pairs[k] >>> 32);
            int freq = (int) pairs[k];
            if (m > 0 && s[m - 1] == slot) {
                fr[m - 1] += freq;
            } else {
                s[m] = slot;
                fr[m++] = freq;
            }
        }
        slots[i] = s;
        freqs[i] = fr;
        counts[i] = m;
    }

    /** The words of a text as FTS5's unicode61 tokenizer reads them: letters and digits, lower case, accents removed. */
    static List<String> words(String text) {
        return text == null ? List.of() : Dialect.words(fold(text));
    }

    private static String fold(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
            }
        }
        return text;
    }
}
