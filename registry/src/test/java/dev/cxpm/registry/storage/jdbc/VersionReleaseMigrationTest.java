package dev.cxpm.registry.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.RegistryDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry database written before build metadata counted as the same version may hold {@code 1.0.0} and
 * {@code 1.0.0+rebuilt} side by side: the migration that makes the release unique keeps both readable.
 */
class VersionReleaseMigrationTest {

    @Test
    void databaseHoldingVersionsThatDifferOnlyInBuildMetadataStillOpensAndKeepsThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("registry.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
            int v = 0;
            for (String name : List.of("001-initial.sql", "002-deprecation.sql")) {
                for (String sql : Migrations.statements(resource(name))) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO schema_migrations VALUES (" + (++v) + ", '" + name + "', '2026-01-01T00:00:00Z')");
            }
            s.execute("INSERT INTO plugins (id, name, name_key, created_at, updated_at) VALUES (1, 'demo', 'demo', 'x', 'x')");
            int seq = 0;
            for (String version : List.of("1.0.0", "1.0.0+rebuilt", "1.0.0+again", "1.1.0+b")) {
                s.execute("INSERT INTO versions (plugin_id, version, seq, integrity, size, manifest, published_by, published_at)"
                        + " VALUES (1, '" + version + "', " + (++seq) + ", '" + "ab".repeat(64) + "', 1, '{}', 'alice', '2026-01-01T00:00:00Z')");
            }
        }
        try (JdbcDatabase db = JdbcDatabase.sqlite(file)) {
            assertThat(db.versions("demo")).extracting(RegistryDatabase.VersionRow::version)
                    .containsExactly("1.0.0", "1.0.0+rebuilt", "1.0.0+again", "1.1.0+b");
            RegistryDatabase.VersionRow again = new RegistryDatabase.VersionRow("demo", "1.1.0", db.versions("demo").get(0).integrity(), 1,
                    "{}", "{}", false, "alice", java.time.Instant.now(), null);
            assertThat(db.insertVersion(again, new RegistryDatabase.Summary(null, "d", null, List.of(), List.of()), true,
                    (n, existing) -> java.util.Optional.empty(), RegistryDatabase.VersionRule.NONE, null)).isEqualTo(RegistryDatabase.PublishOutcome.VERSION_EXISTS);
        }
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/sqlite/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
