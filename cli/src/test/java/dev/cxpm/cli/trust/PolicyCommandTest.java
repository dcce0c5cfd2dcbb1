package dev.cxpm.cli.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxpm policy explain|show}, and the organisation's policy served from a URL (cached, and failing closed). */
class PolicyCommandTest {

    @TempDir
    Path dir;

    private TeamFixture team() {
        TeamFixture t = new TeamFixture(dir).plugin("demo", "1.0.0").plugin("evil-tool", "1.0.0");
        TeamFixture.write(t.market.resolve("plugins/demo/.mcp.json"), "{\"mcpServers\": {\"s\": {\"url\": \"http://mcp.example.test/\"}}}");
        assertThat(t.cxpm("marketplace", "add", t.market.toString()).exitCode()).isZero();
        return t;
    }

    @Test
    void explainNamesEachRuleThatAppliesWithItsFileAndLineAndTheVerdict() throws Exception {
        TeamFixture t = team();
        Path user = dir.resolve("home/.config/cxpm/policy.toml");
        TeamFixture.write(user, "[plugins]\nallow = [\"demo\", \"evil-*\"]\ndeny = [\"evil-*\"]\n[mcp]\nhttps-only = true\n");
        TeamFixture.write(t.project.resolve("cxpm.toml"), "[plugins]\n");
        Path project = t.project.resolve("cxpm-policy.toml");
        TeamFixture.write(project, "min-release-age = \"3d\"\n");

        CliRun evil = t.cxpm("policy", "explain", "evil-tool@fx");
        assertThat(evil.exitCode()).as(evil.stderr()).isZero();
        assertThat(evil.stdout()).startsWith("evil-tool@fx 1.0.0: blocked\n")
                .contains("  plugins.deny \"evil-*\" (" + user + ":3): denies")
                .contains("  plugins.allow \"evil-*\" (" + user + ":2): allows")
                .contains("Blocked by:\n  - evil-tool@fx: the plugin is denied, by plugins.deny \"evil-*\" (" + user + ":3)");

        CliRun demo = t.cxpm("policy", "explain", "demo@fx", "--json");
        JsonNode o = new ObjectMapper().readTree(demo.stdout());
        assertThat(o.path("allowed").asBoolean()).as("its MCP server's URL is plain http").isFalse();
        assertThat(o.path("contentChecked").asBoolean()).isTrue();
        assertThat(o.path("blocked").get(0).path("rule").asText()).isEqualTo("mcp.https-only = true");
        assertThat(o.path("blocked").get(0).path("line").asInt()).isEqualTo(5);

        TeamFixture.write(t.market.resolve("plugins/demo/.mcp.json"), "{\"mcpServers\": {\"s\": {\"url\": \"https://mcp.example.test/\"}}}");
        assertThat(t.cxpm("policy", "explain", "demo@fx").stdout()).startsWith("demo@fx 1.0.0: allowed\n");

        CliRun show = t.cxpm("policy", "show", "--json");
        JsonNode s = new ObjectMapper().readTree(show.stdout());
        assertThat(s.path("files").get(0).path("file").asText()).isEqualTo(user.toString());
        assertThat(s.path("files").get(1).path("level").asText()).isEqualTo("project");
        assertThat(s.path("minReleaseAge").asText()).isEqualTo("PT72H");
    }

    @Test
    void anOrganisationPolicyAtAUrlIsEnforcedThenCachedForOfflineAndFailsClosedWithoutACopy() throws Exception {
        TeamFixture t = team();
        AtomicReference<String> served = new AtomicReference<>("# from IT\n[plugins]\ndeny = [\"evil-*\"]\n");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/policy.toml", ex -> {
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/policy.toml";
        TeamFixture.write(dir.resolve("home/.config/cxpm/config.toml"), "policy = \"" + url + "\"\n");
        try {
            CliRun blocked = t.cxpm("install", "evil-tool@fx");
            assertThat(blocked.exitCode()).isEqualTo(8);
            assertThat(blocked.stderr()).contains("by plugins.deny \"evil-*\" (" + url + ":3)");

            served.set("[plugins]\ndeny = [\"evil-*\"\n"); // broken at the source: not cached, and nothing allowed
            CliRun broken = t.cxpm("install", "demo@fx");
            assertThat(broken.exitCode()).isEqualTo(1);
            assertThat(broken.stderr()).contains(url);
            assertThat(Files.exists(t.codexHome().resolve("plugins/cache/fx/demo"))).isFalse();
        } finally {
            server.stop(0);
        }
        CliRun offline = t.cxpm("install", "evil-tool@fx");
        assertThat(offline.exitCode()).as("the last policy known still holds offline").isEqualTo(8);
        assertThat(offline.stderr()).contains("warning: the organisation policy " + url + " could not be read (connection refused); "
                + "enforcing the copy cached").contains("by plugins.deny \"evil-*\"");

        Map<String, String> elsewhere = t.env("codex-home");
        elsewhere.put("XDG_CACHE_HOME", dir.resolve("empty-cache").toString());
        CliRun closed = CliRun.in(t.project, elsewhere, "install", "demo@fx");
        assertThat(closed.exitCode()).as("no answer and no copy: nothing is installed").isEqualTo(4);
        assertThat(closed.stderr()).contains("the organisation policy " + url + " cannot be read: connection refused; there is no cached copy, so nothing is installed");
        assertThat(Files.exists(t.codexHome().resolve("plugins/cache/fx/demo"))).isFalse();

        TeamFixture.write(dir.resolve("home/.config/cxpm/config.toml"), "policy = \"http://it.example.test/policy.toml\"\n");
        CliRun plain = t.cxpm("install", "demo@fx");
        assertThat(plain.exitCode()).isEqualTo(1);
        assertThat(plain.stderr()).contains("must come over https");
    }

    @Test
    void configSetPolicyRefusesAFileThatWouldNotParseAndThenEveryInstallIsHeldToIt() throws Exception {
        TeamFixture t = team();
        Path org = dir.resolve("org-policy.toml");
        TeamFixture.write(org, "[plugins]\ndeny = [\"evil-*\"\n");
        CliRun bad = t.cxpm("config", "set", "policy", org.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(t.cxpm("config", "get", "policy").exitCode()).isEqualTo(3);
        TeamFixture.write(org, "[plugins]\ndeny = [\"evil-*\"]\n");
        CliRun set = t.cxpm("config", "set", "policy", org.toString());
        assertThat(set.exitCode()).as(set.stderr()).isZero();
        assertThat(t.cxpm("config", "get", "policy").stdout().strip()).isEqualTo(org.toString());
        CliRun blocked = t.cxpm("install", "evil-tool@fx");
        assertThat(blocked.exitCode()).isEqualTo(8);
        assertThat(blocked.stderr()).contains("by plugins.deny \"evil-*\" (" + org + ":2)");
        assertThat(t.cxpm("config", "set", "policy", "http://it.example.test/p.toml").exitCode()).isEqualTo(1);
        assertThat(t.cxpm("config", "unset", "policy").exitCode()).isZero();
        assertThat(t.cxpm("install", "evil-tool@fx").exitCode()).isZero();
    }
}
