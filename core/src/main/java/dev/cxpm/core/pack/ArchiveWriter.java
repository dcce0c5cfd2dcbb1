package dev.cxpm.core.pack;

import dev.cxpm.core.pack.Packer.Entry;
import dev.cxpm.core.pack.Packer.Listing;
import dev.cxpm.core.pack.Packer.Result;
import dev.cxpm.core.pack.digest.Sha512;
import dev.cxpm.core.pack.digest.Sha256;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncoding;

/**
 * Writes a {@link Listing} as the deterministic {@code .tgz} {@link Packer} describes (sorted regular files under
 * {@code package/}, fixed time, ids and modes, a stable gzip), feeding the content digests as it reads each file once,
 * and copying or keeping the files a sync asks for on the way.
 */
final class ArchiveWriter {
    private static final byte[] ZERO = new byte[1];

    private ArchiveWriter() {
    }

    static Result write(Listing listing, Path file, Path copyInto) throws IOException {
        // the plain-Java digests, not MessageDigest: its first getInstance sets up the security providers, which a
        // first sync paid for this alone (the same algorithms; C1, a fresh JVM's only compiler, has no SHA intrinsic)
        Sha512 sha = new Sha512();
        Sha256 content = new Sha256();
        Sha512 content512 = new Sha512();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), bufferFor(listing));
             OutputStream digesting = new FilterOutputStream(out) {
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
            write(listing, digesting, copyInto, content, content512, Set.of(), null);
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
    static int bufferFor(Listing listing) {
        long tar = 1024;
        for (Entry e : listing.entries()) {
            tar += 1024 + e.size();
        }
        return (int) Math.min(256 * 1024, tar);
    }

    /** Room to copy the largest file in one read, up to {@link Packer#BUFFER}. */
    private static byte[] readBuffer(Listing listing) {
        long largest = 0;
        for (Entry e : listing.entries()) {
            largest = Math.max(largest, e.size());
        }
        return new byte[(int) Math.max(512, Math.min(Packer.BUFFER, largest + 1))];
    }

    private static TarArchiveOutputStream newTar(OutputStream gz) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }

    static TarArchiveEntry header(String path, long size, boolean executable) {
        TarArchiveEntry te = new FileEntry(Packer.PREFIX + path);
        te.setSize(size);
        te.setModTime(Packer.FIXED_TIME.toEpochMilli());
        te.setMode(PlainTar.mode(executable));
        te.setIds(0, 0);
        te.setUserName("");
        te.setGroupName("");
        return te;
    }

    /** Writes the entries as a deterministic tar.gz to {@code out} (not closed): the one writer pack and archive share. */
    static void writeTgz(OutputStream out, long expectedTarBytes, TarBody body) throws IOException {
        writeGz(out, expectedTarBytes, gz -> {
            TarArchiveOutputStream tar = newTar(gz);
            body.writeTo(tar);
            tar.finish();
        });
    }

    private interface GzBody {
        void writeTo(OutputStream gz) throws IOException;
    }

    private static void writeGz(OutputStream out, long expectedTarBytes, GzBody body) throws IOException {
        StableGzipOutputStream gz = new StableGzipOutputStream(out, Deflater.DEFAULT_COMPRESSION, expectedTarBytes);
        try {
            body.writeTo(gz);
            gz.finish();
            gz.flush();
        } finally {
            gz.release();
        }
    }

    /**
     * A regular file's tar entry whose header block is written here when every field is plain (ASCII names that fit,
     * numbers in octal), the very bytes commons-compress writes for it (ArchiveWriterTest holds them equal); any other
     * entry is left to commons-compress. Its own writer asks commons-io's {@code FileTimes} for the time, and that
     * class's initialisation sets up {@code BigDecimal}, whose static initialiser (JDK 25) squares its way to 5^65536:
     * tens of ms of interpreted CPU in a fresh JVM, paid by every first sync (it packs each plugin) for one constant.
     */
    static final class FileEntry extends TarArchiveEntry {

        FileEntry(String name) {
            super(name, true);
        }

        @Override
        public void writeEntryHeader(byte[] out, ZipEncoding encoding, boolean starMode) throws IOException {
            long time = getLastModifiedTime().toMillis();
            if (starMode || out.length != 512 || getLinkFlag() != LF_NORMAL || time % 1000 != 0
                    || !PlainTar.block(out, getName(), getMode(), getLongUserId(), getLongGroupId(), getSize(), time / 1000,
                            getLinkName(), getUserName(), getGroupName(), getDevMajor(), getDevMinor())) {
                super.writeEntryHeader(out, encoding, starMode);
            }
        }
    }

    interface TarBody {
        void writeTo(TarArchiveOutputStream tar) throws IOException;
    }

    /** Where a listing's entries go, one file after another: a {@link PlainTar}, or commons-compress's tar. */
    interface Sink {
        void begin(Entry e) throws IOException;

        void write(byte[] b, int off, int len) throws IOException;

        void end() throws IOException;
    }

    /** Whether {@link #write(Listing, OutputStream, Path, Sha256, Sha512, Set, Map)} writes the tar itself: tests set it. */
    static boolean plainTar = true;

    /**
     * Writes the listing as a deterministic tar.gz to {@code out} (not closed), feeding each file's share of the
     * content digests ({@link Packer#digestFile}; the SHA-256 one unless null), each file also written under copyInto (unless null),
     * and the files at the paths keep into kept ({@link Packer.Stored#kept}).
     */
    static void write(Listing listing, OutputStream out, Path copyInto, Sha256 content, Sha512 content512,
            Set<String> keep, Map<String, byte[]> kept) throws IOException {
        if (plainTar && PlainTar.fits(listing)) {
            writeGz(out, tarBytes(listing), gz -> {
                PlainTar tar = new PlainTar(gz);
                entries(listing, tar, copyInto, content, content512, keep, kept);
                tar.finish();
            });
            return;
        }
        writeTgz(out, tarBytes(listing), tar -> entries(listing, new Sink() {
            @Override
            public void begin(Entry e) throws IOException {
                tar.putArchiveEntry(header(e.path(), e.size(), e.executable()));
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                tar.write(b, off, len);
            }

            @Override
            public void end() throws IOException {
                tar.closeArchiveEntry();
            }
        }, copyInto, content, content512, keep, kept));
    }

    private static void entries(Listing listing, Sink tar, Path copyInto, Sha256 content, Sha512 content512,
            Set<String> keep, Map<String, byte[]> kept) throws IOException {
        byte[] buf = readBuffer(listing);
        Set<String> made = new HashSet<>();
        for (Entry e : listing.entries()) {
            tar.begin(e);
            byte[] header = Packer.header(e.path(), e.executable());
            if (content != null) {
                content.update(header);
            }
            content512.update(header);
            Path copy = copyInto == null ? null : Destination.fileIn(copyInto, e.path(), made);
            try (InputStream in = Files.newInputStream(e.source());
                 OutputStream copied = copy == null ? OutputStream.nullOutputStream()
                         : Files.newOutputStream(copy, StandardOpenOption.CREATE_NEW)) {
                long copiedBytes = 0;
                ByteArrayOutputStream keeping = null;
                if (keep.contains(e.path())) {
                    keeping = e.size() <= Packer.MAX_KEPT_BYTES ? new ByteArrayOutputStream((int) e.size()) : null;
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
                Destination.allowExecution(copy);
            }
            tar.end();
        }
    }
}
