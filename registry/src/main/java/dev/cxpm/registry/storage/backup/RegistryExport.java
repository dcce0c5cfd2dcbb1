package dev.cxpm.registry.storage.backup;

import static dev.cxpm.registry.storage.backup.BackupFormat.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.backup.BackupFormat.Column;
import dev.cxpm.registry.storage.backup.BackupFormat.Table;
import dev.cxpm.registry.storage.blob.BlobStore;
import dev.cxpm.registry.storage.jdbc.JdbcConnections;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code cxpm registry export DIR}: every row a restore needs and every blob a version references, read in one
 * snapshot ({@link JdbcConnections#snapshot}) so a publish running meanwhile is wholly in or wholly out. Written into
 * a temporary sibling of DIR and renamed to DIR at the end: an interrupted export leaves nothing that looks complete.
 * Rows stream from the database to the files, so memory does not grow with the registry.
 */
public final class RegistryExport {

    /** What was written: rows per table, blobs and their bytes. */
    public record Summary(Map<String, Long> rows, long blobs, long blobBytes) {
    }

    private RegistryExport() {
    }

    public static Summary export(JdbcDatabase db, BlobStore blobs, Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new BackupException(BackupException.Cause.EXISTS, target + " already exists and is not an empty directory");
        }
        Path tmp;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
        } catch (IOException e) {
            throw new BackupException(BackupException.Cause.IO, "cannot write beside " + target + ": " + e.getMessage(), e);
        }
        try {
            Summary summary = db.connections().snapshot(c -> write(c, blobs, tmp));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return summary;
        } catch (DirectoryNotEmptyException e) {
            throw new BackupException(BackupException.Cause.EXISTS, target + " was filled while exporting");
        } catch (IOException e) {
            throw new BackupException(BackupException.Cause.IO, "cannot write the export: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new BackupException(BackupException.Cause.IO, "cannot export: " + e.getCause().getMessage(), e);
        } finally {
            dev.cxpm.core.codexhome.Trees.deleteQuietly(tmp);
        }
    }

    private static Summary write(Connection c, BlobStore blobs, Path tmp) throws SQLException {
        try {
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("format", BackupFormat.FORMAT);
            manifest.put("version", BackupFormat.VERSION);
            ObjectNode files = manifest.putObject("files");
            Map<String, Long> rows = new LinkedHashMap<>();
            for (Table t : BackupFormat.TABLES) {
                MessageDigest sha = Integrity.newSha512();
                long n = 0;
                try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp.resolve(t.file()))), sha);
                     PreparedStatement p = c.prepareStatement("SELECT " + t.columnList() + " FROM " + t.name() + " ORDER BY " + t.orderBy())) {
                    p.setFetchSize(500);
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            out.write(JSON.writeValueAsBytes(row(t, rs)));
                            out.write('\n');
                            n++;
                        }
                    }
                }
                rows.put(t.name(), n);
                files.putObject(t.file()).put("sha512", HexFormat.of().formatHex(sha.digest())).put("lines", n);
            }
            long[] blobCount = copyBlobs(c, blobs, tmp.resolve(BackupFormat.BLOBS));
            manifest.put("blobs", blobCount[0]);
            Files.write(tmp.resolve(BackupFormat.MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            return new Summary(rows, blobCount[0], blobCount[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode row(Table t, ResultSet rs) throws SQLException {
        ObjectNode o = JSON.createObjectNode();
        int i = 1;
        for (Column col : t.columns()) {
            switch (col.kind()) {
                case TEXT -> o.put(col.name(), rs.getString(i));
                case NUMBER -> o.put(col.name(), rs.getLong(i));
                case BYTES -> {
                    byte[] b = rs.getBytes(i);
                    if (b == null) {
                        o.putNull(col.name());
                    } else {
                        o.put(col.name(), Base64.getEncoder().encodeToString(b));
                    }
                }
            }
            i++;
        }
        return o;
    }

    /** Each referenced blob once, hashed while copied: a blob whose bytes are not its integrity fails the export. */
    private static long[] copyBlobs(Connection c, BlobStore blobs, Path dir) throws SQLException, IOException {
        Files.createDirectories(dir);
        long count = 0;
        long bytes = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT integrity FROM versions ORDER BY integrity")) {
            p.setFetchSize(500);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Integrity integrity = Integrity.ofHex(rs.getString(1)).orElseThrow(() -> new BackupException(
                            BackupException.Cause.INTEGRITY, "a version row holds a malformed integrity: run 'cxpm registry gc --dry-run'"));
                    Path file = dir.resolve(integrity.hex() + ".tgz");
                    MessageDigest sha = Integrity.newSha512();
                    try (InputStream in = blobs.open(integrity).orElseThrow(() -> new BackupException(BackupException.Cause.INTEGRITY,
                            "blob " + integrity + " is referenced by a version but missing from the blob store "
                                    + "('cxpm registry gc --dry-run' lists such versions)"));
                         OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
                        bytes += in.transferTo(out);
                    }
                    if (!Integrity.of(sha).equals(integrity)) {
                        throw new BackupException(BackupException.Cause.INTEGRITY, "blob " + integrity
                                + " in the blob store does not match its integrity (corrupted); nothing was exported");
                    }
                    count++;
                }
            }
        }
        return new long[] {count, bytes};
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
