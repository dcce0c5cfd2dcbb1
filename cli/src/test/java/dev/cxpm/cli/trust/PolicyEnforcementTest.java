package dev.cxpm.cli.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install, add, sync, update, enable and marketplace add enforce the policy before anything is written, and name the
 * rule, the file and the line that blocked what (exit 8; under --json in {@code error.blocked}).
 */
class PolicyEnforcementTest {

    @TempDir
    Path dir;

    private TeamFixture team() {
        TeamFixture t = new TeamFixture(dir).plugin("demo", "1.0.0").plugin("evil-tool", "1.0.0").plugin("runner", "1.0.0");
        TeamFixture.write(t.market.resolve("plugins/runner/.mcp.json"),
                "{\"mcpServers\": {\"srv\": {\"command\": \"npx\", \"args\": [\"-y\", \"@acme/mcp-server\"]}}}");
        return t;
    }

    private Path userPolicy(String text) {
        Path f = dir.resolve("home/.config/cxpm/policy.toml");
        TeamFixture.write(f, text);
        return f;
    }

    private record Snapshot(Map<String, String> home, Map<String, String> project, Map<String, String> store) {
        static Snapshot of(TeamFixture t) {
            return new Snapshot(TeamFixture.tree(t.codexHome()), TeamFixture.tree(t.project), files(t.dir.resolve("store")));
        }

        /** Each file's path and bytes (as a hash: the store holds archives). */
        static Map<String, String> files(Path root) {
            Map<String, String> out = new java.util.TreeMap<>();
            if (!java.nio.file.Files.exists(root)) {
                return out;
            }
            try (var walk = java.nio.file.Files.walk(root)) {
                for (Path f : walk.filter(java.nio.file.Files::isRegularFile).toList()) {
                    out.put(root.relativize(f).toString(), java.util.HexFormat.of().formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(f))));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return out;
        }
    }

    private static void assertBlocked(CliRun r, TeamFixture t, Snapshot before, String... lines) {
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(8);
        assertThat(r.stderr()).startsWith("error: blocked by policy:").contains(lines);
        assertThat(Snapshot.of(t)).as("nothing written: Codex home, cxpm.toml, cxpm.lock, store").isEqualTo(before);
    }

