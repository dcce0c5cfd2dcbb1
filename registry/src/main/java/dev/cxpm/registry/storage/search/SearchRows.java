package dev.cxpm.registry.storage.search;

import static dev.cxpm.registry.storage.jdbc.Sql.prepare;

import dev.cxpm.registry.storage.PluginRows;
import dev.cxpm.registry.storage.PublishTransaction;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.SearchPage;
import dev.cxpm.registry.storage.RegistryDatabase.SearchQuery;
import dev.cxpm.registry.storage.jdbc.Dialect;
import dev.cxpm.registry.storage.jdbc.JdbcConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Search over plugins with a live version: the dialect's full-text match, or every name in order without words. */
public final class SearchRows {

    private SearchRows() {
    }

    public static SearchPage search(Connection c, Dialect dialect, SearchQuery q) throws SQLException {
        String match = dialect.searchQuery(q.text());
        String category = q.category() == null || q.category().isBlank() ? null : q.category().toLowerCase(Locale.ROOT);
        int offset = Math.max(0, (q.page() - 1) * q.perPage());
        String from = match == null
                ? " FROM plugins p WHERE p.latest_version IS NOT NULL"
                : dialect.searchFrom() + " AND p.latest_version IS NOT NULL";
        if (category != null) {
            from += " AND lower(p.category) = ?";
        }
        List<Object> args = new ArrayList<>();
        if (match != null) {
            args.add(match);
        }
        if (category != null) {
            args.add(category);
        }
        // one pass over the matches: the page and, beside each of its rows, how many matched in all
        String order = match == null ? " ORDER BY p.name" : dialect.searchOrder();
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(q.perPage());
        pageArgs.add(offset);
        List<PluginRow> rows = new ArrayList<>();
        long total = 0;
        try (PreparedStatement p = prepare(c, "SELECT " + PluginRows.PLUGIN_COLUMNS + ", COUNT(*) OVER ()" + from + order + " LIMIT ? OFFSET ?",
                pageArgs.toArray()); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                rows.add(PluginRows.pluginRow(rs));
                total = rs.getLong(10);
            }
        }
        if (rows.isEmpty() && offset > 0) { // a page past the end still says how many there are
            try (PreparedStatement p = prepare(c, "SELECT COUNT(*)" + from, args.toArray()); ResultSet rs = p.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        return new SearchPage(total, rows);
    }

    /**
     * Hands every indexed plugin's searchable text, as the database's own search holds it (on SQLite, the FTS5 row
     * itself), and the row a search answers with, to {@code each}; only {@code plugin}'s when it is not null. Rows
     * stream: none is kept here.
     */
    public static void indexed(Connection c, Dialect dialect, String plugin, java.util.function.Consumer<SearchIndex.Fields> each)
            throws SQLException {
        String row = ", p.display_name, p.description, p.keywords, p.capabilities, p.created_at, p.updated_at";
        String sql = dialect == Dialect.SQLITE
                ? "SELECT s.rowid, p.name, s.name, s.display_name, s.keywords, s.description, s.capabilities, p.category, p.latest_version"
                        + row + " FROM plugin_search s JOIN plugins p ON p.id = s.rowid"
                : "SELECT p.id, p.name, NULL, p.display_name, p.keywords, p.description, p.capabilities, p.category, p.latest_version"
                        + row + " FROM plugins p WHERE p.search IS NOT NULL";
        if (plugin != null) {
            sql += (dialect == Dialect.SQLITE ? " WHERE" : " AND") + " p.name = ?";
        }
        try (PreparedStatement p = plugin == null ? prepare(c, sql) : prepare(c, sql, plugin)) {
            p.setFetchSize(1000); // PostgreSQL streams only with a fetch size (and a transaction: see JdbcConnections#snapshot)
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(2);
                    String words = rs.getString(3) != null ? rs.getString(3) : PublishTransaction.splitName(name);
                    String category = rs.getString(8);
                    String latest = rs.getString(9);
                    each.accept(new SearchIndex.Fields(rs.getLong(1), name,
                            new String[] {words, rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)},
                            category, latest != null, latest == null ? null : answer(rs, name, category, latest)));
                }
            }
        }
    }

    /**
     * The row a search answers with, as {@link PluginRows#pluginRow} reads it. What many plugins share (category,
     * version, each keyword and capability) is held once: the index keeps a row per plugin, so this is most of its
     * memory beyond the words.
     */
    private static PluginRow answer(ResultSet rs, String name, String category, String latest) throws SQLException {
        return new PluginRow(name, rs.getString(10), rs.getString(11), shared(category), sharedWords(rs.getString(12)),
                sharedWords(rs.getString(13)), shared(latest), Instant.parse(rs.getString(14)), Instant.parse(rs.getString(15)));
    }

    private static List<String> sharedWords(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        String[] words = s.split("\n");
        for (int i = 0; i < words.length; i++) {
            words[i] = shared(words[i]);
        }
        return List.of(words); // unmodifiable: every search hands out the index's own row
    }

    /** The JVM's own table of shared strings: it drops a string no plugin holds any more. */
    private static String shared(String s) {
        return s == null ? null : s.intern();
    }
}
