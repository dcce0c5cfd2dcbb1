package dev.cxpm.core.pack;

import static dev.cxpm.core.pack.Destination.allowExecution;
import static dev.cxpm.core.pack.Destination.onDisk;
import static dev.cxpm.core.pack.UnpackRules.admitFile;
import static dev.cxpm.core.pack.UnpackRules.newDirectories;
import static dev.cxpm.core.pack.UnpackRules.refused;
import static dev.cxpm.core.pack.UnpackRules.safeRelativePath;
import static dev.cxpm.core.pack.UnpackRules.withinSizeLimits;

import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts an untrusted {@code .tgz} (a cxpm pack or an npm package tarball) without letting it write
 * anywhere but the destination, in one pass: each entry is checked before it is written into a temp dir beside the
 * destination, which is moved into place only when every entry passed and is deleted when one fails, so nothing
 * appears at the destination unless the whole archive is acceptable. {@link #check} checks without writing.
 *
 * <p>Rules: the first path component is stripped, as npm does ({@code package/} in cxpm and npm packs);
 * only regular files and directories are accepted, so symbolic links, hard links, devices and fifos are
 * refused (cxpm packs never contain links); paths must be relative, without {@code ..}, backslashes or NUL,
 * and unique; at most {@link PackLimits#maxEntries()} entries, {@link PackLimits#maxFileBytes()} per file and
 * {@link PackLimits#maxTotalBytes()} in all (also enforced on the bytes actually decompressed, so a lying
 * header or a gzip bomb stops early). Files get mode 0644, or 0755 when the archive marks them executable.
 * {@link UnpackRules} holds the rules, {@link Destination} the writes under the destination.
 */
public final class Unpacker {

    private final PackLimits limits;

    public Unpacker(PackLimits limits) {
        this.limits = limits;
    }

    public Unpacker() {
        this(PackLimits.DEFAULT);
    }

    /** A file the archive holds, after stripping the first component. */
    public record FileEntry(String path, long size, boolean executable) {
    }

    /** Checks the whole archive and returns its files; throws UserError(INVALID_INPUT) naming the bad entry. */
    public List<FileEntry> check(Path tgz) {
        List<FileEntry> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> dirs = new HashSet<>();
        long total = 0;
        int count = 0;
        try (TarArchiveInputStream tar = open(tgz)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (++count > limits.maxEntries()) {
                    throw refused(tgz, "it has more than " + limits.maxEntries() + " entries");
                }
                String rel = safeRelativePath(tgz, e.getName());
                if (e.isDirectory()) {
                    newDirectories(tgz, limits, rel, seen, dirs);
                    continue;
                }
                admitFile(tgz, e, rel, seen);
                fileNotADirectory(tgz, rel, seen, dirs);
                total = withinSizeLimits(limits, tgz, e, total);
                files.add(new FileEntry(rel, e.getSize(), (e.getMode() & 0100) != 0));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw refused(tgz, "it is not a readable tar.gz (" + e.getMessage() + ")");
        }
        return files;
    }

    /** A file's path (already in seen) is no directory the archive listed or implied; its parents are recorded (and returned to make). */
    private List<String> fileNotADirectory(Path tgz, String rel, Set<String> seen, Set<String> dirs) {
        if (dirs.contains(rel)) {
            throw refused(tgz, "entry " + rel + " is both a file and a directory");
        }
        return newDirectories(tgz, limits, rel.substring(0, Math.max(rel.lastIndexOf('/'), 0)), seen, dirs);
    }

    /**
     * The bytes of the named files (paths after stripping the first component), read without extracting
     * anything: for looking at one manifest in a stored pack. A name the archive lacks is absent from the map.
     */
    public java.util.Map<String, byte[]> read(Path tgz, Set<String> paths) {
        java.util.Map<String, byte[]> out = new java.util.HashMap<>();
        try (TarArchiveInputStream tar = open(tgz)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String rel = safeRelativePath(tgz, e.getName());
                if (!paths.contains(rel) || !isRegularFile(e) || out.containsKey(rel)) {
                    continue;
                }
                if (e.getSize() > limits.maxFileBytes()) {
                    throw refused(tgz, "entry " + e.getName() + " is over the " + Sizes.human(limits.maxFileBytes()) + " limit for one file");
                }
                out.put(rel, tar.readNBytes((int) e.getSize()));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw refused(tgz, "it is not a readable tar.gz (" + e.getMessage() + ")");
        }
        return out;
    }

    /** What one pass over an archive found: its files, and the content integrity of what it holds ({@link Packer#contentIntegrityOfArchive}). */
    public record Unpacked(List<FileEntry> files, Integrity contentIntegrity) {
    }

    /**
     * Extracts into {@code dest}, which must not exist yet; its parent is created if needed. On any
     * failure nothing is left at {@code dest}.
     */
    public List<FileEntry> unpack(Path tgz, Path dest) {
        return unpackHashing(tgz, dest).files();
    }

    /**
     * As {@link #unpack}, and hashes the content while it is written: one decompression checks every entry, computes
     * the content integrity and writes the files (into a temp dir beside dest, moved into place only when every entry
     * passed). The caller compares the integrity with the one it expects and deletes dest when they differ.
     */
    public Unpacked unpackHashing(Path tgz, Path dest) {
        Path target = dest.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new UserError(UserError.Kind.CONFLICT, "cannot unpack into " + target + ": it already exists");
        }
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = TempPaths.directory(target.getParent(), ".cxpm-unpack-");
            Unpacked unpacked = extract(tgz, tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return unpacked;
        } catch (FileAlreadyExistsException e) {
            throw new UserError(UserError.Kind.CONFLICT, "cannot unpack into " + target + ": it already exists");
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot unpack into " + target + ": " + e.getMessage(), null, e);
        } finally {
            if (tmp != null) {
                dev.cxpm.core.codexhome.Trees.deleteQuietly(tmp);
            }
        }
    }

    /**
     * As {@link #unpackHashing}, straight into {@code dest}, which this creates (its parent must exist; it must not):
     * for a caller whose dest is inside a private scratch directory it deletes as a whole on failure, so the temp
     * directory and rename {@link #unpackHashing} makes per archive are not needed. On failure dest may hold part of
     * the archive: the caller deletes it.
     */
    public Unpacked unpackHashingInto(Path tgz, Path dest) {
        Path into = dest.toAbsolutePath().normalize();
        try {
            Files.createDirectory(into);
            return extract(tgz, into);
        } catch (FileAlreadyExistsException e) {
            throw new UserError(UserError.Kind.CONFLICT, "cannot unpack into " + into + ": it already exists");
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot unpack into " + into + ": " + e.getMessage(), null, e);
        }
    }

    /** The rules of {@link #check}, applied entry by entry while the files are written and hashed. */
    private Unpacked extract(Path tgz, Path into) throws IOException {
        List<FileEntry> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> dirs = new HashSet<>();
        MessageDigest md = Integrity.newSha512();
        long total = 0;
        int count = 0;
        try (TarArchiveInputStream tar = open(tgz)) {
            byte[] buf = new byte[64 * 1024];
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (++count > limits.maxEntries()) {
                    throw refused(tgz, "it has more than " + limits.maxEntries() + " entries");
                }
                String rel = safeRelativePath(tgz, e.getName());
                Path p = into.resolve(rel);
                if (!p.normalize().startsWith(into)) {
                    throw refused(tgz, "entry " + e.getName() + " leaves the destination");
                }
                if (e.isDirectory()) {
                    for (String d : newDirectories(tgz, limits, rel, seen, dirs)) {
                        onDisk(() -> Files.createDirectory(into.resolve(d)));
                    }
                    continue;
                }
                admitFile(tgz, e, rel, seen);
                for (String d : fileNotADirectory(tgz, rel, seen, dirs)) {
                    onDisk(() -> Files.createDirectory(into.resolve(d)));
                }
                total = withinSizeLimits(limits, tgz, e, total);
                boolean executable = (e.getMode() & 0100) != 0;
                String name = e.getName().startsWith(Packer.PREFIX) ? e.getName().substring(Packer.PREFIX.length()) : e.getName();
                OutputStream out = onDisk(() -> Files.newOutputStream(p, java.nio.file.StandardOpenOption.CREATE_NEW));
                try (ArchiveStreams.Tee tee = new ArchiveStreams.Tee(tar, out, limits.maxFileBytes(), tgz, e.getName())) {
                    Packer.digestFile(md, name, executable, tee, buf);
                }
                if (executable) {
                    onDisk(() -> {
                        allowExecution(p);
                        return p;
                    });
                }
                files.add(new FileEntry(rel, e.getSize(), executable));
            }
        } catch (UncheckedIOException written) {
            throw written.getCause(); // the disk, not the archive: the caller says it could not unpack
        } catch (IOException | IllegalArgumentException e) {
            throw refused(tgz, "it is not a readable tar.gz (" + e.getMessage() + ")");
        }
        return new Unpacked(files, Integrity.of(md));
    }

    private TarArchiveInputStream open(Path tgz) throws IOException {
        dev.cxpm.core.FileText.regularFile(tgz); // a named pipe's open would wait for a writer, forever
        InputStream raw = new BufferedInputStream(Files.newInputStream(tgz), 64 * 1024);
        try {
            return new BoundedTar(new ArchiveStreams.Bounded(new GZIPInputStream(raw, 64 * 1024), limits.maxArchiveBytes()));
        } catch (ZipException e) {
            raw.close();
            throw new IOException("not gzip: " + e.getMessage(), e);
        }
    }

    /**
     * A regular file's entry: not a link, device or named pipe. commons-compress's {@code isFile} calls any entry that is
     * no directory a file, a pipe's and a device's included.
     */
    public static boolean isRegularFile(TarArchiveEntry e) {
        return e.isFile() && !e.isLink() && !e.isSymbolicLink() && !e.isCharacterDevice() && !e.isBlockDevice()
                && !e.isFIFO();
    }
}
