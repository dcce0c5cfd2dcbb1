package dev.cxpm.registry.storage;

import static dev.cxpm.registry.storage.jdbc.Sql.exists;
import static dev.cxpm.registry.storage.jdbc.Sql.prepare;
import static dev.cxpm.registry.storage.jdbc.Sql.strings;
import static dev.cxpm.registry.storage.jdbc.Sql.update;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import dev.cxpm.registry.storage.search.NameVariants;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The plugins, versions and owners tables, each statement on a connection the caller holds. */
public final class PluginRows {

    private PluginRows() {
    }

    public static final String PLUGIN_COLUMNS =
            "p.name, p.display_name, p.description, p.category, p.keywords, p.capabilities, p.latest_version, p.created_at, p.updated_at";

    public static PluginRow pluginRow(ResultSet rs) throws SQLException {
        return new PluginRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                words(rs.getString(5)), words(rs.getString(6)), rs.getString(7),
                Instant.parse(rs.getString(8)), Instant.parse(rs.getString(9)));
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.split("\n"));
    }

    static String joinWords(List<String> list) {
        return list.stream().map(w -> w.replace('\n', ' ')).collect(Collectors.joining("\n"));
    }

    static Optional<PluginRow> plugin(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + PLUGIN_COLUMNS + " FROM plugins p WHERE p.name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(pluginRow(rs)) : Optional.empty();
            }
        }
    }

    static List<PluginRow> pluginsAfter(Connection c, String after, int limit) throws SQLException {
        List<PluginRow> out = new ArrayList<>();
        try (PreparedStatement p = prepare(c, "SELECT " + PLUGIN_COLUMNS + " FROM plugins p WHERE p.latest_version IS NOT NULL AND p.name > ?"
                + " ORDER BY p.name LIMIT ?", after == null ? "" : after, limit); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(pluginRow(rs));
            }
        }
        return out;
    }

    /** The names sharing a {@link NameVariants} key with this one, with their owners: one indexed query. */
    static Map<String, List<String>> namesNear(Connection c, String name) throws SQLException {
        List<String> variants = NameVariants.of(name);
        Map<String, List<String>> out = new HashMap<>();
        try (PreparedStatement p = prepare(c, "SELECT p.name, o.user_name FROM plugins p LEFT JOIN owners o ON o.plugin_id = p.id"
                + " WHERE p.id IN (SELECT plugin_id FROM name_variants WHERE variant IN (" + "?, ".repeat(variants.size() - 1) + "?))",
                variants.toArray()); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                List<String> owners = out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                if (rs.getString(2) != null) {
                    owners.add(rs.getString(2));
                }
            }
        }
        return out;
    }

    static void fileNameVariants(Connection c, long id, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO name_variants (variant, plugin_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            for (String variant : NameVariants.of(name)) {
                p.setString(1, variant);
                p.setLong(2, id);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Files the plugins created before name_variants existed (or by an older cxpm sharing the database); returns how many. */
    public static int fileMissingNameVariants(Connection c) throws SQLException {
        Map<Long, String> missing = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id, name FROM plugins p WHERE NOT EXISTS (SELECT 1 FROM name_variants n WHERE n.plugin_id = p.id)");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                missing.put(rs.getLong(1), rs.getString(2));
            }
        }
        for (var e : missing.entrySet()) {
            fileNameVariants(c, e.getKey(), e.getValue());
        }
        return missing.size();
    }

    static final String VERSION_COLUMNS =
            "p.name, v.version, v.integrity, v.size, v.manifest, v.dependencies, v.yanked, v.published_by, v.published_at, v.deprecated,"
            + " v.source_repository, v.source_commit";

    static VersionRow versionRow(ResultSet rs) throws SQLException {
        return new VersionRow(rs.getString(1), rs.getString(2), Integrity.fromHex(rs.getString(3)), rs.getLong(4),
                rs.getString(5), rs.getString(6), rs.getInt(7) != 0, rs.getString(8), Instant.parse(rs.getString(9)), rs.getString(10),
                rs.getString(11) == null ? null : new RegistryDatabase.Provenance(rs.getString(11), rs.getString(12)));
    }

    static List<VersionRow> versions(Connection c, String plugin) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + VERSION_COLUMNS
                + " FROM versions v JOIN plugins p ON p.id = v.plugin_id WHERE p.name = ? ORDER BY v.seq")) {
            p.setString(1, plugin);
            List<VersionRow> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(versionRow(rs));
                }
            }
            return out;
        }
    }

    static Optional<VersionRow> version(Connection c, String plugin, String version) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + VERSION_COLUMNS
                + " FROM versions v JOIN plugins p ON p.id = v.plugin_id WHERE p.name = ? AND v.version = ?")) {
            p.setString(1, plugin);
            p.setString(2, version);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(versionRow(rs)) : Optional.empty();
            }
        }
    }

    static String refreshLatest(Connection c, long id, String now) throws SQLException {
        List<String> live = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT version FROM versions WHERE plugin_id = ? AND yanked = 0")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    live.add(rs.getString(1));
                }
            }
        }
        String latest = Versions.latest(live).orElse(null);
        update(c, "UPDATE plugins SET latest_version = ?, updated_at = ? WHERE id = ?", latest, now, id);
        return latest;
    }

    static Map<String, String> surfaces(Connection c, String plugin) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement p = prepare(c, "SELECT v.version, v.surface FROM versions v JOIN plugins p ON p.id = v.plugin_id"
                + " WHERE p.name = ? AND v.surface IS NOT NULL", plugin); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    static int setSurface(Connection c, String plugin, String version, String surfaceJson) throws SQLException {
        Long id = pluginId(c, plugin);
        return id == null ? 0 : update(c, "UPDATE versions SET surface = ? WHERE plugin_id = ? AND version = ? AND surface IS NULL",
                surfaceJson, id, version);
    }

    static boolean setYanked(Connection c, String plugin, String version, boolean yanked) throws SQLException {
        Long id = pluginId(c, plugin);
        if (id == null) {
            return false;
        }
        int n = update(c, "UPDATE versions SET yanked = ? WHERE plugin_id = ? AND version = ?", yanked ? 1 : 0, id, version);
        if (n > 0) {
            bumpIndexSequence(c, id);
            refreshLatest(c, id, Instant.now().toString());
        }
        return n > 0;
    }

    static Long pluginId(Connection c, String plugin) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM plugins WHERE name = ?")) {
            p.setString(1, plugin);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    static boolean setDeprecated(Connection c, String plugin, String version, String message) throws SQLException {
        Long id = pluginId(c, plugin);
        boolean changed = id != null && update(c, "UPDATE versions SET deprecated = ? WHERE plugin_id = ? AND version = ?", message, id, version) > 0;
        if (changed) {
            bumpIndexSequence(c, id);
        }
        return changed;
    }

    /** Inside the transaction of the change, so two changes never share a number, on one server or several. */
    static void bumpIndexSequence(Connection c, long id) throws SQLException {
        update(c, "UPDATE plugins SET index_sequence = index_sequence + 1 WHERE id = ?", id);
    }

    static long indexSequence(Connection c, String plugin) throws SQLException {
        try (PreparedStatement p = prepare(c, "SELECT index_sequence FROM plugins WHERE name = ?", plugin); ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    static List<String> ownedBy(Connection c, String user) throws SQLException {
        return strings(c, "SELECT p.name FROM owners o JOIN plugins p ON p.id = o.plugin_id WHERE o.user_name = ? ORDER BY p.name", user);
    }

    static List<String> owners(Connection c, String plugin) throws SQLException {
        return strings(c, "SELECT o.user_name FROM owners o JOIN plugins p ON p.id = o.plugin_id WHERE p.name = ? ORDER BY o.user_name", plugin);
    }

    static Void addOwner(Connection c, String plugin, String user) throws SQLException {
        Long id = pluginId(c, plugin);
        if (id != null) {
            if (!exists(c, "SELECT 1 FROM owners WHERE plugin_id = ? AND user_name = ?", id, user)) {
                update(c, "INSERT INTO owners (plugin_id, user_name) VALUES (?, ?)", id, user);
            }
        }
        return null;
    }

    static boolean removeOwner(Connection c, String plugin, String user) throws SQLException {
        Long id = pluginId(c, plugin);
        return id != null && update(c, "DELETE FROM owners WHERE plugin_id = ? AND user_name = ?", id, user) > 0;
    }

    static List<Integrity> integrities(Connection c) throws SQLException {
        return strings(c, "SELECT integrity FROM versions").stream().map(Integrity::fromHex).toList();
    }
}
