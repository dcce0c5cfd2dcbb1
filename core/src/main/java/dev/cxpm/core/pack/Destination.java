package dev.cxpm.core.pack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writing under the directory an archive is unpacked into (or a pack copied into): only paths {@link UnpackRules}
 * admit, parents made once each, execute bits as the shell gives them, and a failed write told apart from a bad
 * archive.
 */
final class Destination {
    private Destination() {
    }

    /**
     * Creates rel's missing directories under into, parent first, one mkdir each: into was empty when the pass began,
     * so what is there is what made lists ({@link Files#createDirectories} would try the deepest first and walk up).
     */
    static Path makeDirs(Path into, String rel, Set<String> made) throws IOException {
        for (int i = rel.indexOf('/'); ; i = rel.indexOf('/', i + 1)) {
            String dir = i < 0 ? rel : rel.substring(0, i);
            if (made.add(dir)) {
                Files.createDirectory(into.resolve(dir));
            }
            if (i < 0) {
                return into.resolve(rel);
            }
        }
    }

    /**
     * Where the packer writes a copy of file rel (a packed path, without {@code package/}) under into, its missing parent
     * directories made (made: those made so far under into, which was empty): only a path this unpacker would extract,
     * by the same rules and into the same place; else UserError(INVALID_INPUT).
     */
    static Path fileIn(Path into, String rel, Set<String> made) throws IOException {
        Path archive = Path.of(Packer.PREFIX + rel);
        if (!UnpackRules.safeRelativePath(archive, Packer.PREFIX + rel).equals(rel) || rel.isEmpty()) {
            throw UnpackRules.refused(archive, "entry " + rel + " is not a path it can be unpacked to");
        }
        Path p = into.resolve(rel);
        if (!p.normalize().startsWith(into)) {
            throw UnpackRules.refused(archive, "entry " + rel + " leaves the destination");
        }
        int slash = rel.lastIndexOf('/');
        if (slash > 0) {
            makeDirs(into, rel.substring(0, slash), made);
        }
        return p;
    }

    interface DiskStep<T> {
        T run() throws IOException;
    }

    /** A write to the destination: its failure is the disk's (UncheckedIOException), not the archive's. */
    static <T> T onDisk(DiskStep<T> step) {
        try {
            return step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * chmod +x as the shell does it: execute for whoever the umask let read the new file (0644 becomes
     * 0755, 0600 becomes 0700), so a packed executable runs and the user's umask still holds.
     */
    static void allowExecution(Path p) throws IOException {
        try {
            Set<PosixFilePermission> mode = EnumSet.copyOf(Files.getPosixFilePermissions(p));
            if (mode.contains(PosixFilePermission.OWNER_READ)) {
                mode.add(PosixFilePermission.OWNER_EXECUTE);
            }
            if (mode.contains(PosixFilePermission.GROUP_READ)) {
                mode.add(PosixFilePermission.GROUP_EXECUTE);
            }
            if (mode.contains(PosixFilePermission.OTHERS_READ)) {
                mode.add(PosixFilePermission.OTHERS_EXECUTE);
            }
            Files.setPosixFilePermissions(p, mode);
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: there is no execute bit to keep
        }
    }
}
