package dev.cxpm.registry.storage.blob;

import dev.cxpm.core.pack.Integrity;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The blob store of a registry opened for its metadata only ({@code cxpm token create --database} on a
 * machine that need not reach the blobs): every use is a bug, so every call fails.
 */
public final class NoBlobStore implements BlobStore {

    public static final NoBlobStore INSTANCE = new NoBlobStore();

    private NoBlobStore() {
    }

    @Override
    public void put(Integrity integrity, byte[] content) {
        throw none();
    }

    @Override
    public void put(Integrity integrity, Path file) {
        throw none();
    }

    @Override
    public Optional<InputStream> open(Integrity integrity) {
        throw none();
    }

    @Override
    public boolean exists(Integrity integrity) {
        throw none();
    }

    @Override
    public void delete(Integrity integrity) {
        throw none();
    }

    @Override
    public Set<Integrity> list() {
        throw none();
    }

    private static IllegalStateException none() {
        return new IllegalStateException("this registry was opened for its metadata only: it has no blob store");
    }

    @Override
    public java.util.Map<Integrity, java.time.Instant> listWithTimes() {
        throw new UnsupportedOperationException("no blob store");
    }
}
