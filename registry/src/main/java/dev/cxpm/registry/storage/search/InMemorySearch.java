package dev.cxpm.registry.storage.search;

import dev.cxpm.registry.storage.RegistryDatabase.SearchPage;
import dev.cxpm.registry.storage.RegistryDatabase.SearchQuery;
import dev.cxpm.registry.storage.jdbc.Dialect;
import dev.cxpm.registry.storage.jdbc.JdbcConnections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a {@link SearchIndex} equal to the database: filled from it once (in the background, when a server starts;
 * searches run in SQL until it is ready), then told of every change to a plugin, made here or, on PostgreSQL, by
 * another process (its change feed), and reads that plugin's stored text again. A change made while the index is
 * being filled is applied once more after it, so none is lost between the read of all and the swap.
 */
public final class InMemorySearch {

    private static final System.Logger LOG = System.getLogger(InMemorySearch.class.getName());

    private final JdbcConnections db;
    private final Dialect dialect;
    /** Null until the first fill is done. */
    private volatile SearchIndex index;
    /** Serialises refreshes, so the last to run has read the last committed state. */
    private final Object updates = new Object();
    /** Plugins changed during a fill (null: no fill running). */
    private Set<String> changedDuringFill;
    private final ReentrantLock filling = new ReentrantLock();
    private boolean started;

    public InMemorySearch(JdbcConnections db, Dialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    /** Starts filling the index in the background (once); until it is ready, {@link #search} answers empty. */
    public void start() {
        synchronized (updates) {
            if (started) {
                return;
            }
            started = true;
        }
        fillInBackground();
    }

    private void fillInBackground() {
        Thread t = new Thread(() -> {
            try {
                fill();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot build the search index; searching the database instead: " + e.getMessage());
            }
        }, "cxpm-search-index");
        t.setDaemon(true);
        t.start();
    }

    /** Reads every indexed plugin into a new index and swaps it in, with the changes made meanwhile applied again. */
    public void fill() {
        filling.lock();
        try {
            synchronized (updates) {
                changedDuringFill = new HashSet<>();
            }
            SearchIndex fresh = new SearchIndex();
            try {
                db.snapshot(c -> {
                    SearchRows.indexed(c, dialect, null, fresh::put);
                    return null;
                });
            } finally {
                synchronized (updates) {
                    for (String plugin : changedDuringFill) {
                        refresh(fresh, plugin);
                    }
                    changedDuringFill = null;
                }
            }
            synchronized (updates) {
                index = fresh;
                started = true;
            }
        } finally {
            filling.unlock();
        }
    }

    /** A plugin changed (null: any may have, e.g. after missed change notices: the index is filled again). */
    public void changed(String plugin) {
        synchronized (updates) {
            if (plugin == null) {
                if (started) {
                    fillInBackground();
                }
                return;
            }
            if (changedDuringFill != null) {
                changedDuringFill.add(plugin);
            }
            if (index != null) {
                refresh(index, plugin);
            }
        }
    }

    private void refresh(SearchIndex into, String plugin) {
        db.read(c -> {
            SearchRows.indexed(c, dialect, plugin, into::put);
            return null;
        });
    }

    /** The answer from memory, or empty when the index is not ready or the query has no words (every name, in order). */
    public Optional<SearchPage> search(SearchQuery q) {
        SearchIndex idx = index;
        List<String> words = Dialect.words(q.text());
        if (idx == null || words.isEmpty()) {
            return Optional.empty();
        }
        String category = q.category() == null || q.category().isBlank() ? null : q.category().toLowerCase(Locale.ROOT);
        int offset = (int) Math.min(Integer.MAX_VALUE, Math.max(0L, ((long) q.page() - 1) * q.perPage()));
        SearchIndex.Page page = idx.search(words, category, offset, q.perPage());
        return Optional.of(new SearchPage(page.total(), page.rows()));
    }

    public boolean ready() {
        return index != null;
    }
}
