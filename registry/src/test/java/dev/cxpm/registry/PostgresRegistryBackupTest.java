package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.backup.BackupException;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.backup.RegistryExport;
import dev.cxpm.registry.storage.backup.RegistryImport;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The other direction, from PostgreSQL (its REPEATABLE READ snapshot) back to the embedded default, and a refused import on PostgreSQL. */
class PostgresRegistryBackupTest {

    @TempDir
    Path tmp;

    @Test
    void roundTripPostgresToSqliteAndAFailedImportLeavesPostgresEmpty() throws Exception {
        PostgresServer pg = PostgresServer.forTests().orElse(null);
        assumeThat(pg).as("PostgreSQL installed").isNotNull();
        String url = pg.freshSchemaUrlNamed("registry_backup");
        Path srcBlobs = tmp.resolve("src-blobs");
        Registry source = new Registry(JdbcDatabase.postgres(url), new FileBlobStore(srcBlobs), tmp.resolve("uploads"), Clock.systemUTC());
        RegistryBackupTest.fill(source);
        String token = source.createToken(null, "carol", List.of("owner"), null, null).token();
        source.close();
        Path dump = tmp.resolve("backup");
        List<Integrity> integrities;
        try (JdbcDatabase db = JdbcDatabase.postgres(url)) {
            RegistryExport.export(db, new FileBlobStore(srcBlobs), dump);
            integrities = db.integrities();
        }
        Path dst = tmp.resolve("dst");
        Files.createDirectories(dst);
        try (JdbcDatabase db = JdbcDatabase.sqlite(dst.resolve("registry.db"))) {
            RegistryImport.importFrom(dump, db, new FileBlobStore(dst.resolve("blobs")));
        }
        RegistryBackupTest.assertSameRegistry(new Registry(JdbcDatabase.postgres(url), new FileBlobStore(srcBlobs), tmp.resolve("uploads"), Clock.systemUTC()),
                tmp.resolve("a"), Registry.embedded(dst, Clock.systemUTC()), dst, token, integrities);

        // a versions row whose plugin does not exist: refused by the database mid-transaction, nothing kept
        String empty = pg.freshSchemaUrlNamed("registry_backup_empty");
        Path versions = dump.resolve("versions.jsonl");
        List<String> lines = Files.readAllLines(versions);
        lines.set(lines.size() - 1, lines.get(lines.size() - 1).replaceFirst("\"plugin_id\":\\d+", "\"plugin_id\":999999"));
        Files.write(versions, lines);
        Path emptyBlobs = tmp.resolve("empty-blobs");
        try (JdbcDatabase db = JdbcDatabase.postgres(empty)) {
            BackupException e = org.assertj.core.api.Assertions.catchThrowableOfType(BackupException.class,
                    () -> RegistryImport.importFrom(dump, db, new FileBlobStore(emptyBlobs)));
            assertThat(e.getMessage()).startsWith("versions.jsonl line " + lines.size() + ": refused by the database");
            assertThat(db.pluginsAfter("", 10)).isEmpty();
            assertThat(new FileBlobStore(emptyBlobs).list()).isEmpty();
        }
    }
}
