package dev.cxpm.registry.storage;

import static dev.cxpm.registry.storage.jdbc.Sql.prepare;
import static dev.cxpm.registry.storage.jdbc.Sql.strings;
import static dev.cxpm.registry.storage.jdbc.Sql.update;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.RegistryDatabase.Icon;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.StoredPage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What pages read beside the plugin rows: each version's stored page and icon, download counts, an owner's plugins. */
public final class PageRows {

    private PageRows() {
    }

    private static final String OF_VERSION = " FROM versions v JOIN plugins p ON p.id = v.plugin_id WHERE p.name = ? AND v.version = ?";

    static Optional<StoredPage> page(Connection c, String plugin, String version) throws SQLException {
        try (PreparedStatement p = prepare(c, "SELECT v.page, v.icon_type, v.readme_html" + OF_VERSION + " AND v.page IS NOT NULL", plugin, version);
             ResultSet rs = p.executeQuery()) {
            return rs.next() ? Optional.of(new StoredPage(rs.getString(1), rs.getString(2), rs.getString(3))) : Optional.empty();
        }
    }

    static Optional<Icon> icon(Connection c, String plugin, String version) throws SQLException {
        try (PreparedStatement p = prepare(c, "SELECT v.icon, v.icon_type" + OF_VERSION + " AND v.icon IS NOT NULL", plugin, version);
             ResultSet rs = p.executeQuery()) {
            return rs.next() ? Optional.of(new Icon(rs.getBytes(1), rs.getString(2))) : Optional.empty();
        }
    }

    /** A version's page never changes, so this only fills it in (two requests computing it at once store it once). */
    static int setPage(Connection c, String plugin, String version, String json, byte[] icon, String iconType, String readmeHtml)
            throws SQLException {
        Long id = PluginRows.pluginId(c, plugin);
        if (id == null) {
            return 0;
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE versions SET page = ?, icon = ?, icon_type = ?, readme_html = ?"
                + " WHERE plugin_id = ? AND version = ? AND page IS NULL")) {
            p.setString(1, json);
            p.setBytes(2, icon);
            p.setString(3, icon == null ? null : iconType);
            p.setString(4, readmeHtml);
            p.setLong(5, id);
            p.setString(6, version);
            return p.executeUpdate();
        }
    }

    static int setReadmeHtml(Connection c, String plugin, String version, String readmeHtml) throws SQLException {
        Long id = PluginRows.pluginId(c, plugin);
        if (id == null) {
            return 0;
        }
        try (PreparedStatement p = prepare(c, "UPDATE versions SET readme_html = ? WHERE plugin_id = ? AND version = ?", readmeHtml, id, version)) {
            return p.executeUpdate();
        }
    }

    static Map<String, Long> downloads(Connection c, String plugin) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement p = prepare(c, "SELECT v.version, v.downloads FROM versions v JOIN plugins p ON p.id = v.plugin_id WHERE p.name = ?",
                plugin); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /**
     * One relative update per blob: concurrent batches from several processes add up, none overwrites another. The
     * plugin's total (migration 015) moves in the same transaction, by as much as the sum of its versions' counts does.
     */
    static Void addDownloads(Connection c, Map<Integrity, Long> counts) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE versions SET downloads = downloads + ? WHERE integrity = ?");
             PreparedStatement total = c.prepareStatement("UPDATE plugins SET downloads = downloads + ? * (SELECT count(*) FROM versions v"
                     + " WHERE v.plugin_id = plugins.id AND v.integrity = ?) WHERE id IN (SELECT plugin_id FROM versions WHERE integrity = ?)")) {
            for (Map.Entry<Integrity, Long> e : counts.entrySet()) {
                p.setLong(1, e.getValue());
                p.setString(2, e.getKey().hex());
                p.addBatch();
                total.setLong(1, e.getValue());
                total.setString(2, e.getKey().hex());
                total.setString(3, e.getKey().hex());
                total.addBatch();
            }
            p.executeBatch();
            total.executeBatch();
        }
        return null;
    }

    /** Each plugin's total from its versions' counts (an import's plugins come without it). */
    public static void fillTotals(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE plugins SET downloads = (SELECT COALESCE(SUM(v.downloads), 0) FROM versions v WHERE v.plugin_id = plugins.id)");
        }
    }

    /**
     * A page of the plugins a user owns that have a live version, by name after {@code after}, and their count: an owner
     * of 100,000 plugins is read {@code limit} rows at a time (the database keeps only the first {@code limit} while it sorts).
     */
    static RegistryDatabase.OwnedPage ownedBy(Connection c, String user, String after, int limit) throws SQLException {
        String owned = " FROM owners o JOIN plugins p ON p.id = o.plugin_id WHERE o.user_name = ? AND p.latest_version IS NOT NULL";
        long total;
        try (PreparedStatement p = prepare(c, "SELECT count(*)" + owned, user); ResultSet rs = p.executeQuery()) {
            total = rs.next() ? rs.getLong(1) : 0;
        }
        List<PluginRow> out = new ArrayList<>();
        try (PreparedStatement p = prepare(c, "SELECT " + PluginRows.PLUGIN_COLUMNS + owned + " AND p.name > ? ORDER BY p.name LIMIT ?",
                user, after == null ? "" : after, limit); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(PluginRows.pluginRow(rs));
            }
        }
        return new RegistryDatabase.OwnedPage(total, out);
    }

    /** Words of plugin names, display names and keywords that start with the word's first letter and are about its length. */
    static List<String> wordsNear(Connection c, String word, int lengthDelta, int limit) throws SQLException {
        int first = word.codePointAt(0);
        String from = new String(Character.toChars(first));
        String to = new String(Character.toChars(first + 1));
        return strings(c, "SELECT DISTINCT word FROM search_words WHERE word >= ? AND word < ? AND length(word) BETWEEN ? AND ? LIMIT ?",
                from, to, word.length() - lengthDelta, word.length() + lengthDelta, limit);
    }

    public static int deleteWords(Connection c, long pluginId) throws SQLException {
        return update(c, "DELETE FROM search_words WHERE plugin_id = ?", pluginId);
    }
}
