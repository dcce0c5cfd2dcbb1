package dev.cxpm.registry.storage.blob;

import dev.cxpm.core.pack.Integrity;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where packed plugins live, addressed by their integrity. Content-addressed, so a put is
 * idempotent and a blob never changes once written. The embedded store is a directory
 * ({@link FileBlobStore}); a scale-out one talks to an S3-compatible service.
 */
public interface BlobStore {

    /** The largest blob a registry stores: every one is an archive publish accepted (a mirror's too), no larger. */
    int MAX_BLOB_BYTES = 50 * 1024 * 1024;

    /** Stores the bytes under their integrity, completely or not at all (a crash leaves no partial blob). */
    void put(Integrity integrity, byte[] content);

    /** The same for content in a file (an upload), read as a stream. */
    void put(Integrity integrity, Path file);

    /** The blob's bytes, or empty when there is none. The caller closes the stream. */
    Optional<InputStream> open(Integrity integrity);

    boolean exists(Integrity integrity);

    void delete(Integrity integrity);

    /** Every blob stored, for the start-up sweep of blobs no version points to. */
    Set<Integrity> list();

    /**
     * Throws (with the details for the log) unless the store answers: for readiness checks. Asking whether a blob
     * that is never stored exists costs one round trip and changes nothing.
     */
    default void check() {
        exists(Integrity.sha512(new byte[0]));
    }

    /**
     * Every blob stored with when it was last written, for {@code cxpm registry gc}: a blob younger than the grace
     * period may belong to a publish whose version row has not committed yet. A store that cannot tell says "now" for
     * each: nothing of unknown age is ever taken for an old orphan.
     */
    default Map<Integrity, Instant> listWithTimes() {
        Instant now = Instant.now();
        Map<Integrity, Instant> all = new java.util.HashMap<>();
        list().forEach(i -> all.put(i, now));
        return all;
    }
}
