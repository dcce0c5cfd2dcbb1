package dev.cxpm.registry;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.RegistryDatabase;

/** The stored changes again on a real PostgreSQL server (a fresh schema per test); CI never skips it (CXPM_REQUIRE_POSTGRES). */
class PostgresIndexDocumentChangesTest extends IndexDocumentChangesTest {

    private final PostgresSchema schema = new PostgresSchema("index_changes");

    @Override
    protected RegistryDatabase database() {
        return JdbcDatabase.postgres(schema.url());
    }

    @Override
    protected String jdbcUrl() {
        return schema.url();
    }
}
