package dev.cxpm.registry;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;

/** The audit log again on a real PostgreSQL server (a fresh schema per test), where a trigger keeps it append-only. */
class PostgresAuditLogTest extends AuditLogTest {

    private final PostgresSchema schema = new PostgresSchema("audit_log");

    @Override
    protected Registry open(Clock clock) {
        return schema.open(data, clock);
    }

    @Override
    protected String jdbcUrl() {
        return schema.url();
    }

    @Override
    protected void refuseAuditInserts(Statement s) throws SQLException {
        s.execute("CREATE FUNCTION audit_log_broken() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'broken'; END $$");
        s.execute("CREATE TRIGGER audit_log_broken BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_broken()");
    }
}
