package dev.cxpm.registry.storage;

import static dev.cxpm.registry.storage.jdbc.Sql.prepare;

import dev.cxpm.registry.storage.RegistryDatabase.IndexLookup;
import dev.cxpm.registry.storage.RegistryDatabase.StoredIndex;
import dev.cxpm.registry.storage.jdbc.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each plugin's signed index document, stored when a change makes it (migration 011): a read is this one indexed
 * lookup, with the plugin's sequence beside it so a stored document older than the plugin is never taken for current.
 */
final class IndexRows {

    private IndexRows() {
    }

    static Optional<IndexLookup> lookup(Connection c, String plugin) throws SQLException {
        try (PreparedStatement p = prepare(c, "SELECT p.index_sequence, d.sequence, d.body, d.etag, d.key_id, d.signature"
                + " FROM plugins p LEFT JOIN index_documents d ON d.plugin_id = p.id WHERE p.name = ?", plugin);
             ResultSet rs = p.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            byte[] body = rs.getBytes(3);
            Optional<StoredIndex> stored = body == null ? Optional.empty()
                    : Optional.of(new StoredIndex(rs.getLong(2), body, rs.getString(4), rs.getString(5), rs.getString(6)));
            return Optional.of(new IndexLookup(rs.getLong(1), stored));
        }
    }

    /** The stored document's ETag when it is current (the plugin's sequence, signed by {@code keyId}): no body read. */
    static Optional<String> currentEtag(Connection c, String plugin, String keyId) throws SQLException {
        try (PreparedStatement p = prepare(c, "SELECT d.etag FROM plugins p JOIN index_documents d ON d.plugin_id = p.id"
                + " WHERE p.name = ? AND d.sequence = p.index_sequence AND d.key_id = ?", plugin, keyId); ResultSet rs = p.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /**
     * Stores each document unless a newer one (a higher sequence, signed by the same key) is there already: of two
     * servers storing at once, or a writer and a reader that rebuilt, the later state wins whatever the order.
     */
    static Void store(Connection c, Map<String, StoredIndex> docs) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO index_documents (plugin_id, sequence, body, etag, key_id, signature)"
                + " SELECT id, ?, ?, ?, ?, ? FROM plugins WHERE name = ?"
                + " ON CONFLICT (plugin_id) DO UPDATE SET sequence = excluded.sequence, body = excluded.body, etag = excluded.etag,"
                + " key_id = excluded.key_id, signature = excluded.signature"
                + " WHERE index_documents.sequence < excluded.sequence OR index_documents.key_id <> excluded.key_id")) {
            for (Map.Entry<String, StoredIndex> e : docs.entrySet()) {
                StoredIndex d = e.getValue();
                p.setLong(1, d.sequence());
                p.setBytes(2, d.body());
                p.setString(3, d.etag());
                p.setString(4, d.keyId());
                p.setString(5, d.signature());
                p.setString(6, e.getKey());
                p.addBatch();
            }
            p.executeBatch();
        }
        return null;
    }

    /** Up to {@code limit} plugins after {@code after} (null: from the first), by name, whose stored document is missing or stale. */
    static List<String> stale(Connection c, String keyId, String after, int limit) throws SQLException {
        return Sql.strings(c, "SELECT p.name FROM plugins p LEFT JOIN index_documents d ON d.plugin_id = p.id WHERE p.name > ?"
                + " AND (d.plugin_id IS NULL OR d.sequence <> p.index_sequence OR d.key_id <> ?) ORDER BY p.name LIMIT ?",
                after == null ? "" : after, keyId, limit);
    }
}
