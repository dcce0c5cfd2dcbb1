package dev.cxpm.core.pack;

import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
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
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

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
 * total size or file count (so whatever pack makes, unpack accepts).
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
        checkLimits(listing.entries());
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
                Result r = write(listing, tmp, copyInto);
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
        Listing listing = list(pluginRoot);
        Sha512 content512 = new Sha512();
        Map<String, byte[]> kept = new java.util.HashMap<>();
        OutputStream out = new BufferedOutputStream(tmp, bufferFor(listing));
        write(listing, out, copyInto, null, content512, keep, kept);
        out.flush();
        return new Stored(listing, Integrity.of(content512), java.util.Collections.unmodifiableMap(kept));
    }

    private static Result write(Listing listing, Path file, Path copyInto) throws IOException {
        // the plain-Java digests, not MessageDigest: its first getInstance sets up the security providers, which a
        // first sync paid for this alone (the same algorithms; C1, a fresh JVM's only compiler, has no SHA intrinsic)
        Sha512 sha = new Sha512();
        Sha256 content = new Sha256();
        Sha512 content512 = new Sha512();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), bufferFor(listing));
             OutputStream digesting = new java.io.FilterOutputStream(out) {
                 @Override
                 public void write(int b) throws IOException {
                     sha.update(new byte[] {(byte) b});
                     out.write(b);
                 }

                 @Override
                 public void write(byte[] b, int off, int len) throws IOException {
                     sha.update(b, off, len);
                     out.write(b, off, len);
                 }
             }) {
            write(listing, digesting, copyInto, content, content512, java.util.Set.of(), null);
        }
        return new Result(file, Files.size(file), Integrity.of(sha), listing, HexFormat.of().formatHex(content.digest()), Integrity.of(content512));
    }

    /**
     * About the size of the listing's tar: a header per file, contents in 512-byte records, the end, the whole padded to
     * commons-compress's 10,240-byte records.
     */
    private static long tarBytes(Listing listing) {
        long tar = 1024;
        for (Entry e : listing.entries()) {
            tar += 512 + (e.size() + 511) / 512 * 512;
        }
        return (tar + 10_239) / 10_240 * 10_240;
    }

    /**
     * Room for the whole archive up to 256 KiB (its tar bytes bound it: a header per file, contents in 512-byte
     * records), not 256 KiB for every plugin of a few KiB: a first sync packs each plugin, and the buffers were most of
     * what it allocated.
     */
    private static int bufferFor(Listing listing) {
        long tar = 1024;
        for (Entry e : listing.entries()) {
            tar += 1024 + e.size();
        }
        return (int) Math.min(256 * 1024, tar);
    }

    /** Room to copy the largest file in one read, up to {@link #BUFFER}. */
    private static byte[] readBuffer(Listing listing) {
        long largest = 0;
        for (Entry e : listing.entries()) {
            largest = Math.max(largest, e.size());
        }
        return new byte[(int) Math.max(512, Math.min(BUFFER, largest + 1))];
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

    private static byte[] header(String path, boolean executable) {
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

    private static final int BUFFER = 64 * 1024;
    private static final byte[] ZERO = new byte[1];

    /**
     * A {@code .tgz} of files given in memory (path inside the plugin to UTF-8 text), laid out and stamped exactly
     * as {@link #pack} lays out a directory: for plugins made by code (the registry's demo plugins) and tests.
     */
    public static byte[] archive(Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeTgz(bytes, 0, tar -> {
                for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
                    byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                    tar.putArchiveEntry(header(f.getKey(), content.length, false));
                    tar.write(content);
                    tar.closeArchiveEntry();
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: not expected
        }
        return bytes.toByteArray();
    }

    private static TarArchiveOutputStream newTar(OutputStream gz) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }

    private static TarArchiveEntry header(String path, long size, boolean executable) {
        TarArchiveEntry te = new TarArchiveEntry(PREFIX + path, true);
        te.setSize(size);
        te.setModTime(FIXED_TIME.toEpochMilli());
        te.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | (executable ? 0755 : 0644));
        te.setIds(0, 0);
        te.setUserName("");
        te.setGroupName("");
        return te;
    }

    /** Writes the entries as a deterministic tar.gz to {@code out} (not closed): the one writer pack and archive share. */
    private static void writeTgz(OutputStream out, long expectedTarBytes, TarBody body) throws IOException {
        StableGzipOutputStream gz = new StableGzipOutputStream(out, Deflater.DEFAULT_COMPRESSION, expectedTarBytes);
        try {
            TarArchiveOutputStream tar = newTar(gz);
            body.writeTo(tar);
            tar.finish();
            gz.finish();
            gz.flush();
        } finally {
            gz.release();
        }
    }

    private interface TarBody {
        void writeTo(TarArchiveOutputStream tar) throws IOException;
    }

    /**
     * Writes the listing as a deterministic tar.gz to {@code out} (not closed), feeding each file's share of the
     * content digests ({@link #digestFile}; the SHA-256 one unless null), each file also written under copyInto (unless null),
     * and the files at the paths keep into kept ({@link Stored#kept}).
     */
    private static void write(Listing listing, OutputStream out, Path copyInto, Sha256 content, Sha512 content512,
            java.util.Set<String> keep, Map<String, byte[]> kept) throws IOException {
        byte[] buf = readBuffer(listing);
        java.util.Set<String> made = new java.util.HashSet<>();
        writeTgz(out, tarBytes(listing), tar -> {
            for (Entry e : listing.entries()) {
                tar.putArchiveEntry(header(e.path(), e.size(), e.executable()));
                byte[] header = header(e.path(), e.executable());
                if (content != null) {
                    content.update(header);
                }
                content512.update(header);
                Path copy = copyInto == null ? null : Unpacker.fileIn(copyInto, e.path(), made);
                try (InputStream in = Files.newInputStream(e.source());
                     OutputStream copied = copy == null ? OutputStream.nullOutputStream()
                             : Files.newOutputStream(copy, java.nio.file.StandardOpenOption.CREATE_NEW)) {
                    long copiedBytes = 0;
                    ByteArrayOutputStream keeping = null;
                    if (keep.contains(e.path())) {
                        keeping = e.size() <= MAX_KEPT_BYTES ? new ByteArrayOutputStream((int) e.size()) : null;
                        kept.put(e.path(), null);
                    }
                    for (int n; (n = in.read(buf)) > 0; ) {
                        if (keeping != null) {
                            keeping.write(buf, 0, n);
                        }
                        if (content != null) {
                            content.update(buf, 0, n);
                        }
                        content512.update(buf, 0, n);
                        tar.write(buf, 0, n);
                        copied.write(buf, 0, n);
                        copiedBytes += n;
                    }
                    if (content != null) {
                        content.update(ZERO);
                    }
                    content512.update(ZERO);
                    if (copiedBytes != e.size()) {
                        throw new IOException(e.path() + " changed while packing");
                    }
                    if (keeping != null) {
                        kept.put(e.path(), keeping.toByteArray());
                    }
                }
                if (copy != null && e.executable()) {
                    Unpacker.allowExecution(copy);
                }
                tar.closeArchiveEntry();
            }
        });
    }

    private void checkLimits(List<Entry> entries) {
        List<String> tooBig = entries.stream().filter(e -> e.size() > limits.maxFileBytes())
                .map(e -> e.path() + " (" + Sizes.human(e.size()) + ")").toList();
        if (!tooBig.isEmpty()) {
            throw new UserError(UserError.Kind.INVALID_INPUT,
                    "file" + (tooBig.size() > 1 ? "s" : "") + " over the " + Sizes.human(limits.maxFileBytes())
                            + " limit for one packed file: " + String.join(", ", tooBig),
                    "add " + (tooBig.size() > 1 ? "them" : "it") + " to " + IGNORE_FILE + ", or make "
                            + (tooBig.size() > 1 ? "them" : "it") + " smaller");
        }
        if (entries.size() > limits.maxEntries()) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "the plugin has " + entries.size()
                    + " files, over the limit of " + limits.maxEntries(), "exclude files with " + IGNORE_FILE);
        }
        long total = entries.stream().mapToLong(Entry::size).sum();
        if (total > limits.maxTotalBytes()) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "the plugin's files total " + Sizes.human(total)
                    + ", over the limit of " + Sizes.human(limits.maxTotalBytes()), "exclude files with " + IGNORE_FILE);
        }
    }
}