    @Test
    void installOfADeniedPluginIsBlockedNamingTheRuleFileAndLineAndWritesNothing() throws Exception {
        TeamFixture t = team();
        t.cxpm("marketplace", "add", t.market.toString());
        Path policy = userPolicy("# team rules\n[plugins]\ndeny = [\"evil-*\"]\n");
        Snapshot before = Snapshot.of(t);
        CliRun r = t.cxpm("install", "evil-tool@fx");
        assertBlocked(r, t, before, "  - evil-tool@fx: the plugin is denied, by plugins.deny \"evil-*\" (" + policy + ":3)");
        assertThat(r.stderr()).contains("hint: cxpm policy explain");

        CliRun json = t.cxpm("install", "evil-tool@fx", "--json");
        assertThat(json.exitCode()).isEqualTo(8);
        JsonNode error = new ObjectMapper().readTree(json.stdout()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("policy");
        assertThat(error.path("blocked").get(0).path("rule").asText()).isEqualTo("plugins.deny \"evil-*\"");
        assertThat(error.path("blocked").get(0).path("file").asText()).isEqualTo(policy.toString());
        assertThat(error.path("blocked").get(0).path("line").asInt()).isEqualTo(3);

        CliRun ok = t.cxpm("install", "demo@fx");
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
    }

    @Test
    void mcpRulesLookAtTheMcpJsonThatWouldBeInstalled() throws Exception {
        TeamFixture t = team();
        t.cxpm("marketplace", "add", t.market.toString());
        Path policy = userPolicy("[mcp]\ndeny-unpinned = true\n");
        Snapshot before = Snapshot.of(t);
        assertBlocked(t.cxpm("install", "runner@fx"), t, before,
                "runner@fx MCP server `srv`: it runs `npx` on the unpinned package `@acme/mcp-server`", "by mcp.deny-unpinned = true (" + policy + ":2)");
        TeamFixture.write(t.market.resolve("plugins/runner/.mcp.json"),
                "{\"mcpServers\": {\"srv\": {\"command\": \"npx\", \"args\": [\"-y\", \"@acme/mcp-server@1.4.2\"]}}}");
        CliRun ok = t.cxpm("install", "runner@fx", "--ignore-prerequisites", "--yes");
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
    }

    @Test
    void marketplaceAddOutsideTheAllowListIsRefusedBeforeConfigTomlIsWritten() throws Exception {
        TeamFixture t = team();
        Path policy = userPolicy("[marketplaces]\nallow-git = [\"https://git.example.test/acme/*\"]\n");
        Snapshot before = Snapshot.of(t);
        assertBlocked(t.cxpm("marketplace", "add", t.market.toString()), t, before,
                "marketplace " + t.market + ": the marketplace source is not on the allow list, by marketplaces.allow-* of the user policy (" + policy + ":2)");
        userPolicy("[marketplaces]\nallow-local = [\"" + t.market + "\"]\n");
        CliRun ok = t.cxpm("marketplace", "add", t.market.toString());
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
    }

    @Test
    void enableAppliesThePolicyToTheInstalledHooks() throws Exception {
        TeamFixture t = team();
        TeamFixture.write(t.market.resolve("plugins/demo/hooks/hooks.json"),
                "{\"hooks\": {\"SessionStart\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"echo hi\"}]}]}}");
        t.cxpm("marketplace", "add", t.market.toString());
        assertThat(t.cxpm("install", "demo@fx", "--yes").exitCode()).isZero();
        assertThat(t.cxpm("disable", "demo@fx").exitCode()).isZero();
        Path policy = userPolicy("[hooks]\nallow = false\n");
        Snapshot before = Snapshot.of(t);
        assertBlocked(t.cxpm("enable", "demo@fx"), t, before, "demo@fx: it has hooks (SessionStart), which run commands, by hooks.allow = false (" + policy + ":2)");
        userPolicy("[hooks]\nallow = true\n");
        assertThat(t.cxpm("enable", "demo@fx").exitCode()).isZero();
    }

    @Test
    void addSyncAndUpdateAreBlockedBeforeCxpmTomlCxpmLockOrTheStoreChange() throws Exception {
        TeamFixture t = team().needs("demo", "^1.0.0");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Path policy = userPolicy("[plugins]\ndeny = [\"evil-*\"]\nmin-versions = { demo = \"1.1.0\" }\n");
        Snapshot before = Snapshot.of(t);
        assertBlocked(t.cxpm("add", "evil-tool@fx"), t, before, "evil-tool@fx: the plugin is denied, by plugins.deny \"evil-*\" (" + policy + ":2)");
        assertBlocked(t.cxpm("sync"), t, before, "demo@fx@1.0.0: the version is below the minimum 1.1.0, by plugins.min-versions.demo \"1.1.0\" (" + policy + ":3)");
        assertBlocked(t.cxpm("update"), t, before, "demo@fx@1.0.0: the version is below the minimum 1.1.0");
        t.plugin("demo", "1.1.0");
        CliRun update = t.cxpm("update");
        assertThat(update.exitCode()).as(update.stderr()).isZero();
        assertThat(t.read(t.project.resolve("cxpm.lock"))).contains("version = \"1.1.0\"");
    }

    @Test
    void aNoOpSyncUnderAnUnchangedPolicyAnswersFromTheStampAndAChangedPolicyIsCheckedInFull() throws Exception {
        TeamFixture t = team().needs("demo", "^1.0.0");
        Path project = t.project.resolve("cxpm-policy.toml");
        TeamFixture.write(project, "[plugins]\ndeny = [\"evil-*\"]\n");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        CliRun again = t.cxpm("sync");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout()).as("the policy is the one the last sync checked: the stamp answers")
                .isEqualTo("Already in sync: 1 plugin(s) from cxpm.lock.\n"
                        + "(installed files were not re-read: `cxpm sync --verify` checks their contents)\n");
        assertThat(t.cxpm("sync", "--frozen").stdout()).isEqualTo("Already in sync: 1 plugin(s) from cxpm.lock.\n");

        // the project's policy now refuses what is installed: the stamp no longer vouches, the full check blocks it
        TeamFixture.write(project, "[plugins]\ndeny = [\"demo\"]\n");
        Snapshot before = Snapshot.of(t);
        assertBlocked(t.cxpm("sync"), t, before, "the plugin is denied, by plugins.deny \"demo\" (" + project + ":2)");
        assertBlocked(t.cxpm("sync", "--frozen"), t, before, "the plugin is denied, by plugins.deny \"demo\"");

        // a user policy written after the last sync is read too
        TeamFixture.write(project, "[plugins]\ndeny = [\"evil-*\"]\n");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Path user = userPolicy("[plugins]\nmin-versions = { demo = \"1.1.0\" }\n");
        assertBlocked(t.cxpm("sync"), t, Snapshot.of(t), "demo@fx@1.0.0: the version is below the minimum 1.1.0, by plugins.min-versions.demo \"1.1.0\" ("
                + user + ":2)");
    }

