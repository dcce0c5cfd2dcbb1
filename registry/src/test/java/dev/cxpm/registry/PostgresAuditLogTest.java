package dev.cxpm.registry;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.testkit.PostgresServer;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;

/** The audit log again on a real PostgreSQL server (a fresh schema per test), where a trigger keeps it append-only. */
class PostgresAuditLogTest extends AuditLogTest {

    private static PostgresServer pg;
    private String url;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresServer.forTests().orElse(null);
        assumeThat(pg).as("PostgreSQL installed").isNotNull();
    }

    @Override
    protected Registry open(Clock clock) {
        if (url == null) {
            url = pg.freshSchemaUrlNamed("audit_log");
        }
        return new Registry(JdbcDatabase.postgres(url), new FileBlobStore(data.resolve("blobs")), clock);
    }

    @Override
    protected String jdbcUrl() {
        return url;
    }

    @Override
    protected void refuseAuditInserts(Statement s) throws SQLException {
        s.execute("CREATE FUNCTION audit_log_broken() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'broken'; END $$");
        s.execute("CREATE TRIGGER audit_log_broken BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_broken()");
    }
}
