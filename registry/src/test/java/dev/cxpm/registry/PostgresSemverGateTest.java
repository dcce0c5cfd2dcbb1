package dev.cxpm.registry;

import java.time.Clock;

/** The SemVer gate again on a real PostgreSQL server (a fresh schema per test); CI never skips it (CXPM_REQUIRE_POSTGRES). */
class PostgresSemverGateTest extends SemverGateTest {

    private final PostgresSchema schema = new PostgresSchema("semver_gate");

    @Override
    protected Registry open() {
        return schema.open(data, Clock.systemUTC());
    }

    @Override
    protected String jdbcUrl() {
        return schema.url();
    }
}
