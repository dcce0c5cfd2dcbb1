package dev.cxpm.registry;

import java.time.Clock;

/**
 * Every registry test again on a real PostgreSQL server (one cluster shared by the test JVM, a fresh
 * schema per test). Skipped only where PostgreSQL is not installed and CXPM_REQUIRE_POSTGRES
 * is unset; .ci/run installs it and sets the variable, so CI never skips.
 */
class PostgresRegistryServerTest extends RegistryServerTest {

    private final PostgresSchema schema = new PostgresSchema("registry_test");

    @Override
    protected Registry open() {
        return schema.open(data, Clock.systemUTC());
    }

    /** Not again here: the git view reads through Registry, which every other test covers on PostgreSQL. */
    @Override
    void realCodexCliAddsTheRegistryAsAMarketplaceAndInstallsAPluginFromIt() {
    }
}
