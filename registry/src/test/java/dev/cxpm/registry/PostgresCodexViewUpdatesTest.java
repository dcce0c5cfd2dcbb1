package dev.cxpm.registry;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.testkit.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/** The git view's updates again on a real PostgreSQL server (a fresh schema per test). */
class PostgresCodexViewUpdatesTest extends CodexViewUpdatesTest {

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
    protected JdbcDatabase database() {
        if (url == null) {
            url = pg.freshSchemaUrl("codex_view_test_" + SCHEMAS.incrementAndGet());
        }
        return JdbcDatabase.postgres(url);
    }
}
