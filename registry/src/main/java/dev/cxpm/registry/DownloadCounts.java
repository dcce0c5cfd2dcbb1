package dev.cxpm.registry;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.RegistryDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Blob downloads, counted in memory and added to the database in one batch every {@link #FLUSH_SECONDS} seconds
 * (and at close): a download never waits for the single writer, and a popular plugin costs one relative update per
 * batch, not one per request. Only blobs that exist are counted, so what a stranger can make this hold is bounded by
 * the number of published versions. Pages add what is not flushed yet, so a count shown includes every download served.
 */
final class DownloadCounts implements AutoCloseable {

    static final int FLUSH_SECONDS = 2;
    private static final System.Logger LOG = System.getLogger(DownloadCounts.class.getName());

    private final RegistryDatabase db;
    private final ConcurrentHashMap<Integrity, LongAdder> pending = new ConcurrentHashMap<>();
    /**
     * Held to read (stored + pending) and, exclusively, to move a batch from pending into the database, so a page
     * never sees a batch twice (in the database and still pending) or not at all (reset, not yet written).
     */
    private final ReentrantReadWriteLock moving = new ReentrantReadWriteLock();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cxpm-download-counts");
        t.setDaemon(true);
        return t;
    });

    DownloadCounts(RegistryDatabase db) {
        this.db = db;
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_SECONDS, FLUSH_SECONDS, TimeUnit.SECONDS);
    }

    void count(Integrity blob) {
        pending.computeIfAbsent(blob, b -> new LongAdder()).increment();
    }

    /** Downloads of this blob served but not yet in the database. */
    long pending(Integrity blob) {
        LongAdder a = pending.get(blob);
        return a == null ? 0 : a.sum();
    }

    /** Downloads of just the {@code shown} versions (a page's), each stored plus pending: a read of those rows alone. */
    Map<String, Long> of(String plugin, List<RegistryDatabase.VersionRow> shown) {
        moving.readLock().lock();
        try {
            Map<String, Long> stored = db.downloads(plugin, shown.stream().map(RegistryDatabase.VersionRow::version).toList());
            Map<String, Long> out = new HashMap<>();
            for (RegistryDatabase.VersionRow v : shown) {
                out.put(v.version(), stored.getOrDefault(v.version(), 0L) + pending(v.integrity()));
            }
            return out;
        } finally {
            moving.readLock().unlock();
        }
    }

    /** Downloads of all the plugin's versions: the stored sum, and what is pending for those of its blobs that are. */
    long total(String plugin) {
        moving.readLock().lock();
        try {
            long sum = db.totalDownloads(plugin);
            for (Integrity blob : db.blobsOf(plugin, List.copyOf(pending.keySet()))) {
                sum += pending(blob);
            }
            return sum;
        } finally {
            moving.readLock().unlock();
        }
    }

    void flush() {
        moving.writeLock().lock();
        try {
            moveToDatabase();
        } finally {
            moving.writeLock().unlock();
        }
    }

    private void moveToDatabase() {
        Map<Integrity, Long> batch = new HashMap<>();
        for (Integrity i : pending.keySet()) {
            LongAdder a = pending.get(i);
            long n = a == null ? 0 : a.sumThenReset();
            if (n > 0) {
                batch.put(i, n);
            }
        }
        try {
            db.addDownloads(batch);
        } catch (RuntimeException e) {
            // the database is away: keep the counts for the next batch rather than lose them
            batch.forEach((i, n) -> pending.computeIfAbsent(i, b -> new LongAdder()).add(n));
            LOG.log(System.Logger.Level.WARNING, "download counts not stored yet: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
