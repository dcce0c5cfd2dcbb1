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
 * A token asked to expire in a number of days that is not a whole positive number ("30" as text, 30.5, -5, a number
 * past an int) was created anyway: never expiring, or already expired. It is refused with a 400 now, and nothing made.
 */
class TokenExpiryTest {

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

    HttpResponse<String> create(String expiresInDays) throws Exception {
        String body = "{\"scopes\":[\"owner\"]" + (expiresInDays == null ? "" : ",\"expiresInDays\":" + expiresInDays) + "}";
        return http.send(HttpRequest.newBuilder(running.server.url().resolve("/api/v1/tokens"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + running.admin).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anExpiryThatIsNotAWholePositiveNumberOfDaysIsRefusedNotReadAsNever() throws Exception {
        for (String days : new String[] {"\"30\"", "30.5", "-5", "0", "99999999999999", "true", "[]"}) {
            HttpResponse<String> r = create(days);
            assertThat(r.statusCode()).as(days + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains("expiresInDays");
        }
        HttpResponse<String> month = create("30");
        assertThat(month.statusCode()).as(month.body()).isEqualTo(201);
        assertThat(month.body()).doesNotContain("\"expiresAt\":null");
        HttpResponse<String> never = create(null);
        assertThat(never.statusCode()).isEqualTo(201);
        assertThat(never.body()).contains("\"expiresAt\":null");
        assertThat(create("null").body()).contains("\"expiresAt\":null");
    }
}
