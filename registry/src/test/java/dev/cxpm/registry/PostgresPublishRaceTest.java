package dev.cxpm.registry;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.testkit.PostgresServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/** {@link PublishRaceTest} on a real PostgreSQL server, a fresh schema per registry (skipped where PostgreSQL is not installed). */
class PostgresPublishRaceTest extends PublishRaceTest {

    private static PostgresServer pg;
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    @BeforeAll
    static void startPostgres() {
        if (System.getenv("CXPM_REQUIRE_POSTGRES") == null) {
            assumeThat(PostgresServer.binaries()).as("PostgreSQL installed").isPresent();
        }
        pg = PostgresServer.shared();
    }

    @Override
    protected Registry open(Path dir) {
        String url = pg.freshSchemaUrl("publish_race_" + SCHEMAS.incrementAndGet());
        return new Registry(JdbcDatabase.postgres(url), new FileBlobStore(dir.resolve("blobs")), Clock.systemUTC());
    }
}
