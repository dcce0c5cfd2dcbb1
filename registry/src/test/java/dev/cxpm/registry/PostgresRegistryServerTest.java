package dev.cxpm.registry;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.testkit.PostgresServer;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every registry test again on a real PostgreSQL server (one cluster shared by the test JVM, a fresh
 * schema per test). Skipped only where PostgreSQL is not installed and CXPM_REQUIRE_POSTGRES
 * is unset; .ci/run installs it and sets the variable, so CI never skips.
 */
class PostgresRegistryServerTest extends RegistryServerTest {

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
            url = pg.freshSchemaUrl("registry_test_" + SCHEMAS.incrementAndGet());
        }
        return new Registry(JdbcDatabase.postgres(url), new FileBlobStore(data.resolve("blobs")), Clock.systemUTC());
    }

    /** Not again here: the git view reads through Registry, which every other test covers on PostgreSQL. */
    @Override
    void realCodexCliAddsTheRegistryAsAMarketplaceAndInstallsAPluginFromIt() {
    }
}
