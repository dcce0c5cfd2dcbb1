package dev.cxpm.cli.daemon;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a {@link Daemon} announces itself to its launchers: a file of the launcher's per-user directory (named
 * {@value #PREFIX}KEY) holding {@code port client-secret daemon-secret}, and {@code sources} when the daemon checks a dev
 * checkout's sources; written whole (0600, moved into place), and gone once the daemon stops taking commands.
 */
final class DaemonFile {
    /** The start of the file's name: the protocol's version (an earlier launcher's daemon file was daemon-KEY). */
    static final String PREFIX = "daemon-v2-";

    private final Path file;

    private DaemonFile(Path file) {
        this.file = file;
    }

    /**
     * The daemon file at path, when its name is one this protocol's launcher reads and its directory is this user's, mode
     * 0700 and not a link (made so if missing); else null: no daemon starts and every command runs in its own JVM.
     */
    static DaemonFile at(Path path) throws IOException {
        return path.getFileName().toString().startsWith(PREFIX) && isPrivateDirectory(path.getParent()) ? new DaemonFile(path) : null;
    }

    private static boolean isPrivateDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException made) {
            // by an earlier daemon or the launcher; checked below like any other
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Object me = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        return a.isDirectory() && me.equals(Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                && a.permissions().equals(PosixFilePermissions.fromString("rwx------"));
    }

    /** The lock a daemon holds while it runs: a second one for the same checkout exits at once. */
    Path lock() {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    void write(int port, DaemonHandshake secrets, boolean checksSources) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".daemon", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, port + " " + secrets.secrets() + (checksSources ? " sources" : "") + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Whether a launcher dropped it (one that got no answer, say while strangers held every handshake). */
    boolean dropped() {
        return Files.notExists(file, LinkOption.NOFOLLOW_LINKS);
    }

    void forget() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale file names a port nobody answers on: the launcher then runs commands itself
        }
    }
}
