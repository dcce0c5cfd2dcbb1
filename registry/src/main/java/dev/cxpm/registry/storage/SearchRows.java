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
}
