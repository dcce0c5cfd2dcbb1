package dev.cxpm.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Temporary paths beside the file or directory they will be moved onto, created with the permissions
 * the user's umask gives a new file or directory. {@link Files#createTempFile} and
 * {@link Files#createTempDirectory} make them 0600/0700, which the atomic move would carry onto
 * cxpm.toml, cxpm.lock and installed plugins that teams share; secrets (credentials, the daemon's
 * file) are created with explicit 0600 permissions instead, never through here.
 */
public final class TempPaths {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TempPaths() {
    }

    /** A new empty file in dir named prefix + random + suffix, mode 0666 less the umask. */
    public static Path file(Path dir, String prefix, String suffix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + random() + suffix);
            try {
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
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
