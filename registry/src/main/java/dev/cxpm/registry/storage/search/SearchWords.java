package dev.cxpm.registry.storage.search;

import dev.cxpm.registry.storage.PageRows;
import dev.cxpm.registry.storage.jdbc.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The vocabulary typo-tolerant search corrects against ({@code search_words}): the words of a plugin's name,
 * display name and keywords, lower case, refreshed with its search entry. Words shorter than 3 or longer than 66
 * letters are left out: search never corrects a word under 4 or over 64 letters, and allows at most two edits.
 */
public final class SearchWords {

    static final int MIN = 3;
    static final int MAX = 66;
    private static final int MAX_PER_PLUGIN = 64;
    private static final int BACKFILL_BATCH = 500;

    private SearchWords() {
    }

    public static Set<String> of(String name, String displayName, List<String> keywords) {
        Set<String> out = new LinkedHashSet<>();
        List<String> fields = new ArrayList<>(keywords);
        fields.add(0, name);
        fields.add(1, displayName);
        for (String f : fields) {
            for (String w : Dialect.words(f)) {
                if (w.length() >= MIN && w.length() <= MAX && out.size() < MAX_PER_PLUGIN) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    public static void index(Connection c, long pluginId, Set<String> words) throws SQLException {
        PageRows.deleteWords(c, pluginId);
        insert(c, pluginId, words);
    }

    private static void insert(Connection c, long pluginId, Set<String> words) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO search_words (word, plugin_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            for (String w : words) {
                p.setString(1, w);
                p.setLong(2, pluginId);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /**
     * Fills in the words of every live plugin, into a table known to be empty (an import): one pass, where {@link
     * #backfill}'s "has no words yet" test would cost a query per plugin.
     */
    public static void fillAll(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT p.id, p.name, p.display_name, p.keywords FROM plugins p"
                + " WHERE p.latest_version IS NOT NULL ORDER BY p.id");
             PreparedStatement insert = c.prepareStatement("INSERT INTO search_words (word, plugin_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            p.setFetchSize(1000);
            int pending = 0;
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String keywords = rs.getString(4);
                    for (String w : of(rs.getString(2), rs.getString(3), keywords == null ? List.of() : List.of(keywords.split("\n")))) {
                        insert.setString(1, w);
                        insert.setLong(2, rs.getLong(1));
                        insert.addBatch();
                        if (++pending == 5000) {
                            insert.executeBatch();
                            pending = 0;
                        }
                    }
                }
            }
            insert.executeBatch();
        }
    }

    /** The plugins that have words: one pass over the table, not a query per plugin. */
    public static Set<Long> pluginsWithWords(Connection c) throws SQLException {
        Set<Long> out = new java.util.HashSet<>();
        try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT plugin_id FROM search_words"); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /**
     * Fills in the words of the live plugins among the next {@value #BACKFILL_BATCH} with an id above {@code after}
     * that are not in {@code have} (published before the table existed); returns the last id looked at (-1: none
     * left), so start-up repeats it in short transactions, each beginning where the previous one stopped. Asking the
     * database "has no words yet" per plugin would be a query per plugin at every start.
     */
    public static long backfill(Connection c, long after, Set<Long> have) throws SQLException {
        record Row(long id, String name, String displayName, String keywords) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT p.id, p.name, p.display_name, p.keywords FROM plugins p"
                + " WHERE p.id > ? AND p.latest_version IS NOT NULL ORDER BY p.id LIMIT " + BACKFILL_BATCH)) {
            p.setLong(1, after);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        for (Row r : rows) {
            if (!have.contains(r.id())) {
                insert(c, r.id(), of(r.name(), r.displayName(), r.keywords() == null ? List.of() : List.of(r.keywords().split("\n"))));
            }
        }
        return rows.isEmpty() ? -1 : rows.getLast().id();
    }
}
