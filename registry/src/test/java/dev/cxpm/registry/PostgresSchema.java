package dev.cxpm.registry;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.testkit.PostgresServer;
import java.nio.file.Path;
import java.time.Clock;

/**
 * One test's schema on the shared test PostgreSQL server, for the PostgreSQL variants of the registry's tests: made
 * when the test first opens its registry (it may reopen it on the same schema); the test is skipped where PostgreSQL
 * is not installed.
 */
public final class PostgresSchema {
    private final String prefix;
    private String url;

    public PostgresSchema(String prefix) {
        this.prefix = prefix;
    }

    public String url() {
        if (url == null) {
            PostgresServer pg = PostgresServer.forTests().orElse(null);
            assumeThat(pg).as("PostgreSQL installed").isNotNull();
            url = pg.freshSchemaUrlNamed(prefix);
        }
        return url;
    }

    /** A registry on this schema, its blobs under data. */
    public Registry open(Path data, Clock clock) {
        return new Registry(JdbcDatabase.postgres(url()), new FileBlobStore(data.resolve("blobs")), data.resolve("uploads"), clock);
    }
}
