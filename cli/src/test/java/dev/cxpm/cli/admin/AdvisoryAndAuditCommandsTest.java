package dev.cxpm.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxpm advisory} and {@code cxpm registry audit} against a real registry server on 127.0.0.1. */
class AdvisoryAndAuditCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Registry registry;
    RegistryServer server;
    String url;
    String admin;
    String owner;

    @BeforeEach
    void start() throws Exception {
        Path data = tmp.resolve("data");
        registry = Registry.embedded(data, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        url = server.url().toString();
        admin = registry.createToken(null, "alice", List.of(Caller.ADMIN), null, null).token();
        owner = registry.createToken(null, "bob", List.of(Caller.OWNER), null, null).token();
        registry.publish(new Caller("bob", List.of(Caller.OWNER), null), Packer.archive(Map.of(".codex-plugin/plugin.json",
                "{\"name\": \"demo\", \"version\": \"1.0.0\", \"description\": \"A demo.\"}")));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    CliRun as(String token, String... args) {
        return CliRun.in(tmp, Map.of("CXPM_TOKEN", token, "CXPM_REGISTRY", url), args);
    }

    @Test
    void anOwnerAddsListsAndWithdrawsAnAdvisory() throws Exception {
        CliRun added = as(owner, "advisory", "add", "demo", "--range", "<1.2.3", "--severity", "high", "--summary", "Logs the API key.",
                "--url", "https://example.com/a", "--json");
        assertThat(added.exitCode()).as(added.stderr()).isZero();
        String id = JSON.readTree(added.stdout()).path("id").asText();
        assertThat(id).matches("CXPM-\\d{4}-0001");

        CliRun list = as(owner, "advisory", "list", "demo");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains(id).contains("high").contains("<1.2.3").contains("Logs the API key. https://example.com/a");
        JsonNode index = JSON.readTree(registry.index("demo").orElseThrow().json());
        assertThat(index.path("advisories").get(0).path("id").asText()).isEqualTo(id);

        CliRun withdrawn = as(owner, "advisory", "withdraw", "demo", id);
        assertThat(withdrawn.exitCode()).as(withdrawn.stderr()).isZero();
        assertThat(as(owner, "advisory", "list", "demo").stdout()).contains("no advisories on demo");
        JsonNode all = JSON.readTree(as(owner, "advisory", "list", "demo", "--all", "--json").stdout());
        assertThat(all.path("advisories").get(0).path("withdrawnAt").isTextual()).isTrue();
    }

    @Test
    void badAdvisoriesAndStrangersAreRefusedWithTheirExitCodes() {
        assertThat(as(owner, "advisory", "add", "demo", "--range", "<1", "--severity", "dire", "--summary", "s").exitCode())
                .isEqualTo(ExitCodes.USAGE);
        CliRun range = as(owner, "advisory", "add", "demo", "--range", "whenever", "--severity", "low", "--summary", "s");
        assertThat(range.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(range.stderr()).contains("not a version range");
        CliRun plain = as(owner, "advisory", "add", "demo", "--range", "<1", "--severity", "low", "--summary", "s", "--url", "http://example.com");
        assertThat(plain.stderr()).contains("https://");
        String carol = registry.createToken(null, "carol", List.of(Caller.OWNER), null, null).token();
        CliRun stranger = as(carol, "advisory", "add", "demo", "--range", "<1", "--severity", "low", "--summary", "s");
        assertThat(stranger.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(stranger.stderr()).contains("not an owner");
        assertThat(registry.advisories("demo")).isEmpty();
    }

    @Test
    void registryAuditShowsAdminsEveryWriteAndRefusesEveryoneElse() throws Exception {
        assertThat(as(owner, "yank", "demo@1.0.0").exitCode()).isZero();
        CliRun table = as(admin, "registry", "audit", "--plugin", "demo");
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout().lines().toList().get(1)).contains("bob").contains("127.0.0.1").contains("yank").contains("demo@1.0.0");
        assertThat(table.stdout()).contains("publish");

        JsonNode page = JSON.readTree(as(admin, "registry", "audit", "--user", "bob", "--limit", "1", "--json").stdout());
        assertThat(page.path("entries")).hasSize(1);
        assertThat(page.path("entries").get(0).path("action").asText()).isEqualTo("yank");
        JsonNode older = JSON.readTree(as(admin, "registry", "audit", "--user", "bob", "--limit", "1", "--cursor", page.path("next").asText(),
                "--json").stdout());
        assertThat(older.path("entries").get(0).path("action").asText()).isEqualTo("publish");
        assertThat(as(admin, "registry", "audit", "--since", "2999-01-01").stdout()).contains("no audit entries match");

        CliRun refused = as(owner, "registry", "audit");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(refused.stderr()).contains("not allowed");
        assertThat(as(admin, "registry", "audit", "--since", "last tuesday").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(as(admin, "registry", "audit", "--limit", "500").exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
