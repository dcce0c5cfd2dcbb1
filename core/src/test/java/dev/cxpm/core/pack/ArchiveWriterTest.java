package dev.cxpm.core.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;
import org.junit.jupiter.api.Test;

/**
 * The tar header block {@link ArchiveWriter.FileEntry} writes itself is the one commons-compress writes for the same
 * entry, byte for byte, plain or not (a name past 100 bytes, non-ASCII text, a number past its octal field, a time
 * with milliseconds, star mode: those it leaves to commons-compress): an archive's bytes, and so every integrity
 * recorded in a lockfile, stay what they were.
 */
class ArchiveWriterTest {
    private static final ZipEncoding UTF_8 = ZipEncodingHelper.getZipEncoding("UTF-8");

    @Test
    void headerBlocksAreCommonsCompressBytesForEveryShapeOfEntry() throws Exception {
        Random random = new Random(12);
        List<String> names = new ArrayList<>(List.of("package/a", "package/", "package/.mcp.json", "package/é.md",
                "package/" + "x".repeat(92), "package/" + "x".repeat(93), "package/tab\there", "package/nul\0", "package/\u007f",
                "/abs/path", "package/skills/s/SKILL.md", "package/😀"));
        for (int i = 0; i < 300; i++) {
            StringBuilder b = new StringBuilder("package/");
            for (int n = random.nextInt(120); n > 0; n--) {
                int kind = random.nextInt(20);
                b.append(kind == 0 ? (char) (0x80 + random.nextInt(0x700)) : kind == 1 ? (char) random.nextInt(0x20) : (char) (0x20 + random.nextInt(0x5f)));
            }
            names.add(b.toString());
        }
        long[] sizes = {0, 1, 511, 512, 65_536, (1L << 33) - 1, 1L << 33, Long.MAX_VALUE / 2};
        long[] times = {dev.cxpm.core.pack.Packer.FIXED_TIME.toEpochMilli(), 0, 1_234, 8_589_934_591_000L, 8_589_934_592_000L, -1_000};
        int checked = 0;
        for (String name : names) {
            long size = sizes[random.nextInt(sizes.length)];
            long time = times[random.nextInt(times.length)];
            boolean executable = random.nextBoolean();
            for (boolean starMode : new boolean[] {false, true}) {
                assertSameHeader(name, size, time, executable ? 0100755 : 0100644, 0, "", starMode);
                checked++;
            }
        }
        for (long size : sizes) {
            for (long time : times) {
                assertSameHeader("package/f", size, time, 0100644, 0, "", false);
            }
        }
        assertSameHeader("package/f", 3, 0, 0100644, (1 << 21) - 1, "", false);
        assertSameHeader("package/f", 3, 0, 0100644, 1 << 21, "", false);
        assertSameHeader("package/f", 3, 0, 07777777, 0, "", false);
        assertSameHeader("package/f", 3, 0, 0100644, 0, "someone", false);
        assertSameHeader("package/f", 3, 0, 0100644, 0, "é", false);
        assertThat(checked).isEqualTo(2 * names.size());
    }

    /**
     * A listing whose every header is plain is written by {@link PlainTar}, without a TarArchiveEntry:
     * the archive is commons-compress's byte for byte (headers, each file's padding, the end blocks, the 10,240-byte
     * records, so every integrity stays), for listings of 0 to 40 files of 0 to 30,000 bytes, executable or not, some
     * with a name that is not plain (those left to commons-compress whole).
     */
    @Test
    void plainListingsAreWrittenWithoutCommonsCompressAsTheSameBytes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        Random random = new Random(7);
        int plain = 0;
        for (int round = 0; round < 60; round++) {
            java.nio.file.Path dir = java.nio.file.Files.createDirectories(tmp.resolve("r" + round));
            List<Packer.Entry> entries = new ArrayList<>();
            for (int i = random.nextInt(41); i > 0; i--) {
                String name = i + (random.nextInt(60) == 0 ? "é" : random.nextInt(60) == 0 ? "x".repeat(95) : "") + "-" + "abc/def".repeat(random.nextInt(4));
                byte[] bytes = new byte[random.nextInt(8) == 0 ? random.nextInt(30_000) : random.nextInt(1_500)];
                random.nextBytes(bytes);
                java.nio.file.Path source = java.nio.file.Files.write(dir.resolve("f" + i), bytes);
                entries.add(new Packer.Entry(name, source, bytes.length, random.nextBoolean()));
            }
            Packer.Listing listing = new Packer.Listing(dir, entries, List.of());
            plain += PlainTar.fits(listing) ? 1 : 0;
            byte[] ours = write(listing, true);
            byte[] theirs = write(listing, false);
            assertThat(ours).as("round %d: %d entries", round, entries.size()).isEqualTo(theirs);
        }
        assertThat(plain).as("listings written by PlainTar").isBetween(20, 59);
    }

    private static byte[] write(Packer.Listing listing, boolean plainTar) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ArchiveWriter.plainTar = plainTar;
        try {
            ArchiveWriter.write(listing, out, null, null, new dev.cxpm.core.pack.digest.Sha512(), java.util.Set.of(), null);
        } finally {
            ArchiveWriter.plainTar = true;
        }
        return out.toByteArray();
    }

    @Test
    void packedArchivesWriteTheirHeadersWithoutCommonsCompress() {
        assertThat(ArchiveWriter.header("skills/s/SKILL.md", 10, false)).isInstanceOf(ArchiveWriter.FileEntry.class);
    }

    private static void assertSameHeader(String name, long size, long time, int mode, long id, String user, boolean starMode) throws Exception {
        TarArchiveEntry theirs = new TarArchiveEntry(name, true);
        TarArchiveEntry ours = new ArchiveWriter.FileEntry(name);
        for (TarArchiveEntry e : List.of(theirs, ours)) {
            e.setSize(size);
            e.setModTime(time);
            e.setMode(mode);
            e.setUserId(id);
            e.setGroupId(id);
            e.setUserName(user);
            e.setGroupName(user);
        }
        byte[] expected = new byte[512];
        byte[] actual = new byte[512];
        java.util.Arrays.fill(actual, (byte) 0x55); // what the last entry left in the record buffer
        theirs.writeEntryHeader(expected, UTF_8, starMode);
        ours.writeEntryHeader(actual, UTF_8, starMode);
        assertThat(actual).as("header of %s, size %d, time %d, mode %o, id %d, user %s, star %s", name, size, time, mode, id, user, starMode)
                .isEqualTo(expected);
    }
}
