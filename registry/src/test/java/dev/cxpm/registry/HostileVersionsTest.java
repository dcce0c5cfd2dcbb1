package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A numeric pre-release identifier past a long ({@code 1.0.0-99999999999999999999}) is valid by SemVer's grammar, but
 * semver4j's compare throws on it: two such versions in one plugin made the index document's build throw (every read
 * of the plugin a 500). The registry refuses such a version at publish, with a 400 naming it.
 */
class HostileVersionsTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;
    RunningRegistry running;

    @BeforeEach
    void start() throws Exception {
        running = RunningRegistry.embedded(data);
    }

    @AfterEach
    void stop() {
        running.close();
    }

    HttpResponse<String> publish(String version) throws Exception {
        return http.send(HttpRequest.newBuilder(running.server.url().resolve("/api/v1/plugins"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(SemverGateTest.plugin(version, "hello")))
                .header("Content-Type", "application/gzip").header("Authorization", "Bearer " + running.admin).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void publishRefusesAPreReleaseNumberPastALongAndThePluginStaysReadable() throws Exception {
        assertThat(publish("1.0.0").statusCode()).isEqualTo(201);
        for (String v : new String[] {"1.0.0-99999999999999999999", "1.0.0-99999999999999999998", "1.1.0-rc.9223372036854775808"}) {
            HttpResponse<String> r = publish(v);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.body()).contains(v).contains("long");
        }
        HttpResponse<String> versions = http.send(HttpRequest.newBuilder(running.server.url().resolve("/api/v1/plugins/demo")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(versions.statusCode()).as(versions.body()).isEqualTo(200);
        // the largest that fits is still a version
        assertThat(publish("1.1.0-rc.9223372036854775807").statusCode()).isEqualTo(201);
    }
}
