package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that cannot be reached is never silent: outdated, update and sync say they used the cached index
 * document and how old it is (a warnings field under --json), and an unknown host is called one, not "connection
 * refused". The registry is real, on 127.0.0.1, then stopped; the unknown host is an RFC 2606 {@code .invalid} name.
 */
class UnreachableSourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** CliRun's clock. */
    private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

    @TempDir
    Path tmp;
    Registry registry;
    RegistryServer server;
    String url;
    Map<String, String> env;
    Path project;

    @BeforeEach
    void start() throws Exception {
        Path data = tmp.resolve("data");
        registry = Registry.embedded(data, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        url = server.url().toString();
        env = new HashMap<>(Fixtures.env(tmp.resolve("codex-home"), tmp.resolve("home")));
        CliRun token = cxpm(tmp, "token", "create", "--data", data.toString());
        assertThat(cxpm(tmp, "login", "--registry", url, "--token", token.stdout().strip()).exitCode()).isZero();
        Path dir = Fixtures.plugin(tmp.resolve("src/demo"), "{\"name\": \"demo\", \"version\": \"1.0.0\", \"description\": \"Demo.\"}");
        assertThat(cxpm(tmp, "publish", dir.toString()).exitCode()).isZero();
        assertThat(cxpm(tmp, "marketplace", "add", url).exitCode()).isZero();
        project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("cxpm.toml"), "[plugins]\ndemo = \"^1.0.0\"\n");
        CliRun sync = cxpm(project, "sync");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(sync.stderr()).doesNotContain("warning");
        server.close();
        // the cached index document was fetched three days before now
        Path cached = tmp.resolve("codex-home/.cxpm/registries/cxpm-registry");
        try (var files = Files.walk(cached)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(f, FileTime.from(NOW.minusSeconds(3 * 86_400 + 60)));
            }
        }
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    CliRun cxpm(Path cwd, String... args) {
        return CliRun.in(cwd, env, args);
    }

    String warning(String host, String why) {
        return "warning: could not reach " + host + " (" + why + "); using the copy of its index cached 3 days ago";
    }

    @Test
    void outdatedSaysItUsedTheCachedCopyAndHowOld() throws Exception {
        CliRun r = cxpm(project, "outdated");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains(warning(url, "connection refused"));
        CliRun j = cxpm(project, "outdated", "--json");
        JsonNode warnings = JSON.readTree(j.stdout()).path("warnings");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).path("code").asText()).isEqualTo("registry-unreachable");
        assertThat(warnings.get(0).path("problem").asText()).contains("could not reach " + url, "cached 3 days ago");
        assertThat(j.stderr()).doesNotContain("warning");
    }

    @Test
    void updateSaysItUsedTheCachedCopyAndHowOld() throws Exception {
        CliRun r = cxpm(project, "update");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains(warning(url, "connection refused"));
        CliRun j = cxpm(project, "update", "--json");
        JsonNode warnings = JSON.readTree(j.stdout()).path("warnings");
        assertThat(warnings.toString()).contains("registry-unreachable", "cached 3 days ago");
    }

    @Test
    void anUnknownHostIsCalledOne() throws Exception {
        String invalid = "http://cxpm-registry.invalid:4873";
        // the registry's name no longer resolves (moved, or DNS is down): where config.toml and cxpm's record point
        for (Path f : new Path[] {tmp.resolve("codex-home/config.toml"), tmp.resolve("codex-home/.cxpm/registries/cxpm-registry/registry.json")}) {
            Files.writeString(f, Files.readString(f).replace(url, invalid));
            Files.setLastModifiedTime(f, FileTime.from(NOW.minusSeconds(3 * 86_400 + 60)));
        }
        CliRun r = cxpm(project, "outdated");
        assertThat(r.stderr()).contains(warning(invalid, "unknown host cxpm-registry.invalid")).doesNotContain("connection refused");
    }
}
