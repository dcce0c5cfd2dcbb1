package dev.cxpm.core;

import dev.cxpm.core.codexhome.Trees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;

/**
 * Where a command unpacks or packs what it only reads for a moment (the surface of an archive for {@code diff},
 * {@code update} and {@code publish}, the archive {@code publish} packs): {@code ROOT/tmp/} under a root cxpm owns
 * (the store), never the shared temp dir. Each user is deleted in a {@code finally}; what a killed JVM left there
 * (SIGKILL, the OOM killer) is removed by the next command that asks for the directory, once an hour old, so no
 * plugin's files stay behind for good, and none in a directory other users can read.
 */
public final class Scratch {

    /** Longer than any one command holds a scratch entry: one this old belongs to a JVM that was killed. */
    static final Duration STALE = Duration.ofHours(1);

    private Scratch() {
    }

    /**
     * {@code root/tmp}, made when missing, with what killed commands left there over an hour ago removed; clock: now,
     * which the age of a leftover is read against.
     */
    public static Path under(Path root, Clock clock) {
        Path dir = root.resolve("tmp");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot create " + dir + ": " + e.getMessage(),
                    "check free space and permissions, or point CXPM_STORE elsewhere", e);
        }
        // createDirectories accepts a link to a directory: what is unpacked here would land wherever it points
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError(UserError.Kind.INVALID_INPUT, dir + " is a link or not a directory; cxpm unpacks archives there",
                    "remove it (cxpm makes it again as a directory), or point CXPM_STORE elsewhere");
        }
        sweep(dir, clock.millis() - STALE.toMillis());
        return dir;
    }

    /** Removes the entries of dir last changed before {@code before} (ms); a link is removed, never followed. */
    static void sweep(Path dir, long before) {
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
            for (Path p : all) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.lastModifiedTime().toMillis() < before) {
                    Trees.delete(p);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // left for the next command: a leftover costs disk, never correctness (each user has a fresh name)
        }
    }
}
