package dev.cxpm.registry;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.testkit.PostgresServer;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/**
 * The scale-out setup, as several servers behind a load balancer would run it: metadata in a real
 * PostgreSQL (fresh schema per test), blobs in a real S3 endpoint (S3Proxy, fresh bucket per test).
 * Skipped only where PostgreSQL is not installed and CXPM_REQUIRE_POSTGRES is unset.
 */
class PostgresS3RegistryServerTest extends S3RegistryServerTest {

    private static PostgresServer pg;
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private String url;

    @BeforeAll
    static void startPostgres() {
        if (System.getenv("CXPM_REQUIRE_POSTGRES") == null) {
            assumeThat(PostgresServer.binaries()).as("PostgreSQL installed").isPresent();
        }
        pg = PostgresServer.shared();
    }

    @Override
    protected Registry open() {
        if (url == null) {
            url = pg.freshSchemaUrl("registry_s3_test_" + SCHEMAS.incrementAndGet());
        }
        return new Registry(JdbcDatabase.postgres(url), blobs(), Clock.systemUTC());
    }

    /** Not again here: the git view reads through Registry, which the other classes cover. */
    @Override
    void realCodexCliAddsTheRegistryAsAMarketplaceAndInstallsAPluginFromIt() {
    }
}
