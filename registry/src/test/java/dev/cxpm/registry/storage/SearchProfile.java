package dev.cxpm.registry.storage;

import dev.cxpm.registry.storage.RegistryDatabase.SearchQuery;
import dev.cxpm.registry.storage.jdbc.Dialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Random;

/**
 * Where a search's time goes (issue 12), on a seeded registry: {@code SearchProfile DATA_DIR [QUERIES]} times, on one
 * thread, the bench's kind of query (one or two words, perPage 1-100, page 1-3) as the database answered it (the
 * FTS5 match alone; the match with bm25 ranking; the whole statement with the count window and the page's rows) and
 * as the in-memory index answers it. Not a test: run by hand (docs/BENCHMARKS.md).
 */
public final class SearchProfile {

    private static final String[] WORDS = {"github", "postgres", "slack", "design", "review", "deploy", "docs", "search",
        "kubernetes", "terraform", "jira", "notion", "figma", "sentry", "linear", "stripe", "aws", "gcp", "azure", "redis"};

    public static void main(String[] args) throws Exception {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        try (JdbcDatabase db = JdbcDatabase.sqlite(Path.of(args[0]).resolve("registry.db"))) {
            long before = liveHeap();
            long t0 = System.nanoTime();
            db.fillSearchIndex();
            System.out.printf("in-memory index filled in %.0f ms; live heap %d MB before, %d MB after%n", (System.nanoTime() - t0) / 1e6,
                    before >> 20, liveHeap() >> 20);
            SearchQuery[] queries = new SearchQuery[n];
            Random random = new Random(7);
            for (int i = 0; i < n; i++) {
                String q = WORDS[random.nextInt(WORDS.length)];
                if (random.nextBoolean()) {
                    q += " " + WORDS[random.nextInt(WORDS.length)];
                }
                queries[i] = new SearchQuery(q, null, 1 + random.nextInt(3), 1 + random.nextInt(100));
            }
            for (int round = 0; round < 2; round++) { // the first round warms the JIT and the page cache
                boolean show = round == 1;
                time(show, "FTS5 match only (count of matches)", queries, q -> db.connections().search(c -> count(c,
                        "SELECT count(*) FROM plugin_search WHERE plugin_search MATCH ?", q)));
                time(show, "FTS5 match + bm25, ordered, top page", queries, q -> db.connections().search(c -> count(c,
                        "SELECT rowid FROM plugin_search WHERE plugin_search MATCH ? ORDER BY bm25(plugin_search, 10.0, 6.0, 4.0, 1.0, 2.0) LIMIT 100", q)));
                time(show, "old search: match, bm25, join, count window, page rows", queries, q -> db.searchInDatabase(q).total());
                time(show, "in-memory index (page rows from memory)", queries, q -> db.search(q).total());
            }
        }
    }

    private static long liveHeap() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static long count(Connection c, String sql, SearchQuery q) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, Dialect.SQLITE.searchQuery(q.text()));
            long n = 0;
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }

    private static void time(boolean show, String what, SearchQuery[] queries, java.util.function.ToLongFunction<SearchQuery> run) {
        double[] ms = new double[queries.length];
        for (int i = 0; i < queries.length; i++) {
            long t = System.nanoTime();
            run.applyAsLong(queries[i]);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        if (show) {
            System.out.printf("%-58s p50 %7.2f ms  p99 %7.2f ms%n", what, ms[ms.length / 2], ms[(int) (ms.length * 0.99)]);
        }
    }
}
