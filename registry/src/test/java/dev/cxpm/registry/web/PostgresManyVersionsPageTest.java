package dev.cxpm.registry.web;

import dev.cxpm.registry.PostgresSchema;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.RegistryDatabase;

/**
 * The 5,000-version pages again on a real PostgreSQL server: the order key's index and its byte order ({@code COLLATE
 * "C"}), the fill of keys written without it. Skipped only where PostgreSQL is not installed and CXPM_REQUIRE_POSTGRES is unset.
 */
class PostgresManyVersionsPageTest extends ManyVersionsPageTest {

    private final PostgresSchema schema = new PostgresSchema("many_versions");

    @Override
    protected String jdbcUrl() {
        return schema.url();
    }

    @Override
    protected RegistryDatabase database() {
        return JdbcDatabase.postgres(schema.url());
    }
}
