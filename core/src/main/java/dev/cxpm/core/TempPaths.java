package dev.cxpm.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Temporary paths beside the file or directory they will be moved onto, created with the permissions
 * the user's umask gives a new file or directory. {@link Files#createTempFile} and
 * {@link Files#createTempDirectory} make them 0600/0700, which the atomic move would carry onto
 * cxpm.toml, cxpm.lock and installed plugins that teams share; secrets (credentials, the daemon's
 * file) are created with explicit 0600 permissions instead ({@link #privateFile}).
 *
 * <p>Each path is created exclusively (another name is tried if it exists), so its name need not be unguessable: it
 * comes from the clock and ThreadLocalRandom, not a SecureRandom, whose seeding was several ms of a cold command.
 */
public final class TempPaths {

    private TempPaths() {
    }

    /** A new empty file in dir named prefix + random + suffix, mode 0666 less the umask. */
    public static Path file(Path dir, String prefix, String suffix) throws IOException {
        Opened made = open(dir, prefix, suffix);
        made.out().close();
        return made.path();
    }

    /** A temp file just made, open for writing. */
    public record Opened(Path path, java.io.OutputStream out) {
    }

    /**
     * As {@link #file}, returned open for writing: the file made is the file written, not created, closed and opened
     * again (an open and a close per blob the store keeps).
     */
    public static Opened open(Path dir, String prefix, String suffix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + random() + suffix);
            try {
                return new Opened(p, Files.newOutputStream(p, java.nio.file.StandardOpenOption.CREATE_NEW));
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY = PosixFilePermissions.asFileAttribute(
            java.util.EnumSet.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));

    /**
     * A new empty file in dir named prefix + random + suffix, readable and writable only by its owner (where the file
     * system has POSIX permissions), as {@link Files#createTempFile} makes it, for a file that may hold secrets.
     */
    public static Path privateFile(Path dir, String prefix, String suffix) throws IOException {
        // asked by trying, not by supportedFileAttributeViews(), which loads and links every attribute view (xattr
        // ones too) on a cold install's config.toml write
        boolean posix = true;
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + random() + suffix);
            try {
                if (posix) {
                    try {
                        return Files.createFile(p, OWNER_ONLY);
                    } catch (UnsupportedOperationException notPosix) {
                        posix = false;
                    }
                }
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** A new empty directory in dir named prefix + random, mode 0777 less the umask. */
    public static Path directory(Path dir, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + random());
            try {
                return Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static String random() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() ^ System.nanoTime());
    }
}
