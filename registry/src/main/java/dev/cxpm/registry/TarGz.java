package dev.cxpm.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes files given in memory as a deterministic {@code .tgz} under {@code package/}, the layout
 * of the foundation's {@code Packer} (which {@code Unpacker} strips): the demo plugins and tests.
 * Plugins on disk are packed by {@code dev.cxpm.core.pack.Packer}.
 */
public final class TarGz {

    private TarGz() {
    }

    public static byte[] of(Map<String, String> files) {
        Map<String, byte[]> bytes = new TreeMap<>();
        files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return ofBytes(bytes);
    }

    public static byte[] ofBytes(Map<String, byte[]> files) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(buf))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry("package/" + f.getKey());
                e.setSize(f.getValue().length);
                e.setMode(0644);
                e.setModTime(0);
                e.setUserId(0);
                e.setGroupId(0);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }
}
