package dev.cxpm.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    /**
     * Replaces file by bytes atomically: written to a new temp file beside it (prefix + random + .tmp), then moved onto
     * it, so a crash leaves the old file or the new one, never a part of one; a failure leaves no temp file behind.
     */
    public static void replace(Path file, String prefix, byte[] bytes) throws IOException {
        Opened tmp = open(file.toAbsolutePath().getParent(), prefix, ".tmp");
        try {
            try (java.io.OutputStream out = tmp.out()) {
                out.write(bytes);
            }
            Files.move(tmp.path(), file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp.path());
        }
    }

    /** As {@link #replace(Path, String, byte[])}, text as UTF-8; text that is not valid Unicode is refused, not written as '?'. */
    public static void replace(Path file, String prefix, String text) throws IOException {
        replace(file, prefix, utf8(text));
    }

    /**
     * text as UTF-8, refused (a CharacterCodingException) when it is not valid Unicode. Text without a surrogate char is
     * valid and is encoded by String.getBytes (the JDK's fast path: sync writes its state, config.toml and cxpm.lock, some
     * 100 kB each at 1,000 plugins, where the strict encoder went char by char); other text goes through the strict
     * encoder, which refuses a lone surrogate (getBytes would write '?').
     */
    public static byte[] utf8(String text) throws java.nio.charset.CharacterCodingException {
        for (int i = 0, n = text.length(); i < n; i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
                byte[] bytes = new byte[encoded.remaining()];
                encoded.get(bytes);
                return bytes;
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
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
