package dev.cxpm.registry;

import dev.cxpm.registry.storage.JdbcDatabase;
import java.time.Clock;

/**
 * The scale-out setup, as several servers behind a load balancer would run it: metadata in a real
 * PostgreSQL (fresh schema per test), blobs in a real S3 endpoint (S3Proxy, fresh bucket per test).
 * Skipped only where PostgreSQL is not installed and CXPM_REQUIRE_POSTGRES is unset.
 */
class PostgresS3RegistryServerTest extends S3RegistryServerTest {

    private final PostgresSchema schema = new PostgresSchema("registry_s3_test");

    @Override
    protected Registry open() {
        return new Registry(JdbcDatabase.postgres(schema.url()), blobs(), data.resolve("uploads"), Clock.systemUTC());
    }

    /** Not again here: the git view reads through Registry, which the other classes cover. */
    @Override
    void realCodexCliAddsTheRegistryAsAMarketplaceAndInstallsAPluginFromIt() {
    }
}
