package dev.cxpm.registry.storage.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The index's page of the best matches (a heap of the best offset+limit, not a sort of every match) is the page an
 * exhaustive ranking gives: every plugin scored with bm25 as FTS5 defines it, all sorted by score and then name, and
 * sliced. Many generated registries, with many exact ties (plugins that differ only by name), replaced and yanked
 * plugins, one- and many-word queries, prefixes, categories, offsets past the end and every kind of limit.
 */
class SearchRankingTest {

    private static final String[] WORDS = {"git", "github", "gitlab", "post", "postgres", "slack", "docs", "deploy", "data", "design"};
    private static final String[] CATEGORIES = {"coding", "data", "design"};
    private static final int[] WEIGHTS = {10, 6, 4, 1, 2};

    private record Plugin(long id, String name, String[] columns, String category, boolean live) {
    }

    @Test
    void theBestPageIsTheExhaustiveRankingsPage() {
        Random random = new Random(2026);
        int compared = 0;
        int nonEmpty = 0;
        for (int registry = 0; registry < 60; registry++) {
            List<Plugin> plugins = registry(random, 1 + random.nextInt(registry < 10 ? 12 : 400));
            SearchIndex index = new SearchIndex();
            for (Plugin p : plugins) {
                index.put(fields(p));
            }
            for (int q = 0; q < 40; q++) {
                List<String> query = query(random);
                String category = random.nextInt(4) == 0 ? CATEGORIES[random.nextInt(CATEGORIES.length)] : null;
                List<String> ranked = exhaustive(plugins, query, category);
                int[] offsets = {0, random.nextInt(5), random.nextInt(ranked.size() + 3), ranked.size(), ranked.size() + 7};
                int[] limits = {0, 1, 1 + random.nextInt(20), 100, Integer.MAX_VALUE};
                for (int offset : offsets) {
                    for (int limit : limits) {
                        SearchIndex.Page page = index.search(query, category, offset, limit);
                        List<String> expected = ranked.subList(Math.min(offset, ranked.size()),
                                (int) Math.min(ranked.size(), (long) offset + limit));
                        assertThat(page.total()).as("total of %s in %s", query, category).isEqualTo(ranked.size());
                        assertThat(page.rows().stream().map(PluginRow::name).toList())
                                .as("%s in %s from %d, %d of them", query, category, offset, limit).isEqualTo(expected);
                        compared++;
                        nonEmpty += expected.isEmpty() ? 0 : 1;
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(50_000);
        assertThat(nonEmpty).as("pages with plugins on them").isGreaterThan(10_000);
    }

    /**
     * Plugins that score exactly alike come in name order, whatever order their names arrived in: here each new name
     * falls between the same two earlier ones again and again (the index numbers name order with gaps, and must
     * renumber when a gap is used up), then names arrive in reverse, then at random, some renamed.
     */
    @Test
    void equalScoresFollowNameOrderWhateverOrderNamesArriveIn() {
        List<String> names = new ArrayList<>(List.of("a", "b"));
        for (int i = 999; i >= 900; i--) {
            names.add("a" + i); // each sorts between "a" and the one before it
        }
        for (int i = 300; i > 0; i--) {
            names.add("c" + (char) ('a' + i % 26) + i);
        }
        Random random = new Random(9);
        for (int i = 0; i < 300; i++) {
            names.add("d" + Integer.toString(random.nextInt(1 << 30), 36));
        }
        List<Plugin> plugins = new ArrayList<>();
        SearchIndex index = new SearchIndex();
        for (int i = 0; i < names.size(); i++) {
            Plugin p = new Plugin(i + 1, names.get(i), new String[] {"x", "github slack", "", "docs", ""}, "data", true);
            plugins.add(p);
            index.put(fields(p));
        }
        for (int i = 0; i < 50; i++) { // renamed: a plugin's place follows its new name
            int at = random.nextInt(plugins.size());
            Plugin p = plugins.get(at);
            Plugin renamed = new Plugin(p.id(), "e" + Integer.toString(random.nextInt(1 << 30), 36), p.columns(), p.category(), true);
            plugins.set(at, renamed);
            index.put(fields(renamed));
        }
        List<String> sorted = plugins.stream().map(Plugin::name).sorted().toList();
        assertThat(exhaustive(plugins, List.of("github"), null)).isEqualTo(sorted);
        for (int offset : new int[] {0, 1, 250, 700, 749, 750, 751}) {
            for (int limit : new int[] {1, 7, 100, 1000}) {
                assertThat(index.search(List.of("github"), null, offset, limit).rows().stream().map(PluginRow::name).toList())
                        .as("from %d, %d", offset, limit)
                        .isEqualTo(sorted.subList(Math.min(offset, sorted.size()), Math.min(sorted.size(), offset + limit)));
            }
        }
    }

    /** Plugins built from few words and few shapes, so that many score exactly alike; some replaced, some not live. */
    private static List<Plugin> registry(Random random, int size) {
        List<Plugin> out = new ArrayList<>();
        String[][] shapes = new String[1 + random.nextInt(6)][];
        for (int s = 0; s < shapes.length; s++) {
            shapes[s] = new String[] {null, text(random, 1 + random.nextInt(2)), text(random, random.nextInt(3)),
                text(random, random.nextInt(8)), text(random, random.nextInt(2))};
        }
        for (int i = 0; i < size; i++) {
            String name = "p" + Integer.toString(random.nextInt(1 << 20), 36) + "x" + i;
            String[] columns = shapes[random.nextInt(shapes.length)].clone();
            columns[0] = random.nextInt(5) == 0 ? name + " " + text(random, 1) : name;
            out.add(new Plugin(i + 1, name, columns, CATEGORIES[random.nextInt(CATEGORIES.length)], random.nextInt(8) != 0));
        }
        for (int i = 0; i < size / 5; i++) { // replaced: its old words must be gone from the index
            int at = random.nextInt(out.size());
            Plugin p = out.get(at);
            String[] columns = p.columns().clone();
            columns[3] = text(random, random.nextInt(6));
            out.set(at, new Plugin(p.id(), p.name(), columns, p.category(), random.nextInt(8) != 0));
        }
        return out;
    }

    private static SearchIndex.Fields fields(Plugin p) {
        PluginRow row = new PluginRow(p.name(), p.name(), p.columns()[3], p.category(), List.of(), List.of(), "1.0.0",
                Instant.EPOCH, Instant.EPOCH);
        return new SearchIndex.Fields(p.id(), p.name(), p.columns(), p.category(), p.live(), p.live() ? row : null);
    }

    private static String text(Random random, int words) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words; i++) {
            out.add(WORDS[random.nextInt(WORDS.length)]);
        }
        return String.join(" ", out);
    }

    private static List<String> query(Random random) {
        List<String> out = new ArrayList<>();
        int words = random.nextInt(3) == 0 ? 1 + random.nextInt(4) : 1;
        for (int i = 0; i < words; i++) {
            String w = WORDS[random.nextInt(WORDS.length)];
            out.add(random.nextInt(4) == 0 ? w.substring(0, 1 + random.nextInt(w.length())) : w); // a prefix matches several words
        }
        return out;
    }

    /** Every live plugin in the category matching every word as a prefix, by bm25 (k1 1.2, b 0.75) and then name. */
    private static List<String> exhaustive(List<Plugin> plugins, List<String> query, String category) {
        // the index holds the last version of each plugin
        java.util.Map<Long, Plugin> current = new java.util.LinkedHashMap<>();
        plugins.forEach(p -> current.put(p.id(), p));
        int n = current.size();
        long totalLength = 0;
        int[] containing = new int[query.size()];
        for (Plugin p : current.values()) {
            totalLength += length(p);
            for (int i = 0; i < query.size(); i++) {
                containing[i] += frequency(p, query.get(i)) > 0 ? 1 : 0;
            }
        }
        double avgLength = (double) totalLength / (double) n;
        record Scored(String name, double rank) {
        }
        List<Scored> matches = new ArrayList<>();
        for (Plugin p : current.values()) {
            if (!p.live() || category != null && !category.equals(p.category())) {
                continue;
            }
            double score = 0.0;
            boolean all = true;
            for (int i = 0; i < query.size(); i++) {
                double f = frequency(p, query.get(i));
                all &= f > 0;
                double v = Math.log((n - containing[i] + 0.5) / (containing[i] + 0.5));
                double idf = v <= 0.0 ? 1e-6 : v;
                score += idf * ((f * (1.2 + 1.0)) / (f + 1.2 * (1 - 0.75 + 0.75 * length(p) / avgLength)));
            }
            if (all) {
                matches.add(new Scored(p.name(), -1.0 * score));
            }
        }
        matches.sort(Comparator.comparingDouble(Scored::rank).thenComparing(Scored::name));
        return matches.stream().map(Scored::name).toList();
    }

    private static int frequency(Plugin p, String prefix) {
        int f = 0;
        for (int col = 0; col < WEIGHTS.length; col++) {
            for (String w : SearchIndex.words(p.columns()[col])) {
                f += w.startsWith(prefix) ? WEIGHTS[col] : 0;
            }
        }
        return f;
    }

    private static int length(Plugin p) {
        int length = 0;
        for (String c : p.columns()) {
            length += SearchIndex.words(c).size();
        }
        return length;
    }
}
