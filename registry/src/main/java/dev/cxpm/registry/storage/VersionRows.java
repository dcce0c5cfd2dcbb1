package dev.cxpm.registry.storage;

import static dev.cxpm.registry.storage.jdbc.Sql.prepare;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.RegistryDatabase.VersionPage;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import dev.cxpm.registry.storage.jdbc.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A plugin's versions as its pages read them: newest first by SemVer precedence, a page at a time, from the order key
 * stored with each version ({@link Versions#orderKey}, migration 013) and its index, and only the surfaces and download
 * counts of the versions a page shows. A page of 5,000 versions reads its 20 or 100 rows, not 5,000 (issue 12).
 */
public final class VersionRows {

    private VersionRows() {
    }

    /** Rows filled per transaction, at start (rows from before migration 013, or imported) or when a reader meets one. */
    static final int FILL_BATCH = 1_000;
    /** Versions named in one {@code IN (...)} list. */
    private static final int IN_LIST = 500;

    /** Stores the order key of up to {@link #FILL_BATCH} versions that have none (of one plugin, or any); returns how many. */
    static int fillOrder(Connection c, Long pluginId) throws SQLException {
        record Row(long plugin, String version) {
        }
        List<Row> rows = new ArrayList<>();
        String sql = "SELECT plugin_id, version FROM versions WHERE version_order IS NULL" + (pluginId == null ? "" : " AND plugin_id = ?")
                + " LIMIT " + FILL_BATCH;
        try (PreparedStatement p = pluginId == null ? prepare(c, sql) : prepare(c, sql, pluginId); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getLong(1), rs.getString(2)));
            }
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE versions SET version_order = ? WHERE plugin_id = ? AND version = ?")) {
            for (Row r : rows) {
                p.setString(1, Versions.orderKey(r.version()));
                p.setLong(2, r.plugin());
                p.setString(3, r.version());
                p.addBatch();
            }
            p.executeBatch();
        }
        return rows.size();
    }

    /** Every version without its order key (an import's, whose rows come without it), a batch at a time. */
    public static void fillAll(Connection c) throws SQLException {
        while (fillOrder(c, null) == FILL_BATCH) {
            // next batch
        }
    }

    /** Whether the plugin has a version without its order key (written by an older cxpm during a rolling upgrade). */
    static boolean unordered(Connection c, long pluginId) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM versions WHERE plugin_id = ? AND version_order IS NULL", pluginId);
    }

    private static final String ROWS = "SELECT " + PluginRows.VERSION_COLUMNS + " FROM versions v JOIN plugins p ON p.id = v.plugin_id"
            + " WHERE v.plugin_id = ?";
    /** The order of the index {@code (plugin_id, version_order, seq DESC)} read backwards: no sort, however many versions. */
    private static final String NEWEST_FIRST = " ORDER BY v.version_order DESC, v.seq ASC LIMIT ?";

    /**
     * {@link RegistryDatabase#newestVersions}: the row {@code after} is looked up, then the page after it read from
     * the index, in two ranges (the rest of its equals, then those below it) so each is a seek, not a scan from the top.
     */
    static Optional<VersionPage> newest(Connection c, long pluginId, String after, int limit) throws SQLException {
        List<VersionRow> rows = new ArrayList<>();
        if (after == null) {
            rows(c, rows, ROWS + NEWEST_FIRST, pluginId, limit);
        } else {
            String key;
            long seq;
            try (PreparedStatement q = prepare(c, "SELECT version_order, seq FROM versions WHERE plugin_id = ? AND version = ?", pluginId, after);
                 ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                key = rs.getString(1);
                seq = rs.getLong(2);
            }
            rows(c, rows, ROWS + " AND v.version_order = ? AND v.seq > ?" + NEWEST_FIRST, pluginId, key, seq, limit);
            if (rows.size() < limit) {
                rows(c, rows, ROWS + " AND v.version_order < ?" + NEWEST_FIRST, pluginId, key, limit - rows.size());
            }
        }
        long total;
        try (PreparedStatement q = prepare(c, "SELECT count(*) FROM versions WHERE plugin_id = ?", pluginId); ResultSet rs = q.executeQuery()) {
            total = rs.next() ? rs.getLong(1) : 0;
        }
        return Optional.of(new VersionPage(total, rows));
    }

    private static void rows(Connection c, List<VersionRow> out, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(PluginRows.versionRow(rs));
            }
        }
    }

    /**
     * {@code SemverCheck.previousRelease}'s rule in the index: the greatest version strictly below {@code version} in
     * precedence that is neither yanked nor a pre-release (its key ends with {@code ~}), the first published of equal ones.
     */
    static Optional<VersionRow> previousRelease(Connection c, long pluginId, String version) throws SQLException {
        String release = " AND v.yanked = 0 AND v.version_order LIKE '%~'";
        List<VersionRow> out = new ArrayList<>(1);
        rows(c, out, ROWS + release + " AND v.version_order = (SELECT v.version_order FROM versions v WHERE v.plugin_id = ?"
                + " AND v.version_order < ?" + release + " ORDER BY v.version_order DESC LIMIT 1) ORDER BY v.seq LIMIT 1",
                pluginId, pluginId, Versions.orderKey(version));
        return out.stream().findFirst();
    }

    /**
     * {@link RegistryDatabase.Published} on this connection (inside a rule's transaction, or one read): the order keys
     * of the plugin's versions filled first where an older cxpm wrote a version without one.
     */
    static RegistryDatabase.Published published(Connection c, long pluginId) throws SQLException {
        while (unordered(c, pluginId) && fillOrder(c, pluginId) > 0) {
            // next batch
        }
        return new RegistryDatabase.Published() {
            @Override
            public List<String> versions() {
                return unchecked(() -> {
                    List<String> out = new ArrayList<>();
                    try (PreparedStatement p = prepare(c, "SELECT version FROM versions WHERE plugin_id = ?", pluginId); ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getString(1));
                        }
                    }
                    return out;
                });
            }

            @Override
            public Optional<VersionRow> previousRelease(String version) {
                return unchecked(() -> VersionRows.previousRelease(c, pluginId, version));
            }

            @Override
            public Optional<VersionRow> followingRelease(String version) {
                return unchecked(() -> VersionRows.followingRelease(c, pluginId, version));
            }

            @Override
            public String surface(String version) {
                return unchecked(() -> {
                    try (PreparedStatement p = prepare(c, "SELECT surface FROM versions WHERE plugin_id = ? AND version = ?", pluginId, version);
                         ResultSet rs = p.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                });
            }

            @Override
            public Optional<VersionRow> row(String version) {
                return unchecked(() -> {
                    List<VersionRow> out = new ArrayList<>(1);
                    rows(c, out, ROWS + " AND v.version = ?", pluginId, version);
                    return out.stream().findFirst();
                });
            }
        };
    }

    private interface SqlRead<T> {
        T run() throws SQLException;
    }

    private static <T> T unchecked(SqlRead<T> read) {
        try {
            return read.run();
        } catch (SQLException e) {
            throw new IllegalStateException("database read failed: " + e.getMessage(), e);
        }
    }

    /**
     * The least release strictly above {@code version} in precedence, neither yanked nor a pre-release, from the
     * index (releases compare by their numbers alone, the same in the order key as in semver4j).
     */
    static Optional<VersionRow> followingRelease(Connection c, long pluginId, String version) throws SQLException {
        String release = " AND v.yanked = 0 AND v.version_order LIKE '%~'";
        List<VersionRow> out = new ArrayList<>(1);
        rows(c, out, ROWS + release + " AND v.version_order = (SELECT v.version_order FROM versions v WHERE v.plugin_id = ?"
                + " AND v.version_order > ?" + release + " ORDER BY v.version_order ASC LIMIT 1) ORDER BY v.seq LIMIT 1",
                pluginId, pluginId, Versions.orderKey(version));
        return out.stream().findFirst();
    }

    /** The stored surface of each of these versions that has one. */
    static Map<String, String> surfaces(Connection c, long pluginId, Collection<String> versions) throws SQLException {
        Map<String, String> out = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(versions))) {
            try (PreparedStatement p = prepare(c, "SELECT version, surface FROM versions WHERE plugin_id = ? AND surface IS NOT NULL AND version IN ("
                    + marks(chunk.size()) + ")", args(pluginId, chunk)); ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    static Map<String, RegistryDatabase.StoredChanges> storedChanges(Connection c, long pluginId) throws SQLException {
        Map<String, RegistryDatabase.StoredChanges> out = new HashMap<>();
        try (PreparedStatement p = prepare(c, "SELECT version, changes_from, changes FROM versions WHERE plugin_id = ? AND changes IS NOT NULL",
                pluginId); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), new RegistryDatabase.StoredChanges(rs.getString(2), rs.getString(3)));
            }
        }
        return out;
    }

    static Void storeChanges(Connection c, long pluginId, Map<String, RegistryDatabase.StoredChanges> changes) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE versions SET changes_from = ?, changes = ? WHERE plugin_id = ? AND version = ?")) {
            for (Map.Entry<String, RegistryDatabase.StoredChanges> e : changes.entrySet()) {
                p.setString(1, e.getValue().from());
                p.setString(2, e.getValue().lines());
                p.setLong(3, pluginId);
                p.setString(4, e.getKey());
                p.addBatch();
            }
            p.executeBatch();
        }
        return null;
    }

    /** The flushed downloads of each of these versions. */
    static Map<String, Long> downloads(Connection c, long pluginId, Collection<String> versions) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(versions))) {
            try (PreparedStatement p = prepare(c, "SELECT version, downloads FROM versions WHERE plugin_id = ? AND version IN ("
                    + marks(chunk.size()) + ")", args(pluginId, chunk)); ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    static long totalDownloads(Connection c, long pluginId) throws SQLException {
        try (PreparedStatement p = prepare(c, "SELECT downloads FROM plugins WHERE id = ?", pluginId);
             ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Which of these blobs are a version of the plugin (the downloads counted but not flushed yet that are its). */
    static Set<Integrity> blobsOf(Connection c, long pluginId, Collection<Integrity> among) throws SQLException {
        Set<Integrity> out = new HashSet<>();
        for (List<String> chunk : chunks(among.stream().map(Integrity::hex).toList())) {
            try (PreparedStatement p = prepare(c, "SELECT integrity FROM versions WHERE plugin_id = ? AND integrity IN (" + marks(chunk.size()) + ")",
                    args(pluginId, chunk)); ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(Integrity.fromHex(rs.getString(1)));
                }
            }
        }
        return out;
    }

    private static List<List<String>> chunks(List<String> all) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_LIST) {
            out.add(all.subList(i, Math.min(all.size(), i + IN_LIST)));
        }
        return out;
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static Object[] args(long pluginId, List<String> values) {
        Object[] out = new Object[values.size() + 1];
        out[0] = pluginId;
        for (int i = 0; i < values.size(); i++) {
            out[i + 1] = values.get(i);
        }
        return out;
    }
}
