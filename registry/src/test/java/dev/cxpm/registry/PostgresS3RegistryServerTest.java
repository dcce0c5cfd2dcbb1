package dev.cxpm.registry;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.testkit.PostgresServer;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;

/**
 * The scale-out setup, as several servers behind a load balancer would run it: metadata in a real
 * PostgreSQL (fresh schema per test), blobs in a real S3 endpoint (S3Proxy, fresh bucket per test).
 * Skipped only where PostgreSQL is not installed and CXPM_REQUIRE_POSTGRES is unset.
 */
class PostgresS3RegistryServerTest extends S3RegistryServerTest {

    private static PostgresServer pg;
    private String url;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresServer.forTests().orElse(null);
        assumeThat(pg).as("PostgreSQL installed").isNotNull();
    }

    @Override
    protected Registry open() {
        if (url == null) {
            url = pg.freshSchemaUrlNamed("registry_s3_test");
        }
        return new Registry(JdbcDatabase.postgres(url), blobs(), Clock.systemUTC());
    }

    /** Not again here: the git view reads through Registry, which the other classes cover. */
    @Override
    void realCodexCliAddsTheRegistryAsAMarketplaceAndInstallsAPluginFromIt() {
    }
}
