package dev.cxpm.core.codexhome;

import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** Whole-directory operations that never follow symbolic links out of the tree they work on. */
public final class Trees {
    private Trees() {
    }

    /** Deletes dir and everything under it; links are deleted, not followed. Missing is fine. */
    public static void delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot delete " + dir + ": " + e.getMessage(), null, e);
        }
    }

    /**
     * Deletes what it can of dir and everything under it, links deleted, not followed, and throws nothing: for a
     * command's own temp directory, which is better left behind (it is swept later) than failing the command over.
     */
    public static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: go on with the rest
                }
            });
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // missing, or unreadable part-way: what is left stays for the sweep
        }
    }

    /** Copies the tree at src to dst (which must not exist); symbolic links are copied as links. */
    public static void copy(Path src, Path dst) {
        copy(src, dst, java.util.Set.of());
    }

    /** As {@link #copy(Path, Path)}, leaving out the top-level entries named in excluded (e.g. {@code .git}). */
    public static void copy(Path src, Path dst, java.util.Set<String> excluded) {
        try {
            Files.walkFileTree(src, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (!d.equals(src) && excluded.contains(src.relativize(d).getName(0).toString())) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(dst.resolve(src.relativize(d).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path target = dst.resolve(src.relativize(file).toString());
                    if (excluded.contains(src.relativize(file).getName(0).toString())) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isSymbolicLink()) {
                        Files.createSymbolicLink(target, Files.readSymbolicLink(file));
                    } else if (attrs.isRegularFile()) {
                        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot copy " + src + " to " + dst + ": " + e.getMessage(), null, e);
        }
    }
}
