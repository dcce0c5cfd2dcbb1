package dev.cxpm.registry.storage.jdbc;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.testkit.PostgresServer;
import org.junit.jupiter.api.BeforeAll;

/** The same on a real PostgreSQL server, in a fresh schema. */
class PostgresNameVariantsMigrationTest extends NameVariantsMigrationTest {

    private static PostgresServer pg;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresServer.forTests().orElse(null);
        assumeThat(pg).as("PostgreSQL installed").isNotNull();
    }

    @Override
    protected String emptyDatabase() {
        return pg.freshSchemaUrlNamed("name_variants");
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
