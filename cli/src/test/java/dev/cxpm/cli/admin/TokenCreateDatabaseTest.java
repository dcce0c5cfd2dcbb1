package dev.cxpm.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.CxpmProcess;
import dev.cxpm.testkit.PostgresServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxpm token create --database JDBC_URL}: the first admin token of a registry whose metadata
 * is in PostgreSQL, made offline in that database, as {@code --data DIR} does for SQLite. The
 * PostgreSQL test runs on a real server (skipped only where PostgreSQL is not installed and
 * CXPM_REQUIRE_POSTGRES is unset) against {@code cxpm serve --database} as its own process.
 */
class TokenCreateDatabaseTest {

    private static final Duration STARTUP = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    Process server;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void tokenCreatedOnTheDatabaseIsAcceptedByTheServerRunningOnIt() throws Exception {
        PostgresServer pg = PostgresServer.forTests().orElse(null);
        assumeThat(pg).as("PostgreSQL installed").isNotNull();
        // trust authentication ignores the password: it is here to show it is never printed
        String database = pg.freshSchemaUrlNamed("token_create") + "&password=s3cret";
        Path data = tmp.resolve("server-data");
        Path log = tmp.resolve("serve.log");
        String url = serve(log, "--data", data.toString(), "--database", database);
        assertThat(Files.readString(log)).as("serve names the command for its storage, without the password")
                .contains("first admin token: cxpm token create --database '" + database.replace("s3cret", "***") + "'")
                .doesNotContain("s3cret");

        CliRun token = CliRun.in(tmp, "token", "create", "--database", database);
        assertThat(token.exitCode()).as(token.stderr()).isZero();
        assertThat(token.stdout().strip()).startsWith("cxpm_");
        assertThat(token.stderr()).contains("for admin, scopes: admin");
        assertThat(tmp.resolve("home")).as("nothing written on the machine that made the token").doesNotExist();

        CliRun login = CliRun.in(tmp, "login", "--registry", url, "--token", token.stdout().strip());
        assertThat(login.exitCode()).as(login.stderr()).isZero();
        assertThat(login.stdout()).contains("logged in to " + url + " as admin (scopes: admin)");

        // the options serve was given work too: the metadata is in the database, DIR only holds blobs
        CliRun same = CliRun.in(tmp, "token", "create", "--data", data.toString(), "--database", database,
                "--user", "bob", "--scope", "owner");
        assertThat(same.exitCode()).as(same.stderr()).isZero();
        CliRun bob = CliRun.in(tmp, "login", "--registry", url, "--token", same.stdout().strip());
        assertThat(bob.exitCode()).as(bob.stderr()).isZero();
        assertThat(bob.stdout()).contains("as bob (scopes: owner)");
        assertThat(data.resolve("registry.db")).as("metadata in PostgreSQL, not SQLite").doesNotExist();
    }

    @Test
    void tokenCreateOnADatabaseThatIsNotPostgresIsAUsageError() {
        CliRun r = CliRun.in(tmp, "token", "create", "--database", "jdbc:sqlite:" + tmp.resolve("registry.db"));
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("--database must be a jdbc:postgresql:// URL").contains("hint:");
        assertThat(tmp.resolve("registry.db")).doesNotExist();
    }

    @Test
    void tokenCreateOnAnUnreachableDatabaseIsANetworkErrorWithoutStackTraceOrPassword() throws Exception {
        int port = closedPort();
        CliRun r = CliRun.in(tmp, "token", "create", "--database", "jdbc:postgresql://127.0.0.1:" + port + "/cxpm?user=cxpm&password=s3cret");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(4);
        assertThat(r.stderr()).contains("error: cannot connect to the registry database jdbc:postgresql://127.0.0.1:" + port
                + "/cxpm?user=cxpm&password=***").contains("hint: check the host, port")
                .doesNotContain("s3cret").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void serveOnAnUnreachableDatabaseIsANetworkErrorBeforeServing() throws Exception {
        int port = closedPort();
        CliRun r = CliRun.in(tmp, "serve", "--port", "0", "--data", "d", "--database", "jdbc:postgresql://127.0.0.1:" + port + "/cxpm");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(4);
        assertThat(r.stderr()).contains("cannot connect to the registry database").doesNotContain("Exception");
        assertThat(r.stdout()).doesNotContain("serving");
    }

    @Test
    void tokenCreateWithBothRegistryAndDatabaseIsAUsageError() {
        CliRun r = CliRun.in(tmp, "token", "create", "--registry", "http://127.0.0.1:1", "--database", "jdbc:postgresql://127.0.0.1:1/cxpm");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("--registry").contains("--database");
    }

    @Test
    void tokenCreateWithNoStorageAndNoLoginIsAUsageErrorNamingTheOfflineOptions() {
        CliRun r = CliRun.in(tmp, "token", "create");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("none logged in to").contains("--data DIR or --database JDBC_URL");
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort(); // closed again: nothing listens there
        }
    }

    /** Starts {@code cxpm serve --port 0} as its own process and returns the URL it prints once its API is up. */
    private String serve(Path log, String... options) throws Exception {
        String[] args = new String[options.length + 3];
        args[0] = "serve";
        args[1] = "--port";
        args[2] = "0";
        System.arraycopy(options, 0, args, 3, options.length);
        server = CxpmProcess.start(tmp, Map.of("HOME", tmp.resolve("server-home").toString(), "PATH", System.getenv("PATH")), log, args);
        Pattern serving = Pattern.compile("cxpm registry serving (\\S+)");
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            String printed = Files.readString(log);
            Matcher m = serving.matcher(printed);
            if (m.find() && printed.contains("Codex CLI:")) {
                return m.group(1);
            }
            if (!server.isAlive()) {
                fail("cxpm serve exited with " + server.exitValue() + ":\n" + printed);
            }
            assertThat(deadline - System.nanoTime()).as("cxpm serve started within %s:\n%s", STARTUP, printed).isPositive();
            Thread.sleep(50);
        }
    }
}
