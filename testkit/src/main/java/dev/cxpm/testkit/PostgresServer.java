package dev.cxpm.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: Debian's binaries ({@code /usr/lib/postgresql/N/bin}),
 * a fresh cluster in a temp dir, listening on 127.0.0.1 on a free port, trust authentication.
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the {@code postgres}
 * user and the commands run through {@code runuser}. {@code .ci/run} installs the package.
 */
public final class PostgresServer implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Where Debian put the newest server binaries, if PostgreSQL is installed. */
    public static Optional<Path> binaries() {
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("postgres")))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static PostgresServer shared;

    /**
     * One cluster for the whole test JVM, shared by every test class that needs PostgreSQL (each
     * takes fresh schemas from it): starting a cluster costs seconds, so it is done once. It is
     * stopped and deleted when the JVM exits.
     */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            PostgresServer pg = start();
            Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
            shared = pg;
        }
        return shared;
    }

    /**
     * The {@link #shared} server for a test that needs PostgreSQL, or empty where PostgreSQL is not
     * installed and CXPM_REQUIRE_POSTGRES is unset (the test then skips itself). CI sets the variable,
     * so there a missing server fails the test rather than letting it skip unseen.
     */
    public static Optional<PostgresServer> forTests() {
        boolean required = System.getenv("CXPM_REQUIRE_POSTGRES") != null;
        if (binaries().isEmpty()) {
            if (required) {
                throw new IllegalStateException("CXPM_REQUIRE_POSTGRES is set but no PostgreSQL server binaries are under "
                        + "/usr/lib/postgresql (apt-get install postgresql)");
            }
            return Optional.empty();
        }
        return Optional.of(shared());
    }

    public static PostgresServer start() {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException(
                "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)"));
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("cxpm-pg-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            if (root) {
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
            }
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            PostgresServer pg = new PostgresServer(bin, dir, port, root);
            // a test JVM that dies without close() must not leave a server running
            Runtime.getRuntime().addShutdownHook(new Thread(pg::stopQuietly));
            pg.run(60, "initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync");
            pg.run(60, "pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-l", dir.resolve("log").toString(), "-o",
                    "-p " + port + " -h 127.0.0.1 -k " + dir + " -F -c fsync=off -c max_connections=200", "start");
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JDBC URL for the named database on this server (created by {@link #createDatabase}). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /**
     * A JDBC URL whose tables live in a fresh schema of the {@code postgres} database: far cheaper
     * than a database per test, and as isolated for code that names no schema.
     */
    public String freshSchemaUrl(String schema) {
        if (!schema.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("schema name: " + schema);
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl("postgres"));
             java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema + ": " + e.getMessage(), e);
        }
        return jdbcUrl("postgres") + "&currentSchema=" + schema;
    }

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    /** {@link #freshSchemaUrl} for a schema named {@code prefix_N}, N counting the schemas made in this JVM. */
    public String freshSchemaUrlNamed(String prefix) {
        return freshSchemaUrl(prefix + "_" + SCHEMAS.incrementAndGet());
    }

    private void stopQuietly() {
        if (Files.exists(dir.resolve("data/postmaster.pid"))) {
            try {
                run(30, "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "stop");
            } catch (RuntimeException e) {
                // shutting down anyway
            }
        }
    }

    /** Creates a database (name: letters, digits, underscores) over JDBC, faster than a createdb process. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("database name: " + name);
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl("postgres"));
             java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
    }

    private void run(int timeoutSeconds, String tool, String... args) {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("pg-out", ".txt");
            Process p = new ProcessBuilder(cmd).directory(Path.of("/").toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(tool + " did not finish in " + timeoutSeconds + " s");
            }
            String output = Files.readString(out);
            Files.deleteIfExists(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (" + p.exitValue() + "):\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            stopQuietly();
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // a temp dir left behind: harmless
            }
        }
    }
}
