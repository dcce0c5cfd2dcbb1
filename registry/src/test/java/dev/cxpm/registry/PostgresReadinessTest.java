package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.testkit.PostgresServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /readyz on PostgreSQL: a cluster of the test's own, stopped under a running registry. */
class PostgresReadinessTest {

    @TempDir
    Path data;

    @Test
    void readyzTurns503NamingTheDatabaseWhenThePostgresServerStops() throws Exception {
        // not forTests(): that starts the JVM's shared cluster, and this test stops a cluster of its own
        if (System.getenv("CXPM_REQUIRE_POSTGRES") == null) {
            assumeThat(PostgresServer.binaries()).as("PostgreSQL installed").isPresent();
        }
        PostgresServer pg = PostgresServer.start();
        HttpClient http = HttpClient.newHttpClient();
        try (Registry registry = Registry.postgres(pg.freshSchemaUrl("readiness"), data, Clock.systemUTC());
             RegistryServer server = RegistryServer.start(registry, "127.0.0.1", 0,
                     new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"))) {
            HttpRequest readyz = HttpRequest.newBuilder(server.url().resolve("/readyz")).build();
            assertThat(http.send(readyz, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            pg.close();
            HttpResponse<String> r = http.send(readyz, HttpResponse.BodyHandlers.ofString());
            for (int i = 0; i < 100 && r.statusCode() != 503; i++) {
                Thread.sleep(50);
                r = http.send(readyz, HttpResponse.BodyHandlers.ofString());
            }
            assertThat(r.statusCode()).isEqualTo(503);
            JsonNode checks = new ObjectMapper().readTree(r.body()).path("checks");
            assertThat(checks.path("database").asText()).isIn("unreachable", "timeout");
            assertThat(checks.path("blobs").asText()).isEqualTo("ok");
            assertThat(r.body()).doesNotContain("postgres").doesNotContain("127.0.0.1");
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(server.url().resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).as("liveness does not depend on the database").isEqualTo(200);
        } finally {
            pg.close();
        }
    }
}
