package dev.cxpm.registry.storage;

import static dev.cxpm.registry.storage.Sql.prepare;

import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.SearchPage;
import dev.cxpm.registry.storage.RegistryDatabase.SearchQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Search over plugins with a live version: the dialect's full-text match, or every name in order without words. */
final class SearchRows {

    private SearchRows() {
    }

    static SearchPage search(Connection c, Dialect dialect, SearchQuery q) throws SQLException {
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
     * itself), to {@code each}; only {@code plugin}'s when it is not null. Rows stream: none is kept here.
     */
    static void indexed(Connection c, Dialect dialect, String plugin, java.util.function.Consumer<SearchIndex.Fields> each)
            throws SQLException {
        String sql = dialect == Dialect.SQLITE
                ? "SELECT s.rowid, p.name, s.name, s.display_name, s.keywords, s.description, s.capabilities, p.category, p.latest_version"
                        + " FROM plugin_search s JOIN plugins p ON p.id = s.rowid"
                : "SELECT p.id, p.name, NULL, p.display_name, p.keywords, p.description, p.capabilities, p.category, p.latest_version"
                        + " FROM plugins p WHERE p.search IS NOT NULL";
        if (plugin != null) {
            sql += (dialect == Dialect.SQLITE ? " WHERE" : " AND") + " p.name = ?";
        }
        try (PreparedStatement p = plugin == null ? prepare(c, sql) : prepare(c, sql, plugin)) {
            p.setFetchSize(1000); // PostgreSQL streams only with a fetch size (and a transaction: see JdbcConnections#snapshot)
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(2);
                    String words = rs.getString(3) != null ? rs.getString(3) : PublishTransaction.splitName(name);
                    each.accept(new SearchIndex.Fields(rs.getLong(1), name,
                            new String[] {words, rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)},
                            rs.getString(8), rs.getString(9) != null));
                }
            }
        }
    }

    /** The plugins with these ids, in this order (one missing, e.g. gone since, is left out). */
    static List<PluginRow> byIds(Connection c, List<Long> ids) throws SQLException {
        java.util.Map<Long, PluginRow> byId = new java.util.HashMap<>();
        try (PreparedStatement p = prepare(c, "SELECT " + PluginRows.PLUGIN_COLUMNS + ", p.id FROM plugins p WHERE p.id IN ("
                + "?, ".repeat(ids.size() - 1) + "?)", ids.toArray()); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                byId.put(rs.getLong(10), PluginRows.pluginRow(rs));
            }
        }
        List<PluginRow> out = new ArrayList<>();
        for (Long id : ids) {
            if (byId.containsKey(id)) {
                out.add(byId.get(id));
            }
        }
        return out;
    }
}
