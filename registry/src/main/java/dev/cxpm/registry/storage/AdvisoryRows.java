package dev.cxpm.registry.storage;

import static dev.cxpm.registry.storage.jdbc.Sql.update;

import dev.cxpm.registry.storage.RegistryDatabase.AdvisoryRow;
import dev.cxpm.registry.storage.jdbc.Dialect;
import dev.cxpm.registry.storage.jdbc.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Advisories on a plugin's versions: inserted, listed, withdrawn (marked, never deleted). */
final class AdvisoryRows {

    /** Serialises the numbering of registry-assigned ids across processes (PostgreSQL); SQLite has one writer. */
    private static final String ID_LOCK = "advisory ids"; // a space: no plugin name takes this lock

    private AdvisoryRows() {
    }

    /**
     * Inserts the advisory; with a null id, numbers it {@code PREFIX0001} onwards after the greatest such id in the
     * registry. Returns the id, or null when there is no such plugin or it already has an advisory with that id.
     */
    static String insert(Connection c, Dialect dialect, AdvisoryRow a, String prefix) throws SQLException {
        Long plugin = PluginRows.pluginId(c, a.plugin());
        if (plugin == null) {
            return null;
        }
        String id = a.id();
        if (id == null) {
            dialect.lockName(c, ID_LOCK);
            int n = 0;
            for (String taken : Sql.strings(c, "SELECT id FROM advisories WHERE id LIKE ?", prefix + "%")) {
                try {
                    n = Math.max(n, Integer.parseInt(taken.substring(prefix.length())));
                } catch (NumberFormatException e) {
                    // an owner's own id that happens to share the prefix: not one of ours
                }
            }
            id = prefix + String.format("%04d", n + 1);
        }
        if (Sql.exists(c, "SELECT 1 FROM advisories WHERE plugin_id = ? AND id = ?", plugin, id)) {
            return null;
        }
        // seq keeps the order they were attached in when the clock shows two at once
        update(c, "INSERT INTO advisories (plugin_id, id, version_range, severity, summary, url, created_by, created_at, seq)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM advisories))", plugin, id, a.range(),
                a.severity(), a.summary(), a.url(), a.createdBy(), a.createdAt().toString());
        PluginRows.bumpIndexSequence(c, plugin); // the index document lists standing advisories: a new one is a new document
        return id;
    }

    static boolean withdraw(Connection c, String plugin, String id, Instant at) throws SQLException {
        Long pid = PluginRows.pluginId(c, plugin);
        boolean withdrawn = pid != null && update(c, "UPDATE advisories SET withdrawn_at = ? WHERE plugin_id = ? AND id = ? AND withdrawn_at IS NULL",
                at.toString(), pid, id) > 0;
        if (withdrawn) {
            PluginRows.bumpIndexSequence(c, pid);
        }
        return withdrawn;
    }

    static List<AdvisoryRow> of(Connection c, String plugin) throws SQLException {
        List<AdvisoryRow> out = new ArrayList<>();
        try (PreparedStatement p = Sql.prepare(c, "SELECT a.id, a.version_range, a.severity, a.summary, a.url, a.created_by, a.created_at,"
                + " a.withdrawn_at FROM advisories a JOIN plugins p ON p.id = a.plugin_id WHERE p.name = ? ORDER BY a.seq", plugin);
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(new AdvisoryRow(plugin, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), Instant.parse(rs.getString(7)), rs.getString(8) == null ? null : Instant.parse(rs.getString(8))));
            }
        }
        return out;
    }
}
