package dev.cxpm.registry;

import dev.cxpm.registry.storage.JdbcDatabase;

/** The plugin's downloads in all again on a real PostgreSQL server (a fresh schema per test); CI never skips it (CXPM_REQUIRE_POSTGRES). */
class PostgresPluginDownloadsTotalTest extends PluginDownloadsTotalTest {

    private final PostgresSchema schema = new PostgresSchema("plugin_downloads");

    @Override
    protected JdbcDatabase open() {
        return JdbcDatabase.postgres(schema.url());
    }

    @Override
    protected String jdbcUrl() {
        return schema.url();
    }
}
