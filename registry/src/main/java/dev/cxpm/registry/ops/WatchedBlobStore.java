package dev.cxpm.registry.ops;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.blob.BlobStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** A blob store whose failures are counted in {@link Metrics} (a disk filling up, S3 refusing or unreachable) before they propagate. */
public final class WatchedBlobStore implements BlobStore {

    private final BlobStore store;
    private final Metrics metrics;

    public WatchedBlobStore(BlobStore store, Metrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    private <T> T counted(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            metrics.blobError();
            throw e;
        }
    }

    @Override
    public void put(Integrity integrity, byte[] content) {
        counted(() -> {
            store.put(integrity, content);
            return null;
        });
    }

    @Override
    public void put(Integrity integrity, Path file) {
        counted(() -> {
            store.put(integrity, file);
            return null;
        });
    }

    @Override
    public Optional<InputStream> open(Integrity integrity) {
        return counted(() -> store.open(integrity));
    }

    @Override
    public boolean exists(Integrity integrity) {
        return counted(() -> store.exists(integrity));
    }

    @Override
    public void delete(Integrity integrity) {
        counted(() -> {
            store.delete(integrity);
            return null;
        });
    }

    @Override
    public Set<Integrity> list() {
        return counted(store::list);
    }

    @Override
    public java.util.Map<Integrity, java.time.Instant> listWithTimes() {
        return counted(store::listWithTimes);
    }

    @Override
    public void check() {
        counted(() -> {
            store.check();
            return null;
        });
    }
}
