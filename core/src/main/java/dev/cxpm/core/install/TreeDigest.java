package dev.cxpm.core.install;

import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.Integrity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The sha512 of a directory's content: every relative path (sorted), its kind, and file bytes or link
 * target. Two trees with the same digest are the same plugin, whatever their timestamps; used to
 * verify a staged copy before it is moved into the Codex home and to skip copies of unchanged content.
 */
public final class TreeDigest {
    private TreeDigest() {
    }

    public static Integrity of(Path dir, Set<String> excludedTopLevel) {
        MessageDigest md = Integrity.newSha512();
        List<Path> entries = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> !p.equals(dir))
                    .filter(p -> !excludedTopLevel.contains(dir.relativize(p).getName(0).toString()))
                    .forEach(entries::add);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + dir + ": " + e.getMessage(), null, e);
        }
        entries.sort((a, b) -> dir.relativize(a).toString().compareTo(dir.relativize(b).toString()));
        byte[] buf = new byte[64 * 1024];
        try {
            for (Path p : entries) {
                String rel = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    md.update(("L " + rel + "\0" + Files.readSymbolicLink(p) + "\0").getBytes(StandardCharsets.UTF_8));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    md.update(("D " + rel + "\0").getBytes(StandardCharsets.UTF_8));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    md.update(("F " + rel + "\0" + Files.size(p) + "\0").getBytes(StandardCharsets.UTF_8));
                    try (InputStream in = Files.newInputStream(p)) {
                        for (int n; (n = in.read(buf)) > 0; ) {
                            md.update(buf, 0, n);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + dir + ": " + e.getMessage(), null, e);
        }
        return Integrity.of(md);
    }
}
