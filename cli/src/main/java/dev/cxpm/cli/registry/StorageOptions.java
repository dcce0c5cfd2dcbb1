package dev.cxpm.cli.registry;

import dev.cxpm.cli.Env;
import dev.cxpm.core.UserError;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.BlobStore;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.registry.storage.blob.S3BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a registry keeps its data, as options: {@code cxpm serve} and the operator commands that work on the storage
 * directly ({@code cxpm registry export/import/gc}) take the same ones, so the command that serves a registry and the
 * one that backs it up name its store the same way.
 */
public final class StorageOptions {

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: $XDG_DATA_HOME/cxpm/registry).")
    String data;

    @Option(names = "--database", paramLabel = "JDBC_URL",
            description = "Metadata in PostgreSQL instead of SQLite, for example jdbc:postgresql://db/cxpm?user=cxpm "
                    + "(several servers may share it; blobs stay under --data unless --blobs is given).")
    String database;

    @Option(names = "--blobs", paramLabel = "s3://BUCKET/PREFIX",
            description = "Blobs in an S3-compatible store instead of DIR/blobs (path-style; credentials from "
                    + "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).")
    String blobs;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3 endpoint, e.g. http://127.0.0.1:9000 (default: AWS for --s3-region).")
    String s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "Region used in request signing. Default: ${DEFAULT-VALUE}.", defaultValue = "us-east-1")
    String s3Region;

    /** The data directory: --data, or the user's XDG data directory. */
    public Path dir(Env env) {
        return RegistryData.resolve(env, data);
    }

    public boolean onPostgres() {
        return database != null;
    }

    public boolean onS3() {
        return blobs != null;
    }

    /** The store as an operator should see it in output: no password. */
    public String shown(Env env) {
        return (database == null ? dir(env).toString() : RegistryData.shown(database)) + (blobs == null ? "" : ", blobs: " + blobs);
    }

    /** The metadata database, opened (and migrated) directly; {@code mustExist}: refuse to create an embedded one. */
    public JdbcDatabase openDatabase(Env env, boolean mustExist) {
        if (database != null) {
            return RegistryData.postgresDatabase(database);
        }
        Path dir = dir(env);
        Path file = dir.resolve("registry.db");
        if (mustExist && !Files.isRegularFile(file)) {
            throw new UserError(UserError.Kind.NOT_FOUND, "no registry at " + dir + " (no registry.db)",
                    "name its data directory with --data DIR, or its database with --database JDBC_URL");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot create " + dir + ": " + e.getMessage());
        }
        return JdbcDatabase.sqlite(file);
    }

    /** The blob store: DIR/blobs, or S3 with --blobs. */
    public BlobStore blobStore(Env env) {
        if (blobs == null) {
            try {
                return new FileBlobStore(dir(env).resolve("blobs"));
            } catch (UncheckedIOException e) {
                throw new UserError(UserError.Kind.IO, "cannot use " + dir(env).resolve("blobs") + ": " + e.getCause().getMessage());
            }
        }
        if (!blobs.startsWith("s3://") || blobs.length() <= 5 || blobs.charAt(5) == '/') {
            throw new UserError(UserError.Kind.USAGE, "--blobs must be s3://BUCKET or s3://BUCKET/PREFIX, not " + blobs,
                    "omit it to keep blobs under --data");
        }
        String access = env.var("AWS_ACCESS_KEY_ID");
        String secret = env.var("AWS_SECRET_ACCESS_KEY");
        if (access == null || access.isBlank() || secret == null || secret.isBlank()) {
            throw new UserError(UserError.Kind.USAGE, "--blobs " + blobs + " needs credentials",
                    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }
        URI endpoint = null;
        if (s3Endpoint != null) {
            try {
                endpoint = new URI(s3Endpoint);
            } catch (URISyntaxException e) {
                endpoint = null;
            }
            if (endpoint == null || endpoint.getHost() == null || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
                throw new UserError(UserError.Kind.USAGE, "--s3-endpoint must be an http(s)://HOST[:PORT] URL, not " + s3Endpoint, null);
            }
        }
        return new S3BlobStore(blobs, endpoint, s3Region, access, secret);
    }
}
