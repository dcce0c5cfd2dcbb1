package dev.cxpm.registry.web;

import dev.cxpm.registry.PostgresSchema;
import dev.cxpm.registry.Registry;
import java.time.Clock;

/**
 * The plugin page tests again on a real PostgreSQL server (pages, icons, download counts and search words are
 * migration 005 there too). Skipped only where PostgreSQL is not installed and CXPM_REQUIRE_POSTGRES is unset.
 */
class PostgresPluginPageTest extends PluginPageTest {

    private final PostgresSchema schema = new PostgresSchema("page_test");

    @Override
    protected Registry open() {
        return schema.open(data, Clock.systemUTC());
    }
}
