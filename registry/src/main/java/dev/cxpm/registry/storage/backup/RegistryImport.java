package dev.cxpm.registry.storage.backup;

import static dev.cxpm.registry.storage.backup.BackupFormat.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.FileText;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.PageRows;
import dev.cxpm.registry.storage.PluginRows;
import dev.cxpm.registry.storage.PublishTransaction;
import dev.cxpm.registry.storage.VersionRows;
import dev.cxpm.registry.storage.backup.BackupException.Cause;
import dev.cxpm.registry.storage.backup.BackupFormat.Table;
import dev.cxpm.registry.storage.blob.BlobStore;
import dev.cxpm.registry.storage.jdbc.Dialect;
import dev.cxpm.registry.storage.jdbc.Sql;
import dev.cxpm.registry.storage.search.SearchWords;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code cxpm registry import DIR}: an export restored into an empty registry, SQLite or PostgreSQL, blobs in a
 * directory or S3. The export is untrusted: every blob is hashed against its name before any is stored, every line is
 * bounded, typed and checked as it is inserted, each file's hash and line count must match the manifest, and all rows
 * go in one transaction, so a refused export leaves the registry as empty as it was (blobs stored for it are removed).
 */
public final class RegistryImport {

    private static final Pattern BLOB_NAME = Pattern.compile("[0-9a-f]{128}\\.tgz");
    private static final Pattern HEX512 = Pattern.compile("[0-9a-f]{128}");

    /** What was restored: rows per table and blobs. */
    public record Summary(Map<String, Long> rows, long blobs) {
    }

    /** A file as the manifest lists it. */
    record Expected(String sha512, long lines) {
    }

    private RegistryImport() {
    }

    /**
     * An export directory whose manifest was read: what {@link #importFrom(Export, JdbcDatabase, BlobStore)} checks the
     * blobs and files against. Read before the target storage is opened, so what is no export is refused before an
     * empty registry is made for it.
     */
    public static final class Export {
        private final Path dir;
        private final long blobCount;
        private final Map<String, Expected> files;

        private Export(Path dir, long blobCount, Map<String, Expected> files) {
            this.dir = dir;
            this.blobCount = blobCount;
            this.files = files;
        }
    }

