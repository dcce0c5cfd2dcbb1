package dev.cxpm.core.pack;

import dev.cxpm.core.pack.Packer.Entry;
import dev.cxpm.core.pack.Packer.Listing;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A listing's tar written here, not by commons-compress, when every entry's header is plain ({@link #block}): the bytes
 * {@code TarArchiveOutputStream} writes (each file padded to 512 bytes, then two zero blocks; ArchiveWriterTest holds
 * them equal), without constructing a {@code TarArchiveEntry}, whose every constructor reads {@code user.name} through
 * commons-lang3's {@code SystemProperties}, and so initialises {@code StringUtils}: a regular expression and the JDK's
 * table of Unicode blocks, interpreted, on every first sync (it packs each plugin). A class of its own, not a part of
 * ArchiveWriter.FileEntry: that one's statics would initialise TarArchiveEntry first.
 */
final class PlainTar implements ArchiveWriter.Sink {
    private static final int NAME = 100;
    private static final byte[] MAGIC_AND_VERSION = {'u', 's', 't', 'a', 'r', 0, '0', '0'};
    private static final byte[] ZEROS = new byte[1024];

    private final OutputStream out;
    private final byte[] header = new byte[512];
    private String path;
    private long left;
    private long total;

    PlainTar(OutputStream out) {
        this.out = out;
    }

    /** Whether every entry of the listing has a plain header, so that this writes the whole tar. */
    static boolean fits(Listing listing) {
        byte[] scratch = new byte[512];
        for (Entry e : listing.entries()) {
            if (!block(scratch, Packer.PREFIX + e.path(), mode(e.executable()), 0, 0, e.size(), Packer.FIXED_TIME.getEpochSecond(),
                    "", "", "", 0, 0)) {
                return false;
            }
        }
        return true;
    }

    static int mode(boolean executable) {
        return TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | (executable ? 0755 : 0644);
    }

    @Override
    public void begin(Entry e) throws IOException {
        if (!block(header, Packer.PREFIX + e.path(), mode(e.executable()), 0, 0, e.size(), Packer.FIXED_TIME.getEpochSecond(),
                "", "", "", 0, 0)) {
            throw new IOException(e.path() + " changed while packing"); // fits() said it was plain
        }
        out.write(header);
        total += 512;
        path = e.path();
        left = e.size();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > left) {
            throw new IOException(path + " changed while packing");
        }
        out.write(b, off, len);
        left -= len;
        total += len;
    }

    @Override
    public void end() throws IOException {
        if (left != 0) {
            throw new IOException(path + " changed while packing");
        }
        int pad = (int) (-total & 511);
        out.write(ZEROS, 0, pad);
        total += pad;
    }

    /** The two zero blocks that end a tar; as commons-compress's finish() without close(), no padding to a record. */
    void finish() throws IOException {
        out.write(ZEROS, 0, 1024);
    }

    /**
     * A regular file's ustar header block, as commons-compress writes it, when every field is plain (ASCII names that
     * fit, numbers in octal); false when one is not (out then holds no header: the caller leaves it to commons-compress).
     */
    static boolean block(byte[] out, String name, int mode, long uid, long gid, long size, long seconds,
            String linkName, String user, String group, int devMajor, int devMinor) {
        if (!ascii(name, NAME) || !ascii(linkName, NAME) || !ascii(user, 32) || !ascii(group, 32)) {
            return false;
        }
        java.util.Arrays.fill(out, (byte) 0);
        int at = name(name, out, 0, NAME);
        boolean octal = octal(mode, out, at, 8)
                && octal(uid, out, at += 8, 8)
                && octal(gid, out, at += 8, 8)
                && octal(size, out, at += 8, 12)
                && octal(seconds, out, at += 12, 12);
        if (!octal) {
            return false;
        }
        int checksum = at += 12;
        java.util.Arrays.fill(out, checksum, checksum + 8, (byte) ' ');
        out[at += 8] = TarConstants.LF_NORMAL;
        at = name(linkName, out, at + 1, NAME);
        System.arraycopy(MAGIC_AND_VERSION, 0, out, at, 8);
        at = name(user, out, at + 8, 32);
        at = name(group, out, at, 32);
        if (!octal(devMajor, out, at, 8) || !octal(devMinor, out, at + 8, 8)) {
            return false;
        }
        long sum = 0;
        for (byte b : out) {
            sum += b & 0xff;
        }
        digits(sum, out, checksum, 6);
        out[checksum + 6] = 0; // the checksum's octal digits, then a NUL and a space, as tar writes it
        return true;
    }

    private static boolean ascii(String s, int room) {
        if (s.length() > room) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** The name's bytes, NUL-padded to its field; the offset past the field. */
    private static int name(String s, byte[] out, int at, int room) {
        for (int i = 0; i < s.length(); i++) {
            out[at + i] = (byte) s.charAt(i);
        }
        return at + room;
    }

    /** A value as room - 1 zero-padded octal digits and a space, when it fits; false (nothing said) when not. */
    private static boolean octal(long value, byte[] out, int at, int room) {
        if (value < 0 || value >= 1L << 3 * (room - 1)) {
            return false;
        }
        digits(value, out, at, room - 1);
        out[at + room - 1] = ' ';
        return true;
    }

    private static void digits(long value, byte[] out, int at, int count) {
        for (int i = count - 1; i >= 0; i--, value >>>= 3) {
            out[at + i] = (byte) ('0' + (value & 7));
        }
    }
}
