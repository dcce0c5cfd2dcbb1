package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.backup.RegistryExport;
import dev.cxpm.registry.storage.backup.RegistryImport;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 100,000 versions (rows written straight into SQLite, one shared blob) go out and back in: rows stream both ways. */
class LargeRegistryBackupTest {

    @TempDir
    Path tmp;

    @Test
    void aHundredThousandVersionsExportAndImport() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        byte[] blob = "one archive".getBytes(StandardCharsets.UTF_8);
        Integrity integrity = Integrity.sha512(blob);
        new FileBlobStore(src.resolve("blobs")).put(integrity, blob);
        JdbcDatabase.sqlite(src.resolve("registry.db")).close(); // the schema
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + src.resolve("registry.db"))) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO plugins (id, name, name_key, keywords, capabilities, latest_version, created_at, updated_at)"
                    + " VALUES (?, ?, ?, '', '', '1.0.999', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")) {
                for (int i = 1; i <= 100; i++) {
                    p.setInt(1, i);
                    p.setString(2, "plugin-" + i);
                    p.setString(3, "plugin-" + i);
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO versions (plugin_id, version, version_release, seq, integrity, size, manifest,"
                    + " published_by, published_at) VALUES (?, ?, ?, ?, ?, 11, '{}', 'alice', '2026-01-01T00:00:00Z')")) {
                for (int i = 0; i < 100_000; i++) {
                    String v = "1." + (i / 1000) + "." + (i % 1000);
                    p.setInt(1, i % 100 + 1);
                    p.setString(2, v);
                    p.setString(3, v);
                    p.setInt(4, i / 100 + 1);
                    p.setString(5, integrity.hex());
                    p.addBatch();
                    if (i % 5000 == 4999) {
                        p.executeBatch();
                    }
                }
            }
            c.commit();
        }
        Path dump = tmp.resolve("backup");
        try (JdbcDatabase db = JdbcDatabase.sqlite(src.resolve("registry.db"))) {
            RegistryExport.Summary s = RegistryExport.export(db, new FileBlobStore(src.resolve("blobs")), dump);
            assertThat(s.rows().get("versions")).isEqualTo(100_000);
            assertThat(s.blobs()).isEqualTo(1);
        }
        Path dst = tmp.resolve("dst");
        Files.createDirectories(dst);
        try (JdbcDatabase db = JdbcDatabase.sqlite(dst.resolve("registry.db"))) {
            assertThat(RegistryImport.importFrom(dump, db, new FileBlobStore(dst.resolve("blobs"))).rows().get("versions")).isEqualTo(100_000);
            assertThat(db.versions("plugin-7")).hasSize(1000);
        }
    }
}
