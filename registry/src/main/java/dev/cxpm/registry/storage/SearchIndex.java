package dev.cxpm.registry.storage;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
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
final class SearchIndex {

    /** The columns' weights, in the order of {@link Fields}: name, display name, keywords, description, capabilities. */
    private static final int[] WEIGHTS = {10, 6, 4, 1, 2};
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    /** A plugin's searchable text as stored (the name already split into words), its category and whether it has a live version. */
    record Fields(long id, String name, String[] columns, String category, boolean live) {
    }

    /** The ids of a page of matches, best first, and how many matched in all. */
    record Page(long total, List<Long> ids) {
    }

    private record Doc(long id, String name, String category, boolean live, int length, String[] words) {
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
            if (known == null) {
                slot = size++;
                if (slot == docs.length) {
                    docs = Arrays.copyOf(docs, slot * 2);
                }
                slotOf.put(f.id(), slot);
            } else {
                slot = known;
                Doc old = docs[slot];
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
                    f.live(), length, distinct);
            totalLength += length;
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
            int want = (int) Math.min(Integer.MAX_VALUE, (long) Math.max(0, offset) + Math.max(0, limit));
            // the worst of the best `want` on top, to be pushed out by a better one
            PriorityQueue<Hit> best = new PriorityQueue<>(Math.max(1, Math.min(want, 1024)), (a, b) -> -Hit.ORDER.compare(a, b));
            long total = 0;
            double[] f = new double[phrases];
            next:
            for (int k = 0; k < counts[smallest]; k++) {
                int slot = slots[smallest][k];
                for (int i = 0; i < phrases; i++) {
                    int at = i == smallest ? k : Arrays.binarySearch(slots[i], 0, counts[i], slot);
                    if (at < 0) {
                        continue next;
                    }
                    f[i] = freqs[i][at];
                }
                Doc d = docs[slot];
                if (!d.live() || category != null && !category.equals(d.category())) {
                    continue;
                }
                total++;
                double score = 0.0;
                for (int i = 0; i < phrases; i++) {
                    score += idf[i] * ((f[i] * (K1 + 1.0)) / (f[i] + K1 * (1 - B + B * d.length() / avgLength)));
                }
                Hit h = new Hit(-1.0 * score, d.name(), d.id());
                if (best.size() < want) {
                    best.add(h);
                } else if (want > 0 && Hit.ORDER.compare(h, best.peek()) < 0) {
                    best.poll();
                    best.add(h);
                }
            }
            List<Hit> ranked = new ArrayList<>(best);
            ranked.sort(Hit.ORDER);
            List<Long> ids = new ArrayList<>();
            for (int k = Math.max(0, offset); k < ranked.size(); k++) {
                ids.add(ranked.get(k).id());
            }
            return new Page(total, ids);
        } finally {
            lock.readLock().unlock();
        }
    }

    private record Hit(double score, String name, long id) {
        static final java.util.Comparator<Hit> ORDER = java.util.Comparator.comparingDouble(Hit::score).thenComparing(Hit::name);
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
