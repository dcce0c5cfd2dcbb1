package dev.cxpm.registry.codex;

import dev.cxpm.core.pack.GitReservedNames;
import dev.cxpm.registry.publish.PluginArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * One commit of the view as a {@code git fast-import} stream: every file is written from the stored archive
 * by a path this class builds, never by git reading a directory a publisher filled ({@code git add} on an
 * unpacked {@code .git/} made every git request fail). A plugin whose archive cannot be carried (a name git
 * treats specially, a link, a broken archive: possible only in archives stored before the publish rules
 * refused them) is removed again from the commit and reported, and the others are served.
 */
final class FastImportStream {

    private final OutputStream out;

    FastImportStream(OutputStream out) {
        this.out = out;
    }

    /** Starts a commit on {@code ref}, after its current commit when {@code fromRef} (else a first commit). */
    void commit(String ref, boolean fromRef, long epochSeconds) throws IOException {
        byte[] message = "registry snapshot".getBytes(StandardCharsets.UTF_8);
        write("commit " + ref + "\ncommitter cxpm registry <registry@cxpm.invalid> " + epochSeconds + " +0000\ndata " + message.length + "\n");
        out.write(message);
        write("\n" + (fromRef ? "from " + ref + "^0\n" : ""));
    }

    void delete(String path) throws IOException {
        write("D " + quoted(path) + "\n");
    }

    void file(String path, byte[] content) throws IOException {
        fileHeader(path, false, content.length);
        out.write(content);
        out.write('\n');
    }

    void done() throws IOException {
        write("done\n");
    }

    /** Thrown for an archive the view cannot carry: its plugin is left out, the rest of the view is built. */
    static final class Uncarried extends IOException {
        Uncarried(String why) {
            super(why);
        }
    }

    /** The archive's files under {@code dir} (which the caller emptied first); on Uncarried the directory is removed again. */
    void plugin(String dir, InputStream blob) throws IOException {
        try {
            TarArchiveInputStream tar = open(blob);
            int entries = 0;
            long bytes = 0;
            for (TarArchiveEntry e; (e = next(tar)) != null; ) {
                String path = pathInPlugin(e.getName());
                if (++entries > PluginArchive.MAX_ENTRIES || path == null || (bytes += e.getSize()) > PluginArchive.MAX_CONTENT_BYTES
                        || !(e.isDirectory() || (dev.cxpm.core.pack.Unpacker.isRegularFile(e) && !e.isGNUSparse()))) {
                    throw new Uncarried("entry " + e.getName().replaceAll("\\p{Cntrl}", "?"));
                }
                if (e.isFile() && !path.isEmpty()) {
                    fileHeader(dir + "/" + path, (e.getMode() & 0100) != 0, e.getSize());
                    copyExactly(tar, e.getSize());
                }
            }
        } catch (Uncarried e) {
            delete(dir);
            throw e;
        }
    }

    private static TarArchiveInputStream open(InputStream blob) throws Uncarried {
        try {
            return PluginArchive.tar(blob);
        } catch (IOException e) {
            throw new Uncarried("not gzip");
        }
    }

    private static TarArchiveEntry next(TarArchiveInputStream tar) throws Uncarried {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw new Uncarried("unreadable archive");
        }
    }

    /** The entry's path below the archive's top directory ("" for the top itself), or null when git could not carry it. */
    private static String pathInPlugin(String name) {
        String[] parts = name.split("/");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") || GitReservedNames.isReserved(part) || part.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
                return null;
            }
            if (i > 0) {
                b.append(b.isEmpty() ? "" : "/").append(part);
            }
        }
        return name.startsWith("/") ? null : b.toString();
    }

    private void fileHeader(String path, boolean executable, long size) throws IOException {
        write("M " + (executable ? "100755" : "100644") + " inline " + quoted(path) + "\ndata " + size + "\n");
    }

    private void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A path in fast-import's C-style quotes (control characters never reach here). */
    private static String quoted(String path) {
        return "\"" + path.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Exactly the {@code size} bytes fast-import was promised. A short or broken archive is padded with zeros
     * so the stream stays well-formed, then reported, and its plugin's files are removed from the commit.
     */
    private void copyExactly(InputStream in, long size) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = size;
        String broken = null;
        while (left > 0) {
            int n;
            try {
                n = in.read(buf, 0, (int) Math.min(buf.length, left));
            } catch (IOException e) {
                n = -1;
            }
            if (n < 0) {
                broken = "truncated archive";
                java.util.Arrays.fill(buf, (byte) 0);
                n = (int) Math.min(buf.length, left);
            }
            out.write(buf, 0, n);
            left -= n;
        }
        out.write('\n');
        if (broken != null) {
            throw new Uncarried(broken);
        }
    }
}
