package dev.cxpm.registry.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What differs between the embedded SQLite database and PostgreSQL: connection settings, the
 * migrations folder, how names are locked across processes, and full-text search (an FTS5
 * table ranked by bm25 vs. a weighted tsvector column ranked by ts_rank). Everything else in
 * {@code JdbcDatabase} and its row classes is plain SQL both run.
 */
public enum Dialect {

    SQLITE {
        @Override
        void configure(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA foreign_keys=ON");
                // FULL: a version row that was acknowledged survives a power cut, like its blob
                s.execute("PRAGMA synchronous=FULL");
            }
        }

        @Override
        public void lockName(Connection c, String nameKey) {
            // one process owns the file, and JdbcDatabase's write lock already serialises its writes
        }

        @Override
        public void lockNewNames(Connection c) {
            // same: every write transaction of the one process runs alone
        }

        @Override
        public void index(Connection c, long id, String name, String displayName, String keywords, String description,
                String capabilities) throws SQLException {
            Sql.update(c, "DELETE FROM plugin_search WHERE rowid = ?", id);
            Sql.update(c, "INSERT INTO plugin_search (rowid, name, display_name, keywords, description, capabilities)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", id, name, displayName, keywords, description, capabilities);
        }

        @Override
        public String searchQuery(String text) {
            List<String> words = words(text);
            return words.isEmpty() ? null : String.join(" ", words.stream().map(w -> "\"" + w + "\"*").toList());
        }

        @Override
        public String searchFrom() {
            // bm25 weights follow the column order: a hit in the name counts most, then display name, keywords. Scored in a
            // subquery: FTS5's bm25 cannot be called where the page's window count (SearchRows) is computed
            return " FROM (SELECT rowid AS hit, bm25(plugin_search, 10.0, 6.0, 4.0, 1.0, 2.0) AS score FROM plugin_search"
                    + " WHERE plugin_search MATCH ?) s JOIN plugins p ON p.id = s.hit WHERE 1 = 1";
        }

        @Override
        public String searchOrder() {
            return " ORDER BY s.score, p.name";
        }
    },

    POSTGRES {
        @Override
        void configure(Connection c) {
            // defaults are right: READ COMMITTED, UTF-8
        }

        @Override
        public void lockName(Connection c, String nameKey) throws SQLException {
            // held until the transaction ends: two registry processes publishing one name take turns
            try (var p = Sql.prepare(c, "SELECT pg_advisory_xact_lock(hashtext(?))", nameKey); var rs = p.executeQuery()) {
                rs.next();
            }
        }

        @Override
        public void lockNewNames(Connection c) throws SQLException {
            // one key for all new names: creating a plugin is rare, and each must see the names created before it
            try (var p = Sql.prepare(c, "SELECT pg_advisory_xact_lock(?)", NEW_NAMES_LOCK); var rs = p.executeQuery()) {
                rs.next();
            }
        }

        @Override
        public void index(Connection c, long id, String name, String displayName, String keywords, String description,
                String capabilities) throws SQLException {
            Sql.update(c, "UPDATE plugins SET search ="
                    + " setweight(to_tsvector('simple', coalesce(?, '')), 'A') || setweight(to_tsvector('simple', coalesce(?, '')), 'B')"
                    + " || setweight(to_tsvector('simple', coalesce(?, '')), 'B') || setweight(to_tsvector('simple', coalesce(?, '')), 'C')"
                    + " || setweight(to_tsvector('simple', coalesce(?, '')), 'D') WHERE id = ?",
                    name, displayName, keywords, capabilities, description, id);
        }

        @Override
        void migrate(Connection c) throws SQLException {
            // several registry processes may start at once: one migrates, the others wait and find it done
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(7291)");
                try {
                    Migrations.apply(c, "postgres");
                } finally {
                    s.execute("SELECT pg_advisory_unlock(7291)");
                }
            }
        }

        @Override
        public String searchQuery(String text) {
            List<String> words = words(text);
            return words.isEmpty() ? null : String.join(" & ", words.stream().map(w -> w + ":*").toList());
        }

        @Override
        public String searchFrom() {
            return " FROM plugins p, to_tsquery('simple', ?) q WHERE p.search @@ q";
        }

        @Override
        public String searchOrder() {
            return " ORDER BY ts_rank(p.search, q) DESC, p.name";
        }
    };

    abstract void configure(Connection c) throws SQLException;

    /**
     * Read connections per process: SQLite reads in-process, so more readers is more parallelism;
     * a PostgreSQL server is shared by every registry process, so each keeps a few.
     */
    int readers() {
        return this == SQLITE ? 8 : 4;
    }

    /**
     * Search connections per process, apart from {@link #readers}: a search costs far more than an index read, and on
     * a small machine more searches at once only take the cores index reads need.
     */
    int searchers() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public abstract void lockName(Connection c, String nameKey) throws SQLException;

    /**
     * Held until the transaction ends, by a publish that creates a plugin: the look-alike check of a new name
     * and its insert are one step across every process (taken after {@link #lockName}, never before it).
     */
    public abstract void lockNewNames(Connection c) throws SQLException;

    /** The advisory lock key of {@link #lockNewNames} (a 64-bit key; {@link #lockName} uses 32-bit hashes). */
    private static final long NEW_NAMES_LOCK = 0x6378706d4e45574eL;

    /** Refreshes the plugin's search entry. */
    public abstract void index(Connection c, long id, String name, String displayName, String keywords, String description,
            String capabilities) throws SQLException;

    /** The user's words as the engine's prefix query, all required, or null when there is none. */
    public abstract String searchQuery(String text);

    /** FROM and WHERE of a search, with one parameter: {@link #searchQuery}'s result. */
    public abstract String searchFrom();

    public abstract String searchOrder();

    void migrate(Connection c) throws SQLException {
        Migrations.apply(c, name().toLowerCase(Locale.ROOT));
    }

    /** Letters and digits only: user text never reaches the query syntax of either engine. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }
}
