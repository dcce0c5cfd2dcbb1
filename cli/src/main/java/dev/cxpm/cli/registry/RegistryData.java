package dev.cxpm.cli.registry;

import dev.cxpm.cli.Env;
import dev.cxpm.core.UserError;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.jdbc.JdbcConnections;
import dev.cxpm.registry.storage.blob.BlobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Where a registry keeps its data, as {@code cxpm serve} and {@code cxpm token create} both take it:
 * the data directory ({@code --data}, default the user's XDG data directory) and, with
 * {@code --database}, the metadata in PostgreSQL instead of {@code DIR/registry.db}. One place, so
 * both commands accept the same URLs and fail the same way on them.
 */
public final class RegistryData {

    private RegistryData() {
    }

    public static Path resolve(Env env, String data) {
        if (data != null) {
            return env.resolve(data);
        }
        String xdg = env.var("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(env.var("HOME"), ".local", "share");
        return base.resolve("cxpm").resolve("registry");
    }

    /** {@code cxpm serve --database}: metadata in PostgreSQL, blobs in {@code blobs}, archives unpacked under spool. */
    static Registry postgres(String database, BlobStore blobs, Path spool, Clock clock) {
        String url = postgresUrl(database);
        return connecting(() -> Registry.postgres(url, blobs, spool, clock));
    }

    /**
     * {@code cxpm token create --database}: only the metadata, so it runs wherever the database can be reached; spool
     * ({@link Registry#postgresMetadataOnly}) is never written to by making a token.
     */
    public static Registry postgresMetadata(String database, Path spool, Clock clock) {
        String url = postgresUrl(database);
        return connecting(() -> Registry.postgresMetadataOnly(url, spool, clock));
    }

    /** The PostgreSQL metadata database alone, for the operator commands that work on storage directly. */
    static JdbcDatabase postgresDatabase(String database) {
        String url = postgresUrl(database);
        try {
            return JdbcDatabase.postgres(url);
        } catch (JdbcConnections.CannotConnect e) {
            throw new UserError(UserError.Kind.NETWORK, e.getMessage(),
                    "check the host, port, database, user and password in --database, and that PostgreSQL runs there", e);
        }
    }

    /** {@code --database} as the operator should see it again (in logs, in hints): without its password. */
    static String shown(String database) {
        return JdbcConnections.redacted(database);
    }

    /**
     * The URL goes to the PostgreSQL driver as given: user and password are its parameters, read by
     * the driver the same way for every command.
     */
    private static String postgresUrl(String database) {
        if (!database.startsWith("jdbc:postgresql:")) {
            throw new UserError(UserError.Kind.USAGE, "--database must be a jdbc:postgresql:// URL",
                    "e.g. jdbc:postgresql://HOST:5432/DB?user=U&password=P; omit it for SQLite under --data DIR");
        }
        return database;
    }

    private static Registry connecting(Supplier<Registry> open) {
        try {
            return open.get();
        } catch (JdbcConnections.CannotConnect e) {
            throw new UserError(UserError.Kind.NETWORK, e.getMessage(),
                    "check the host, port, database, user and password in --database, and that PostgreSQL runs there", e);
        }
    }
}