    /** The export in dir, its manifest read and checked; {@link BackupException} when dir holds none. */
    public static Export read(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new BackupException(Cause.INVALID_EXPORT, dir + " is not a directory");
        }
        return new Export(dir, readManifestBlobs(dir), readManifestFiles(dir));
    }

    public static Summary importFrom(Path dir, JdbcDatabase db, BlobStore blobs) {
        return importFrom(read(dir), db, blobs);
    }

    public static Summary importFrom(Export export, JdbcDatabase db, BlobStore blobs) {
        Path dir = export.dir;
        long blobCount = export.blobCount;
        Map<String, Expected> files = export.files;
        if (!db.connections().read(RegistryImport::isEmpty)) {
            throw new BackupException(Cause.NOT_EMPTY, "the target registry is not empty: import restores into a new, empty one only");
        }
        Set<String> inExport = verifyBlobs(dir.resolve(BackupFormat.BLOBS), blobCount);
        List<Integrity> added = new ArrayList<>();
        try {
            for (String hex : inExport) {
                Integrity i = Integrity.fromHex(hex);
                if (!blobs.exists(i)) {
                    blobs.put(i, dir.resolve(BackupFormat.BLOBS).resolve(hex + ".tgz"));
                    added.add(i);
                }
            }
            Map<String, Long> rows = db.connections().write(c -> insertAll(c, db.dialect(), dir, files, inExport));
            return new Summary(rows, inExport.size());
        } catch (RuntimeException e) {
            for (Integrity i : added) {
                blobs.delete(i);
            }
            if (e instanceof IllegalStateException && e.getCause() instanceof BackupException b) {
                throw b;
            }
            throw e;
        }
    }

    private static boolean isEmpty(Connection c) throws SQLException {
        for (Table t : BackupFormat.TABLES) {
            if (Sql.exists(c, "SELECT 1 FROM " + t.name())) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode manifest(Path dir) {
        Path file = dir.resolve(BackupFormat.MANIFEST);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > BackupFormat.MAX_MANIFEST) {
                throw new BackupException(Cause.INVALID_EXPORT, BackupFormat.MANIFEST + ": missing, not a plain file or larger than "
                        + BackupFormat.MAX_MANIFEST + " bytes (is " + dir + " a cxpm registry export?)");
            }
            // read as it was looked at (through no link), and no further than the bound whatever it grew to since
            JsonNode m = JSON.readTree(FileText.bytes(file, BackupFormat.MAX_MANIFEST, LinkOption.NOFOLLOW_LINKS));
            if (m == null || !BackupFormat.FORMAT.equals(m.path("format").asText()) || !m.path("version").isIntegralNumber()) {
                throw new BackupException(Cause.INVALID_EXPORT, BackupFormat.MANIFEST + ": not a cxpm registry export");
            }
            if (m.path("version").asInt() != BackupFormat.VERSION) {
                throw new BackupException(Cause.INVALID_EXPORT, BackupFormat.MANIFEST + ": export format version "
                        + m.path("version").asInt() + ", this cxpm reads version " + BackupFormat.VERSION + " (use the cxpm that wrote it, or a newer one)");
            }
            return m;
        } catch (FileText.TooLarge e) {
            throw new BackupException(Cause.INVALID_EXPORT, BackupFormat.MANIFEST + ": larger than " + BackupFormat.MAX_MANIFEST + " bytes", e);
        } catch (IOException e) {
            throw new BackupException(Cause.INVALID_EXPORT, BackupFormat.MANIFEST + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static long readManifestBlobs(Path dir) {
        JsonNode n = manifest(dir).path("blobs");
        if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
            throw new BackupException(Cause.INVALID_EXPORT, BackupFormat.MANIFEST + ": \"blobs\" must be a count");
        }
        return n.asLong();
    }

    private static Map<String, Expected> readManifestFiles(Path dir) {
        JsonNode files = manifest(dir).path("files");
        Map<String, Expected> out = new LinkedHashMap<>();
        for (Table t : BackupFormat.TABLES) {
            JsonNode f = files.path(t.file());
            String sha = f.path("sha512").asText("");
            JsonNode lines = f.path("lines");
            if (!HEX512.matcher(sha).matches() || !lines.isIntegralNumber() || !lines.canConvertToLong() || lines.asLong() < 0) {
                throw new BackupException(Cause.INVALID_EXPORT, BackupFormat.MANIFEST + ": files." + t.file() + " needs sha512 (hex) and lines (a count)");
            }
            out.put(t.file(), new Expected(sha, lines.asLong()));
        }
        if (files.size() != out.size()) {
            throw new BackupException(Cause.INVALID_EXPORT, BackupFormat.MANIFEST + ": files lists names this format does not have");
        }
        return out;
    }

    /** Every file under blobs/ hashed against its name, all before any is stored: one bad blob and nothing is written. */
    private static Set<String> verifyBlobs(Path dir, long expected) {
        Set<String> hexes = new HashSet<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new BackupException(Cause.INVALID_EXPORT, BackupFormat.BLOBS + "/: missing");
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Iterator<Path> it = list.iterator(); it.hasNext(); ) {
                Path f = it.next();
                String name = f.getFileName().toString();
                String shown = BackupFormat.BLOBS + "/" + (BLOB_NAME.matcher(name).matches() ? name : "(a file whose name is not a blob's)");
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!BLOB_NAME.matcher(name).matches() || !a.isRegularFile()) {
                    throw new BackupException(Cause.INVALID_EXPORT, shown + ": not a blob file (expected <sha512 hex>.tgz, a plain file)");
                }
                if (a.size() > BlobStore.MAX_BLOB_BYTES) { // refused before hashing: no registry stores a larger one
                    throw new BackupException(Cause.INVALID_EXPORT, shown + ": larger than the " + BlobStore.MAX_BLOB_BYTES
                            + " bytes a registry accepts for an archive; nothing was imported");
                }
                String hex = name.substring(0, 128);
                MessageDigest sha = Integrity.newSha512();
                // as it was looked at, and no further than what it then held (a file that grew since no longer matches)
                try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                    byte[] buf = new byte[64 * 1024];
                    long left = a.size() + 1;
                    for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; left -= n) {
                        sha.update(buf, 0, n);
                    }
                }
                if (!HexFormat.of().formatHex(sha.digest()).equals(hex)) {
                    throw new BackupException(Cause.INTEGRITY, shown + ": content does not match its sha512 (corrupted); nothing was imported");
                }
                hexes.add(hex);
            }
        } catch (IOException e) {
            throw new BackupException(Cause.IO, BackupFormat.BLOBS + "/: cannot read: " + e.getMessage(), e);
        }
        if (hexes.size() != expected) {
            throw new BackupException(Cause.INVALID_EXPORT, BackupFormat.BLOBS + "/ holds " + hexes.size() + " blob(s), "
                    + BackupFormat.MANIFEST + " says " + expected);
        }
        return hexes;
    }

    private static Map<String, Long> insertAll(Connection c, Dialect dialect, Path dir, Map<String, Expected> files, Set<String> blobs)
            throws SQLException {
        if (dialect == Dialect.POSTGRES) {
            // no publish can slip in between the emptiness check and the commit
            try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE " + String.join(", ", BackupFormat.TABLES.stream().map(Table::name).toList()) + " IN SHARE ROW EXCLUSIVE MODE");
            }
        }
        if (!isEmpty(c)) {
            throw new BackupException(Cause.NOT_EMPTY, "the target registry is not empty: import restores into a new, empty one only");
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        for (Table t : BackupFormat.TABLES) {
            rows.put(t.name(), TableImport.insert(c, t, dir.resolve(t.file()), files.get(t.file()), blobs));
        }
        SearchWords.fillAll(c); // the target was empty: every plugin needs its words
        PluginRows.fileMissingNameVariants(c);
        VersionRows.fillAll(c); // not in an export: each version's order key is this registry's own reading of it
        PageRows.fillTotals(c); // nor each plugin's downloads in all: the sum of its versions' counts
        reindex(c, dialect);
        if (dialect == Dialect.POSTGRES) {
            try (Statement s = c.createStatement()) {
                for (String table : List.of("plugins", "audit_log")) {
                    s.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), COALESCE((SELECT MAX(id) FROM " + table + "), 0) + 1, false)");
                }
            }
        }
        return rows;
    }

    /** The full-text entry of every plugin with a latest version, as a publish writes it, in batches by id. */
    private static void reindex(Connection c, Dialect dialect) throws SQLException {
        record Row(long id, String name, String displayName, String keywords, String description, String capabilities) {
        }
        long after = 0;
        while (true) {
            List<Row> batch = new ArrayList<>();
            try (PreparedStatement p = Sql.prepare(c, "SELECT id, name, display_name, keywords, description, capabilities FROM plugins"
                    + " WHERE id > ? AND latest_version IS NOT NULL ORDER BY id LIMIT 500", after);
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    batch.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            for (Row r : batch) {
                dialect.index(c, r.id(), PublishTransaction.splitName(r.name()), r.displayName(), r.keywords().replace('\n', ' '),
                        r.description(), r.capabilities().replace('\n', ' '));
                after = r.id();
            }
        }
    }
}
