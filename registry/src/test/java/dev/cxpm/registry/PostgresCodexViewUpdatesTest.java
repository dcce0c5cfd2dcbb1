package dev.cxpm.registry;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.testkit.PostgresServer;
import org.junit.jupiter.api.BeforeAll;

/** The git view's updates again on a real PostgreSQL server (a fresh schema per test). */
class PostgresCodexViewUpdatesTest extends CodexViewUpdatesTest {

    private static PostgresServer pg;
    private String url;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresServer.forTests().orElse(null);
        assumeThat(pg).as("PostgreSQL installed").isNotNull();
    }

    @Override
    protected JdbcDatabase database() {
        if (url == null) {
            url = pg.freshSchemaUrlNamed("codex_view_test");
        }
        return JdbcDatabase.postgres(url);
    }
}
