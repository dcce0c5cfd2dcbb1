package dev.cxpm.registry;

import java.time.Clock;

/** Advisories again on a real PostgreSQL server (a fresh schema per test). */
class PostgresAdvisoryTest extends AdvisoryTest {

    private final PostgresSchema schema = new PostgresSchema("advisories");

    @Override
    protected Registry open(Clock clock) {
        return schema.open(data, clock);
    }
}
