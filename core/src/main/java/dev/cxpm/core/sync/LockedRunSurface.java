package dev.cxpm.core.sync;

import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.approve.ArchiveRunSurface;
import dev.cxpm.core.approve.RunSurface;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.sync.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a locked plugin's content runs, for {@code cxpm approve} in a project: from the store's archive of exactly the
 * locked integrity (what sync installs), else from its installed directory; empty when neither is here yet (a sync
 * brings it into the store, and stops at the approval, before it installs anything).
 */
public final class LockedRunSurface {
    private LockedRunSurface() {
    }

    public static Optional<RunSurface> of(LockedPlugin p, CodexHome home, Store store) {
        if (store.holds(p.integrity())) {
            try {
                Files.createDirectories(store.dir());
                Path tmp = TempPaths.directory(store.dir(), ".approvals-");
                try {
                    return Optional.of(ArchiveRunSurface.of(store.blob(p.integrity()), tmp));
                } finally {
                    Trees.delete(tmp);
                }
            } catch (IOException e) {
                throw new UserError(UserError.Kind.IO, "cannot write to the store " + store.dir() + ": " + e.getMessage(),
                        "check free space and permissions, or point CXPM_STORE elsewhere", e);
            }
        }
        Path dir = p.versionDirIn(home);
        if (Files.isDirectory(dir)) {
            try {
                return Optional.of(RunSurface.of(Plugin.load(dir)));
            } catch (UserError e) {
                return Optional.of(RunSurface.none());
            }
        }
        return Optional.empty();
    }
}
