package dev.cxpm.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Small helpers for tests that build plugins on disk: copy a shared fixture (read-only in the workplace)
 * into a temp dir as writable files, keeping symlinks as symlinks, and write text files with parents.
 */
public final class TestFiles {
    private TestFiles() {
    }

    /** Copies the Codex fixture {@code name} into {@code dir/name} and returns that copy. */
    public static Path codexFixture(String name, Path dir) {
        return copyTree(Shared.codexFixtures().resolve(name), dir.resolve(name));
    }

    /** Copies a tree; symlinks are recreated as links; files and dirs end up writable. */
    public static Path copyTree(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    Path target = to.resolve(from.relativize(d).toString());
                    Files.createDirectories(target);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isSymbolicLink(f)) {
                        Files.createSymbolicLink(target, Files.readSymbolicLink(f));
                    } else {
                        Files.copy(f, target);
                        writable(target);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    writable(to.resolve(from.relativize(d).toString()));
                    return FileVisitResult.CONTINUE;
                }
            });
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writable(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return;
        }
        Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        perms.add(PosixFilePermission.OWNER_WRITE);
        perms.add(PosixFilePermission.OWNER_READ);
        if (Files.isDirectory(p)) {
            perms.add(PosixFilePermission.OWNER_EXECUTE);
        }
        Files.setPosixFilePermissions(p, perms);
    }

    /** Writes text (UTF-8) to dir/relative, creating parent directories; returns the file. */
    public static Path write(Path dir, String relative, String text) {
        try {
            Path f = dir.resolve(relative);
            Files.createDirectories(f.getParent());
            Files.writeString(f, text, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
