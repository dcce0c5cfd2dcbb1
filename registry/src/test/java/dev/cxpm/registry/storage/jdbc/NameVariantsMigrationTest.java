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
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written before names were filed by their look-alike variants still refuses a look-alike of a plugin
 * it already held: the variants of existing plugins are filled in when it is opened.
 */
class NameVariantsMigrationTest {

    @TempDir
    Path dir;

    /** A JDBC URL of an empty database (PostgreSQL in the subclass). */
    protected String emptyDatabase() {
        return "jdbc:sqlite:" + dir.resolve("registry.db");
    }

    protected String dialect() {
        return "sqlite";
    }

    protected JdbcDatabase open(String url) {
        return JdbcDatabase.sqlite(Path.of(url.substring("jdbc:sqlite:".length())));
    }

    @Test
    void lookAlikesOfPluginsStoredBeforeTheVariantsExistedAreStillRefused() throws Exception {
        String url = emptyDatabase();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
            int v = 0;
            for (String name : List.of("001-initial.sql", "002-deprecation.sql", "003-version-release.sql", "004-surface.sql")) {
                for (String sql : Migrations.statements(resource(name))) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO schema_migrations VALUES (" + (++v) + ", '" + name + "', '2026-01-01T00:00:00Z')");
            }
            s.execute("INSERT INTO plugins (name, name_key, latest_version, created_at, updated_at)"
                    + " VALUES ('github-triage', 'github-triage', '1.0.0', 'x', 'x')");
            s.execute("INSERT INTO owners (plugin_id, user_name) SELECT id, 'alice' FROM plugins WHERE name = 'github-triage'");
        }
        try (JdbcDatabase db = open(url)) {
            assertThat(db.namesNear("g1thub_triage")).containsOnlyKeys("github-triage").containsEntry("github-triage", List.of("alice"));
            assertThat(db.namesNear("github-triag")).containsKey("github-triage");
            assertThat(db.namesNear("gitlab-triage")).isEmpty();
            RegistryDatabase.NewNameRule lookAlike = (name, near) -> near.keySet().stream().findFirst();
            assertThat(db.insertVersion(version("g1thub-triage"), summary(), false, lookAlike, RegistryDatabase.VersionRule.NONE, null))
                    .isEqualTo(RegistryDatabase.PublishOutcome.NAME_CONFUSABLE);
            assertThat(db.insertVersion(version("slack-notify"), summary(), false, lookAlike, RegistryDatabase.VersionRule.NONE, null)).isEqualTo(RegistryDatabase.PublishOutcome.PUBLISHED);
            assertThat(db.namesNear("slack-n0tify")).containsOnlyKeys("slack-notify");
        }
    }

    private static RegistryDatabase.VersionRow version(String name) {
        return new RegistryDatabase.VersionRow(name, "1.0.0", dev.cxpm.core.pack.Integrity.sha512(name.getBytes(StandardCharsets.UTF_8)),
                1, "{}", "{}", false, "bob", Instant.now(), null);
    }

    private static RegistryDatabase.Summary summary() {
        return new RegistryDatabase.Summary(null, "d", null, List.of(), List.of());
    }

    private String resource(String name) throws Exception {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + dialect() + "/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
