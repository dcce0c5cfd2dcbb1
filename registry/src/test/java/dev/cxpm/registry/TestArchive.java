package dev.cxpm.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A {@code .tgz} written entry by entry, so a test can hold what {@code cxpm pack} never writes: names git
 * treats specially, links, thousands of entries, files that are small compressed and huge expanded.
 */
final class TestArchive {

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TestArchive() {
        try {
            tar = new TarArchiveOutputStream(new GZIPOutputStream(buf, 64 * 1024), "UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    /** A publishable plugin's manifest and one skill, under {@code package/}. */
    static TestArchive plugin(String name, String version) {
        return new TestArchive()
                .file("package/.codex-plugin/plugin.json", "{\"name\":\"" + name + "\",\"version\":\"" + version
                        + "\",\"description\":\"A plugin for " + name + ".\"}")
                .file("package/skills/hello/SKILL.md", "---\nname: hello\ndescription: Says hello.\n---\nHello.\n");
    }

    TestArchive file(String name, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return entry(new TarArchiveEntry(name, true), b.length, out -> out.write(b));
    }

    /** {@code size} zero bytes: compresses about a thousand to one. */
    TestArchive zeros(String name, long size) {
        return entry(new TarArchiveEntry(name, true), size, out -> {
            byte[] zero = new byte[64 * 1024];
            for (long left = size; left > 0; left -= zero.length) {
                out.write(zero, 0, (int) Math.min(zero.length, left));
            }
        });
    }

    TestArchive dir(String name) {
        return entry(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true), 0, out -> { });
    }

    TestArchive symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
        e.setLinkName(target);
        return entry(e, 0, out -> { });
    }

    /** An entry of another type (a named pipe, a character or block device), without content. */
    TestArchive special(String name, byte type) {
        return entry(new TarArchiveEntry(name, type, true), 0, out -> { });
    }

    /** A GNU long-name record of {@code size} bytes (a name no file system allows), then a small file it names. */
    TestArchive longName(long size) {
        TarArchiveEntry e = new TarArchiveEntry("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME, true);
        entry(e, size, out -> {
            byte[] a = new byte[64 * 1024];
            java.util.Arrays.fill(a, (byte) 'a');
            for (long left = size; left > 0; left -= a.length) {
                out.write(a, 0, (int) Math.min(a.length, left));
            }
        });
        return file("package/short-name.md", "x");
    }

    /** A PAX extended header of {@code size} bytes, one {@code path=aaa...} record, then a small file it renames. */
    TestArchive paxName(int size) {
        String prefix = size + " path=";
        TarArchiveEntry e = new TarArchiveEntry("././@PaxHeader", TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
        entry(e, size, out -> {
            out.write(prefix.getBytes(StandardCharsets.US_ASCII));
            byte[] a = new byte[64 * 1024];
            java.util.Arrays.fill(a, (byte) 'a');
            for (long left = size - prefix.length() - 1; left > 0; left -= a.length) {
                out.write(a, 0, (int) Math.min(a.length, left));
            }
            out.write('\n');
        });
        return file("package/renamed.md", "x");
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private TestArchive entry(TarArchiveEntry e, long size, Body body) {
        try {
            e.setSize(size);
            tar.putArchiveEntry(e);
            body.write(tar);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    byte[] bytes() {
        try {
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }
}