    @Test
    void aProjectPolicyCannotLoosenTheUsersDeny() throws Exception {
        TeamFixture t = team().needs("evil-tool", "^1.0.0");
        Path user = userPolicy("[plugins]\ndeny = [\"evil-*\"]\n");
        TeamFixture.write(t.project.resolve("cxpm-policy.toml"), "[plugins]\nallow = [\"*\"]\n");
        Snapshot before = Snapshot.of(t);
        assertBlocked(t.cxpm("sync"), t, before, "by plugins.deny \"evil-*\" (" + user + ":2)");
        TeamFixture.write(t.project.resolve("cxpm-policy.toml"), "[plugins]\nallow = [\"demo\"]\n");
        Path project = t.project.resolve("cxpm-policy.toml");
        TeamFixture u = t.needs("runner", "^1.0.0");
        assertBlocked(u.cxpm("sync"), u, Snapshot.of(u), "runner: the plugin is not on the allow list, by plugins.allow of the project policy (" + project + ":2)");
    }

    @Test
    void aMalformedPolicyFileStopsInstallingWithEveryProblemAndItsLine() throws Exception {
        TeamFixture t = team();
        t.cxpm("marketplace", "add", t.market.toString());
        Path policy = userPolicy("[plugins]\ndney = [\"evil-*\"]\n[mcp]\nhttps-only = \"yes\"\n");
        Snapshot before = Snapshot.of(t);
        CliRun r = t.cxpm("install", "demo@fx");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains(policy + ":2: unknown key `plugins.dney`").contains(policy + ":4: mcp.https-only must be true or false");
        assertThat(Snapshot.of(t)).isEqualTo(before);
    }

    @Test
    void aGitMarketplaceOnADeniedHostIsRefusedBeforeAnyClone() throws Exception {
        TeamFixture t = team();
        Path policy = userPolicy("[marketplaces]\ndeny-hosts = [\"*.evil.test\"]\n");
        Snapshot before = Snapshot.of(t);
        assertBlocked(t.cxpm("marketplace", "add", "https://git.EVIL.test/acme/plugins.git"), t, before,
                "the marketplace source is denied, by marketplaces.deny-hosts \"*.evil.test\" (" + policy + ":2)");
        CliRun other = t.cxpm("marketplace", "add", "https://127.0.0.1:1/acme/plugins.git");
        assertThat(other.exitCode()).as("allowed: it goes on to clone, which fails here for want of a server").isEqualTo(4);
    }
}
