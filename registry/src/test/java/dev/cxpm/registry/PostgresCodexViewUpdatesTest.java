package dev.cxpm.registry;

import dev.cxpm.registry.storage.JdbcDatabase;

/** The git view's updates again on a real PostgreSQL server (a fresh schema per test). */
class PostgresCodexViewUpdatesTest extends CodexViewUpdatesTest {

    private final PostgresSchema schema = new PostgresSchema("codex_view_test");

    @Override
    protected JdbcDatabase database() {
        return JdbcDatabase.postgres(schema.url());
    }
}
