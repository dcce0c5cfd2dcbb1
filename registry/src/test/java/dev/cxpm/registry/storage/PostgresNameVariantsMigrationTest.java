package dev.cxpm.registry.storage;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.testkit.PostgresServer;
import org.junit.jupiter.api.BeforeAll;

/** The same on a real PostgreSQL server, in a fresh schema. */
class PostgresNameVariantsMigrationTest extends NameVariantsMigrationTest {

    private static PostgresServer pg;

    @BeforeAll
    static void startPostgres() {
        if (System.getenv("CXPM_REQUIRE_POSTGRES") == null) {
            assumeThat(PostgresServer.binaries()).as("PostgreSQL installed").isPresent();
        }
        pg = PostgresServer.shared();
    }

    @Override
    protected String emptyDatabase() {
        return pg.freshSchemaUrl("name_variants_" + System.nanoTime());
    }

    @Override
    protected String dialect() {
        return "postgres";
    }

    @Override
    protected JdbcDatabase open(String url) {
        return JdbcDatabase.postgres(url);
    }
}
