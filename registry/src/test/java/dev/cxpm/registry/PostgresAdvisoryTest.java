package dev.cxpm.registry;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.testkit.PostgresServer;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;

/** Advisories again on a real PostgreSQL server (a fresh schema per test). */
class PostgresAdvisoryTest extends AdvisoryTest {

    private static PostgresServer pg;
    private String url;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresServer.forTests().orElse(null);
        assumeThat(pg).as("PostgreSQL installed").isNotNull();
    }

    @Override
    protected Registry open(Clock clock) {
        if (url == null) {
            url = pg.freshSchemaUrlNamed("advisories");
        }
        return new Registry(JdbcDatabase.postgres(url), new FileBlobStore(data.resolve("blobs")), clock);
    }
}
