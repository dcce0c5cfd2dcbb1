package dev.cxpm.registry.storage;

import static dev.cxpm.registry.storage.jdbc.Sql.exists;
import static dev.cxpm.registry.storage.jdbc.Sql.prepare;
import static dev.cxpm.registry.storage.jdbc.Sql.update;

import dev.cxpm.registry.storage.RegistryDatabase.NewNameRule;
import dev.cxpm.registry.storage.RegistryDatabase.PublishOutcome;
import dev.cxpm.registry.storage.RegistryDatabase.Summary;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import dev.cxpm.registry.storage.jdbc.Dialect;
import dev.cxpm.registry.storage.search.SearchWords;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * One publish, inside the caller's write transaction: across processes (PostgreSQL) it takes a
 * transaction-scoped advisory lock on the plugin's name (SQLite has one writer), and the unique keys on names and
 * versions stand behind it. The SemVer rule is asked under that lock, so it sees every version published before;
 * a yank or unyank takes the same lock and asks its rule the same way.
 */
public final class PublishTransaction {

    private PublishTransaction() {
    }

    static PublishOutcome insertVersion(Connection c, Dialect dialect, VersionRow v, Summary summary, boolean anyOwner,
                                        NewNameRule newName, RegistryDatabase.VersionRule rule, String surfaceJson) throws SQLException {
        String now = v.publishedAt().toString();
        dialect.lockName(c, v.plugin().toLowerCase(Locale.ROOT));
        Long id = null;
        try (PreparedStatement p = c.prepareStatement("SELECT id, name FROM plugins WHERE name_key = ?")) {
            p.setString(1, v.plugin().toLowerCase(Locale.ROOT));
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    if (!rs.getString(2).equals(v.plugin())) {
                        return PublishOutcome.NAME_TAKEN;
                    }
                    id = rs.getLong(1);
                }
            }
        }
        if (id == null) {
            // a new name is judged against the names near it, so new names are decided one at a time
            dialect.lockNewNames(c);
            if (newName.confusableWith(v.plugin(), PluginRows.namesNear(c, v.plugin())).isPresent()) {
                return PublishOutcome.NAME_CONFUSABLE;
            }
            try (PreparedStatement p = prepare(c, "INSERT INTO plugins (name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id",
                    v.plugin(), v.plugin().toLowerCase(Locale.ROOT), now, now);
                 ResultSet keys = p.executeQuery()) {
                keys.next();
                id = keys.getLong(1);
            }
            update(c, "INSERT INTO owners (plugin_id, user_name) VALUES (?, ?)", id, v.publishedBy());
            PluginRows.fileNameVariants(c, id, v.plugin());
        } else if (!anyOwner && !exists(c, "SELECT 1 FROM owners WHERE plugin_id = ? AND user_name = ?", id, v.publishedBy())) {
            return PublishOutcome.NOT_OWNER;
        }
        String release = Versions.withoutBuild(v.version());
        if (exists(c, "SELECT 1 FROM versions WHERE plugin_id = ? AND version_release = ?", id, release)) {
            return PublishOutcome.VERSION_EXISTS;
        }
        // under the plugin's lock: a version published meanwhile is among these, with its surface
        rule.check(VersionRows.published(c, id));
        update(c, "INSERT INTO versions (plugin_id, version, version_release, seq, integrity, size, manifest, dependencies, yanked, published_by,"
                + " published_at, surface, source_repository, source_commit, version_order)"
                + " VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM versions WHERE plugin_id = ?), ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)",
                id, v.version(), release, id, v.integrity().hex(), v.size(), v.manifest(), v.dependencies(), v.publishedBy(), now, surfaceJson,
                v.source() == null ? null : v.source().repository(), v.source() == null ? null : v.source().commit(),
                Versions.orderKey(v.version()));
        PluginRows.bumpIndexSequence(c, id);
        String latest = PluginRows.refreshLatest(c, id, now);
        if (v.version().equals(latest)) {
            update(c, "UPDATE plugins SET display_name = ?, description = ?, category = ?, keywords = ?, capabilities = ? WHERE id = ?",
                    summary.displayName(), summary.description(), summary.category(),
                    PluginRows.joinWords(summary.keywords()), PluginRows.joinWords(summary.capabilities()), id);
            dialect.index(c, id, splitName(v.plugin()), summary.displayName(), String.join(" ", summary.keywords()),
                    summary.description(), String.join(" ", summary.capabilities()));
            SearchWords.index(c, id, SearchWords.of(v.plugin(), summary.displayName(), summary.keywords()));
        }
        return PublishOutcome.PUBLISHED;
    }

    /** "github-issues" is also found by "github" and "issues": the tokenizer keeps words, not names. */
    public static String splitName(String name) {
        String spaced = name.replaceAll("[._-]+", " ");
        return spaced.equals(name) ? name : name + " " + spaced;
    }

    /** Yanks or unyanks a version under the name's lock, once {@code rule} has accepted the versions as they are. */
    static boolean setYanked(Connection c, Dialect dialect, String plugin, String version, boolean yanked,
                             RegistryDatabase.VersionRule rule) throws SQLException {
        dialect.lockName(c, plugin.toLowerCase(Locale.ROOT));
        Long id = PluginRows.pluginId(c, plugin);
        if (id != null) {
            rule.check(VersionRows.published(c, id));
        }
        return PluginRows.setYanked(c, plugin, version, yanked);
    }
}
