package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.registry.RegistryAdmin;
import dev.cxpm.core.registry.RegistryClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user with 1,000 tokens (CI mints one per run; issue 12). The list is answered a page of 100 at a time with the
 * {@code next} to ask for (session 16): what {@code cxpm token list} reads through core's {@link RegistryAdmin} is
 * every one of them, once, and what a client from before pages reads (the {@code tokens} of one plain GET, as
 * docs/REGISTRY.md warns) is the first 100 and a {@code next} that names the rest, never a list that looks whole.
 */
class ManyTokensTest {

    static final int TOKENS = 1_000;

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    String secret;

    @BeforeEach
    void start() throws Exception {
        registry = Registry.embedded(data, Clock.systemUTC());
        secret = registry.createToken(null, "alice", List.of("owner"), null, "the caller").token();
        for (int i = 1; i < TOKENS; i++) {
            registry.createToken(null, "alice", List.of("publish:p" + i), null, "ci run " + i);
        }
        registry.createToken(null, "bob", List.of("owner"), null, "someone else's");
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    @Test
    void tokenListReadsEveryOneOfAThousandTokensOnceAndAPlainGetSaysThereIsMore() throws Exception {
        List<RegistryAdmin.TokenInfo> listed = new RegistryClient(server.url(), secret).admin().tokens();
        assertThat(listed).hasSize(TOKENS).allSatisfy(t -> assertThat(t.user()).isEqualTo("alice"));
        assertThat(listed.stream().map(RegistryAdmin.TokenInfo::id).distinct().count()).isEqualTo(TOKENS);

        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.url().resolve("/api/v1/tokens"))
                .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(200);
        JsonNode first = new ObjectMapper().readTree(plain.body());
        assertThat(first.path("tokens")).hasSize(Tokens.DEFAULT_PAGE);
        assertThat(first.path("next").asText()).isEqualTo(first.path("tokens").get(Tokens.DEFAULT_PAGE - 1).path("id").asText());
        Set<String> seen = new HashSet<>();
        first.path("tokens").forEach(t -> seen.add(t.path("id").asText()));
        assertThat(new ArrayList<>(seen)).hasSize(Tokens.DEFAULT_PAGE);
    }
}
