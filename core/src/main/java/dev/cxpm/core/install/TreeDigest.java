package dev.cxpm.core.install;

import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.digest.Sha512;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The sha512 of a plugin directory's content as {@link PluginTree} sees it: every relative path (sorted),
 * directory or file bytes, and a marker for each thing that would not be installed (a link, a fifo). Two
 * trees with the same digest are the same plugin, whatever their timestamps; used to verify a staged
 * copy before it is moved into the Codex home and to skip copies of unchanged content. An installed
 * directory that gained a link differs from any source, so it is replaced.
 */
public final class TreeDigest {
    private TreeDigest() {
    }

    public static Integrity of(Path dir, Set<String> excludedTopLevel) {
        return of(PluginTree.list(dir, dir, excludedTopLevel));
    }

    public static Integrity of(PluginTree.Listing listing) {
        Sha512 md = new Sha512(); // not MessageDigest: its security providers' set-up is most of a cold install's hashing
        byte[] buf = new byte[64 * 1024];
        try {
            for (PluginTree.Entry e : listing.entries()) {
                if (e.directory()) {
                    md.update(("D " + e.path() + "\0").getBytes(StandardCharsets.UTF_8));
                    continue;
                }
                md.update(("F " + e.path() + "\0" + Files.size(e.source()) + "\0").getBytes(StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(e.source())) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
            }
            for (PluginTree.Dropped d : listing.dropped()) {
                md.update(("X " + d.path() + "\0").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + listing.root() + ": " + e.getMessage(), null, e);
        }
        return Integrity.of(md);
    }
}
