package dev.cxpm.cli.daemon;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a dev checkout's jar is older than its sources: the launcher's {@code stale()} check, made by the warm
 * daemon instead of by bash on every command (bash took about 400 stats and a glob of the tree, 8-10 ms of CPU a
 * command). The same paths: every file and directory under {core,cli,registry}/src/main (a directory is newer when
 * an entry was added, removed or renamed in it) and the four poms, each compared with the jar's time as {@code -nt}
 * does (a link by what it names; links to directories are not entered, as bash's globstar does not).
 */
final class CheckoutSources {
    private static final List<String> MODULES = List.of("core", "cli", "registry");

    private final Path root;
    /**
     * The paths a walk found when none was newer than the jar: while none is, the tree has the same entries (an entry
     * added, removed or renamed makes its directory newer), so later checks stat these instead of walking again.
     */
    private volatile List<Path> known;

    CheckoutSources(Path root) {
        this.root = root;
    }

    boolean newerThan(FileTime jar) throws IOException {
        List<Path> walked = known;
        if (walked != null) {
            for (Path p : walked) {
                if (newer(p, jar)) {
                    return true;
                }
            }
            return false;
        }
        List<Path> paths = new ArrayList<>(List.of(root.resolve("pom.xml")));
        for (String module : MODULES) {
            paths.add(root.resolve(module).resolve("pom.xml"));
        }
        for (Path p : paths) {
            if (newer(p, jar)) {
                return true;
            }
        }
        for (String module : MODULES) {
            if (newerUnder(root.resolve(module).resolve("src/main"), jar, paths)) {
                return true;
            }
        }
        known = List.copyOf(paths);
        return false;
    }

    private static boolean newer(Path file, FileTime jar) throws IOException {
        try {
            return Files.getLastModifiedTime(file).compareTo(jar) > 0;
        } catch (NoSuchFileException absent) {
            return false;
        }
    }

    private static boolean newerUnder(Path dir, FileTime jar, List<Path> seen) throws IOException {
        if (!Files.isDirectory(dir)) {
            seen.add(dir); // made later: its parent (src) is not checked, so it is
            return false;
        }
        boolean[] found = {false};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                seen.add(d);
                return check(a.lastModifiedTime());
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                seen.add(f);
                if (a.isSymbolicLink()) {
                    return Files.exists(f) ? check(Files.getLastModifiedTime(f)) : FileVisitResult.CONTINUE; // -nt: a dangling link is not newer
                }
                return check(a.lastModifiedTime());
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE; // unreadable: bash's glob does not see it either
            }

            private FileVisitResult check(FileTime time) {
                found[0] = time.compareTo(jar) > 0;
                return found[0] ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }
        });
        return found[0];
    }
}
