package dev.cxpm.core.pack;

import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.digest.Sha512;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Packs a plugin directory into a {@code .tgz} whose bytes depend only on the files' paths, contents and
 * executable bits. Entries are regular files only (no directory entries, as in npm), under a
 * {@code package/} prefix (as npm does, so npm-style tools and {@link Unpacker} read it alike), sorted by
 * path, with a fixed time (npm's 1985-10-26T08:15:00Z), uid/gid 0, empty owner names, mode 0644 or 0755
 * (when the owner may execute the file), and a gzip header without time, name or OS.
 *
 * <p>What is left out, and why, is returned in {@link Listing#excluded()}: anything matched by
 * {@link IgnoreRules} ({@code .cxpmignore}), {@code .git} always, other names git treats specially
 * ({@link GitReservedNames}: registries refuse them at publish), symlinks whose target leaves the plugin,
 * broken or looping symlinks, symlinks to directories (not followed, so a link cannot duplicate or loop
 * the tree), and special files (fifos, sockets, devices). A symlink to a file inside the plugin is packed
 * as a regular file with the target's content: archives never contain links. A file over
 * {@link PackLimits#maxFileBytes()} is refused with an error that names it, as are packages over the
 * total size or file count (so whatever pack makes, unpack accepts: {@link PackLimits#check}).
 *
 * <p>{@link ArchiveWriter} writes the archive; this class lists what goes in it and computes the content digests.
 */
public final class Packer {
    /**
     * npm's fixed mtime for packed entries (1985-10-26T08:15:00Z), so our archives look like npm's to tools that care.
     * In seconds, not {@code Instant.parse}: parsing sets up java.time's formatters, ~30 classes run interpreted on
     * every cold validate, pack and first sync.
     */
    public static final Instant FIXED_TIME = Instant.ofEpochSecond(499_162_500L);
    public static final String PREFIX = "package/";
    public static final String IGNORE_FILE = ".cxpmignore";
    /** Why a named pipe, socket or device in a plugin is left out: never opened (a pipe's open waits for a writer). */
    public static final String NOT_A_FILE = "not a regular file (fifo, socket or device)";

    /** One file to pack: its path in the archive (without prefix), the file to read, and whether executable. */
    public record Entry(String path, Path source, long size, boolean executable) {
    }

    public record Excluded(String path, String reason) {
    }

    /** What a pack would contain and what it leaves out. */
    public record Listing(Path root, List<Entry> entries, List<Excluded> excluded) {
        public long totalBytes() {
            return entries.stream().mapToLong(Entry::size).sum();
        }
    }

    /**
     * {@code integrity} is the sha512 of the archive's bytes (what a registry serves and npm would pin).
     * {@code contentIntegrity} and {@code contentDigest} are computed while packing over the same stream of
     * paths, executable bits and contents (sha512, and the hex SHA-256 of {@link #contentDigest(Listing)}):
     * independent of gzip and tar framing, so they stay the same on a JDK whose zlib compresses differently.
     */
    public record Result(Path file, long size, Integrity integrity, Listing listing, String contentDigest, Integrity contentIntegrity) {
    }

    private final PackLimits limits;

    public Packer(PackLimits limits) {
        this.limits = limits;
    }

    public Packer() {
        this(PackLimits.DEFAULT);
    }

    /** Lists what {@link #pack} would put in the archive; refuses (UserError) oversized content. */
    public Listing list(Path pluginRoot) {
        Listing listing = scan(pluginRoot);
        limits.check(listing.entries());
        return listing;
    }

    /** What {@link #list} gives, without refusing oversized content (for validate, which reports rather than packs). */
    public static Listing scan(Path pluginRoot) {
        return PluginFiles.scan(pluginRoot);
    }

    /** Packs the plugin into {@code out} (written to a temp file beside it, then moved into place). */
    public Result pack(Path pluginRoot, Path out) {
        return pack(pluginRoot, out, null);
    }

    /**
     * As {@link #pack(Path, Path)}, also writing each packed file, as the archive holds it, under {@code copyInto}
     * (an empty directory, or null for none): the files a sync places from the store without unpacking what it just
     * packed. Each path is written inside copyInto only if the unpacker would accept it; else UserError(INVALID_INPUT)
     * is thrown, and the caller packs again without a copy (the archive is then the unpacker's to refuse, as any other).
     */
    public Result pack(Path pluginRoot, Path out, Path copyInto) {
        Listing listing = list(pluginRoot);
        Path target = out.toAbsolutePath().normalize();
        try {
            Files.createDirectories(target.getParent());
            Path tmp = TempPaths.file(target.getParent(), ".cxpm-pack-", ".tmp");
            try {
                Result r = ArchiveWriter.write(listing, tmp, copyInto);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return new Result(target, r.size(), r.integrity(), listing, r.contentDigest(), r.contentIntegrity());
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + target + ": " + e.getMessage(), null, e);
        }
    }

    /**
     * What {@link #packInto} packed: the listing (what it left out), the content integrity (the store's address), and
     * the bytes it packed of the files asked for ({@code kept}, by path): each such file the listing holds is a key,
     * with its bytes when they are at most {@link #MAX_KEPT_BYTES}, else null (a path absent is a file not packed).
     */
    public record Stored(Listing listing, Integrity contentIntegrity, Map<String, byte[]> kept) {
    }

    /** The most bytes of one file {@link #packInto} keeps in memory for its caller (a manifest is a few hundred). */
    public static final int MAX_KEPT_BYTES = 64 * 1024;

    /**
     * As {@link #pack(Path, Path, Path)}, into a temp file the caller made, opened and renames into place itself (the
     * store; out is flushed, not closed): no second temp file and rename of the packer's own. Only the content integrity is computed: the store addresses by
     * it, and nothing asks a stored archive for the sha512 of its bytes or the SHA-256 content digest (two of the three
     * digests pack computes, most of a first sync's hashing). The files at the paths keep are also kept in memory as they
     * were packed (see {@link Stored#kept}): the manifests a sync checks the lock against, without reading them back.
     */
    public Stored packInto(Path pluginRoot, OutputStream tmp, Path copyInto, java.util.Set<String> keep) throws IOException {
        return packInto(list(pluginRoot), tmp, copyInto, keep);
    }

    /** As {@link #packInto(Path, OutputStream, Path, java.util.Set)}, of a listing {@link #list} made (not listed again). */
    public Stored packInto(Listing listing, OutputStream tmp, Path copyInto, java.util.Set<String> keep) throws IOException {
        Sha512 content512 = new Sha512();
        Map<String, byte[]> kept = new java.util.HashMap<>();
        OutputStream out = new BufferedOutputStream(tmp, ArchiveWriter.bufferFor(listing));
        ArchiveWriter.write(listing, out, copyInto, null, content512, keep, kept);
        out.flush();
        return new Stored(listing, Integrity.of(content512), java.util.Collections.unmodifiableMap(kept));
    }

    /**
     * A digest of exactly what would be packed (paths, executable bits, contents), without compressing:
     * equal digests mean equal packs, whatever the files' times or the directory's name.
     */
    public static String contentDigest(Listing listing) {
        return HexFormat.of().formatHex(digestContent(listing, newSha256()).digest());
    }

    /** The content integrity pack would give the directory (see {@link Result}), without writing an archive. */
    public Integrity contentIntegrity(Path pluginRoot) {
        return Integrity.of(digestContent(list(pluginRoot), Integrity.newSha512()));
    }

    private static MessageDigest digestContent(Listing listing, MessageDigest md) {
        byte[] buf = new byte[BUFFER];
        try {
            for (Entry e : listing.entries()) {
                try (InputStream in = Files.newInputStream(e.source())) {
                    digestFile(md, e.path(), e.executable(), in, buf);
                }
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + listing.root() + ": " + e.getMessage(), null, e);
        }
        return md;
    }

    private static void digestHeader(MessageDigest md, String path, boolean executable) {
        md.update(header(path, executable));
    }

    static byte[] header(String path, boolean executable) {
        return (path + "\0" + (executable ? "x" : "-") + "\0").getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #digestFile(MessageDigest, String, boolean, InputStream, byte[])} into a {@link Sha512}: no security providers set up. */
    public static void digestFile(Sha512 md, String path, boolean executable, InputStream content, byte[] buf) throws IOException {
        md.update(header(path, executable));
        for (int n; (n = content.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        md.update(new byte[1]);
    }

    /**
     * One file's share of a content integrity: its path, executable bit and bytes. The one encoding that pack, the
     * archive read-back and the installed-files check ({@code sync --frozen}) all hash, so they can never disagree.
     */
    public static void digestFile(MessageDigest md, String path, boolean executable, InputStream content, byte[] buf) throws IOException {
        digestHeader(md, path, executable);
        for (int n; (n = content.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        md.update((byte) 0);
    }

    /**
     * The {@link Result#contentIntegrity} of a packed plugin, read back from the archive: sha512 over each
     * file's path (without the {@code package/} prefix), executable bit and content, in archive order. Equal
     * to the value pack gave for the directory, whatever compressed the bytes.
     */
    public static Integrity contentIntegrityOfArchive(Path tgz) {
        MessageDigest md = Integrity.newSha512();
        byte[] buf = new byte[BUFFER];
        try (InputStream file = Files.newInputStream(tgz);
             InputStream gz = new java.util.zip.GZIPInputStream(new java.io.BufferedInputStream(file, BUFFER), BUFFER);
             org.apache.commons.compress.archivers.tar.TarArchiveInputStream tar =
                     new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(gz, StandardCharsets.UTF_8.name())) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (!e.isFile()) {
                    continue;
                }
                String name = e.getName().startsWith(PREFIX) ? e.getName().substring(PREFIX.length()) : e.getName();
                digestFile(md, name, (e.getMode() & 0100) != 0, tar, buf);
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.INTEGRITY, "cannot read the packed plugin " + tgz + ": " + e.getMessage(),
                    "the file is damaged; delete it (it is only a cache) and retry", e);
        }
        return Integrity.of(md);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final int BUFFER = 64 * 1024;

    /**
     * A {@code .tgz} of files given in memory (path inside the plugin to UTF-8 text), laid out and stamped exactly
     * as {@link #pack} lays out a directory: for plugins made by code (the registry's demo plugins) and tests.
     */
    public static byte[] archive(Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ArchiveWriter.writeTgz(bytes, 0, tar -> {
                for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
                    byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                    tar.putArchiveEntry(ArchiveWriter.header(f.getKey(), content.length, false));
                    tar.write(content);
                    tar.closeArchiveEntry();
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: not expected
        }
        return bytes.toByteArray();
    }
}
