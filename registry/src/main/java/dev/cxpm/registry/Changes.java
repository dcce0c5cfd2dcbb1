package dev.cxpm.registry;

import dev.cxpm.registry.index.IndexDocuments;
import dev.cxpm.registry.search.PluginSearch;
import dev.cxpm.registry.storage.RegistryDatabase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a change to a plugin reaches, whether this server made it or another server on the same database did: the
 * database's search index, the search cache, the plugin's index document (the writer's only) and the
 * {@link Registry#onChange} listeners.
 */
final class Changes {
    private final RegistryDatabase db;
    private final PluginSearch search;
    private final IndexDocuments indexes;
    private final List<Registry.ChangeListener> listeners = new CopyOnWriteArrayList<>();

    Changes(RegistryDatabase db, PluginSearch search, IndexDocuments indexes) {
        this.db = db;
        this.search = search;
        this.indexes = indexes;
    }

    void listen(Registry.ChangeListener listener) {
        listeners.add(listener);
    }

    /** A plugin changed here, in the writer's thread. */
    void changed(String plugin) {
        changed(plugin, true);
    }

    /** A plugin changed (null: any may have), as the change feed tells it. */
    void heard(String plugin) {
        changed(plugin, false);
    }

    /**
     * One path for both, so what a change reaches (the search index, then the search cache, then the listeners) cannot
     * differ between this server's writes and another's: the index first, so an answer cached after this is built from
     * it as it is now. The writer also stores the plugin's signed index document before the listeners run (a publish
     * answers once they have), so every server sharing the database reads the new document as soon as it is answered.
     */
    private void changed(String plugin, boolean writer) {
        db.changed(plugin);
        search.changed();
        if (writer) {
            indexes.changed(plugin);
        }
        listeners.forEach(l -> l.changed(plugin, writer));
    }
}
