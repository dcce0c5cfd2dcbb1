package dev.cxpm.registry;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.testkit.PostgresServer;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every registry test again on a real PostgreSQL server (one cluster shared by the test JVM, a fresh
 * schema per test). Skipped only where PostgreSQL is not installed and CXPM_REQUIRE_POSTGRES
 * is unset; .ci/run installs it and sets the variable, so CI never skips.
 */
class PostgresRegistryServerTest extends RegistryServerTest {

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
            url = pg.freshSchemaUrlNamed("registry_test");
        }
        return new Registry(JdbcDatabase.postgres(url), new FileBlobStore(data.resolve("blobs")), Clock.systemUTC());
    }

    /** Not again here: the git view reads through Registry, which every other test covers on PostgreSQL. */
    @Override
    void realCodexCliAddsTheRegistryAsAMarketplaceAndInstallsAPluginFromIt() {
    }
}
