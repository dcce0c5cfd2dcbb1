package dev.cxpm.core.install;

import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Unpacker;
import dev.cxpm.core.registry.RegistryClient;
import dev.cxpm.core.registry.RegistryIndex;
import dev.cxpm.core.sync.Store;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A registry release's blob through the content-addressed {@link Store}: a blob already stored (and
 * still hashing to its address) is used without any network; otherwise it is downloaded beside the
 * store, checked against the integrity the index document names, and only then renamed into the
 * store. A blob that does not match is refused (INTEGRITY) and never stored or unpacked.
 */
final class RegistryBlobs {

    private final Store store;

    RegistryBlobs(Store store) {
        this.store = store;
    }

    /** The release unpacked (archive safety rules) into {@code work/from-registry}. */
    SourceCache.Fetched fetch(URI registry, Installer.PluginId id, RegistryIndex.Release release, Path work, boolean indexOffline) {
        Integrity integrity = release.integrity();
        Path blob = store.blob(integrity);
        SourceCache.Origin origin = indexOffline ? SourceCache.Origin.STORE_OFFLINE : SourceCache.Origin.STORE;
        if (!(Files.isRegularFile(blob) && integrity.matches(blob))) {
            download(registry, id, release, blob);
            origin = SourceCache.Origin.SOURCE;
        }
        Path dir = work.resolve("from-registry");
        new Unpacker().unpack(blob, dir);
        return new SourceCache.Fetched(dir, origin);
    }

    private void download(URI registry, Installer.PluginId id, RegistryIndex.Release release, Path blob) {
        Path tmp;
        try {
            Files.createDirectories(blob.getParent());
            tmp = Files.createTempFile(blob.getParent(), ".download", ".tgz");
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write to the store " + store.dir() + ": " + e.getMessage(),
                    "check free space and permissions, or point CXPM_STORE elsewhere", e);
        }
        try {
            new RegistryClient(registry, null).download(release.tarball(), tmp);
            Integrity actual = Integrity.sha512(tmp);
            if (!actual.equals(release.integrity())) {
                throw new UserError(UserError.Kind.INTEGRITY, "the blob of " + id.plugin() + " " + release.version() + " from " + registry
                        + " does not match its integrity: expected " + release.integrity() + ", got " + actual,
                        "nothing was installed; the registry's copy is corrupt or was tampered with, tell its operators");
            }
            Files.move(tmp, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write to the store " + store.dir() + ": " + e.getMessage(), null, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a stray temp file in the store is harmless
            }
        }
    }
}
