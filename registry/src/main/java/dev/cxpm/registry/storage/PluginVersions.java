package dev.cxpm.registry.storage;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.RegistryDatabase.Published;
import dev.cxpm.registry.storage.RegistryDatabase.StoredChanges;
import dev.cxpm.registry.storage.RegistryDatabase.VersionPage;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import dev.cxpm.registry.storage.jdbc.JdbcConnections;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A plugin's versions as {@link JdbcDatabase} serves them by the plugin's name: the name looked up once per read, then
 * {@link VersionRows} on that id. Reads by the order key first fill the key of any version an older cxpm wrote without
 * one (a rolling upgrade), so that such a version is not missed.
 */
final class PluginVersions {

    private final JdbcConnections db;

    PluginVersions(JdbcConnections db) {
        this.db = db;
    }

    Optional<VersionPage> newest(String plugin, String after, int limit) {
        Long id = ordered(plugin);
        return id == null ? Optional.empty() : db.read(c -> VersionRows.newest(c, id, after, limit));
    }

    Optional<VersionRow> previousRelease(String plugin, String version) {
        Long id = ordered(plugin);
        return id == null ? Optional.empty() : db.read(c -> VersionRows.previousRelease(c, id, version));
    }

    /**
     * The plugin's id once each of its versions has its order key: one written without it by an older cxpm still
     * serving this database (a rolling upgrade) gets it here, before a read by the key would miss it.
     */
    private Long ordered(String plugin) {
        Long id = db.read(c -> PluginRows.pluginId(c, plugin));
        while (id != null && db.read(c -> VersionRows.unordered(c, id)) && db.write(c -> VersionRows.fillOrder(c, id)) > 0) {
            // next batch
        }
        return id;
    }

    Map<String, String> surfaces(String plugin, Collection<String> versions) {
        return db.read(c -> {
            Long id = PluginRows.pluginId(c, plugin);
            return id == null ? Map.of() : VersionRows.surfaces(c, id, versions);
        });
    }

    Published published(String plugin) {
        Long id = ordered(plugin);
        return new Published() {
            @Override
            public List<String> versions() {
                return id == null ? List.of() : db.read(c -> VersionRows.published(c, id).versions());
            }

            @Override
            public Optional<VersionRow> previousRelease(String version) {
                return id == null ? Optional.empty() : db.read(c -> VersionRows.published(c, id).previousRelease(version));
            }

            @Override
            public Optional<VersionRow> followingRelease(String version) {
                return id == null ? Optional.empty() : db.read(c -> VersionRows.published(c, id).followingRelease(version));
            }

            @Override
            public String surface(String version) {
                return id == null ? null : db.read(c -> VersionRows.published(c, id).surface(version));
            }

            @Override
            public Optional<VersionRow> row(String version) {
                return id == null ? Optional.empty() : db.read(c -> VersionRows.published(c, id).row(version));
            }
        };
    }

    Map<String, StoredChanges> storedChanges(String plugin) {
        return db.read(c -> {
            Long id = PluginRows.pluginId(c, plugin);
            return id == null ? Map.of() : VersionRows.storedChanges(c, id);
        });
    }

    void storeChanges(String plugin, Map<String, StoredChanges> changes) {
        if (!changes.isEmpty()) {
            db.write(c -> {
                Long id = PluginRows.pluginId(c, plugin);
                return id == null ? null : VersionRows.storeChanges(c, id, changes);
            });
        }
    }

    Map<String, Long> downloads(String plugin, Collection<String> versions) {
        return db.read(c -> {
            Long id = PluginRows.pluginId(c, plugin);
            return id == null ? Map.of() : VersionRows.downloads(c, id, versions);
        });
    }

    long totalDownloads(String plugin) {
        return db.read(c -> {
            Long id = PluginRows.pluginId(c, plugin);
            return id == null ? 0L : VersionRows.totalDownloads(c, id);
        });
    }

    Set<Integrity> blobsOf(String plugin, Collection<Integrity> among) {
        return among.isEmpty() ? Set.of() : db.read(c -> {
            Long id = PluginRows.pluginId(c, plugin);
            return id == null ? Set.<Integrity>of() : VersionRows.blobsOf(c, id, among);
        });
    }
}
