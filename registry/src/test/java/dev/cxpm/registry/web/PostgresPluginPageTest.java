package dev.cxpm.registry.web;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.registry.Registry;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.testkit.PostgresServer;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;

/**
 * The plugin page tests again on a real PostgreSQL server (pages, icons, download counts and search words are
 * migration 005 there too). Skipped only where PostgreSQL is not installed and CXPM_REQUIRE_POSTGRES is unset.
 */
class PostgresPluginPageTest extends PluginPageTest {

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
            url = pg.freshSchemaUrlNamed("page_test");
        }
        return new Registry(JdbcDatabase.postgres(url), new FileBlobStore(data.resolve("blobs")), Clock.systemUTC());
    }
}
