package dev.cxpm.core.install;

import dev.cxpm.core.Progress;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Unpacker;
import dev.cxpm.core.registry.RegistryClient;
import dev.cxpm.core.registry.RegistryIndex;
import dev.cxpm.core.sync.store.Store;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A registry release's blob, kept in the user's store directory as the registry published it
 * ({@code registry/<sha512 hex>.tgz}, addressed by the integrity the index document names): a blob
 * already kept (and still hashing to its address) is used without any network; otherwise it is
 * downloaded beside it, checked against that integrity, and only then renamed into place. A blob
 * that does not match is refused (INTEGRITY) and never kept or unpacked.
 */
public final class RegistryBlobs {

    private final Store store;
    private final Progress progress;

    public RegistryBlobs(Store store) {
        this(store, Progress.NONE);
    }

    /** progress: where a download reports its bytes. */
    public RegistryBlobs(Store store, Progress progress) {
        this.store = store;
        this.progress = progress;
    }

    /** The release unpacked (archive safety rules) into {@code work/from-registry}. */
    SourceCache.Fetched fetch(URI registry, PluginId id, RegistryIndex.Release release, Path work, boolean indexOffline) {
        boolean kept = kept(release.integrity());
        Path dir = unpack(registry, id.plugin(), release, work.resolve("from-registry"));
        return new SourceCache.Fetched(dir, !kept ? SourceCache.Origin.SOURCE
                : indexOffline ? SourceCache.Origin.STORE_OFFLINE : SourceCache.Origin.STORE);
    }

    /** The release unpacked into dest (which must not exist), from the kept blob or downloaded and verified first. */
    public Path unpack(URI registry, String plugin, RegistryIndex.Release release, Path dest) {
        new Unpacker().unpack(keep(registry, plugin, release), dest);
        return dest;
    }

    /** The release's blob as published, kept (downloaded and checked against its integrity first when it is not). */
    public Path keep(URI registry, String plugin, RegistryIndex.Release release) {
        if (!kept(release.integrity())) {
            download(registry, plugin, release, blob(release.integrity()));
        }
        return blob(release.integrity());
    }

    private boolean kept(Integrity integrity) {
        Path blob = blob(integrity);
        return Files.isRegularFile(blob) && integrity.matches(blob);
    }

    private Path blob(Integrity integrity) {
        String hex = java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(integrity.base64()));
        return store.dir().resolve("registry").resolve(integrity.algorithm() + "-" + hex + ".tgz");
    }

    private void download(URI registry, String plugin, RegistryIndex.Release release, Path blob) {
        Path tmp;
        try {
            Files.createDirectories(blob.getParent());
            tmp = TempPaths.file(blob.getParent(), ".download", ".tgz");
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write to the store " + store.dir() + ": " + e.getMessage(),
                    "check free space and permissions, or point CXPM_STORE elsewhere", e);
        }
        try {
            new RegistryClient(registry, null, progress).download(release.tarball(), tmp, "downloading " + plugin + " " + release.version());
            Integrity actual = Integrity.sha512(tmp);
            if (!actual.equals(release.integrity())) {
                throw new UserError(UserError.Kind.INTEGRITY, "the blob of " + plugin + " " + release.version() + " from " + registry
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
