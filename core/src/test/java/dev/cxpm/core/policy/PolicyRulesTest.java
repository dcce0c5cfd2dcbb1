package dev.cxpm.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.Plugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rule of a policy file, once where it blocks and once where it allows; levels; malformed files. */
class PolicyRulesTest {

    @TempDir
    Path dir;

    private PolicyFile file(PolicyFile.Level level, String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return PolicyFile.read(level, f);
    }

    private Policy policy(String text) throws Exception {
        return new Policy(List.of(file(PolicyFile.Level.USER, "policy.toml", text)), List.of());
    }

    private static Policy.PluginSubject plugin(String name, String market, String version, Plugin content) {
        return new Policy.PluginSubject(name, market, Optional.empty(), Optional.ofNullable(version), Optional.ofNullable(content));
    }

    private Plugin pluginWith(String mcpJson, boolean hooks) throws Exception {
        Path root = Files.createDirectories(dir.resolve("p" + System.nanoTime()));
        Files.createDirectories(root.resolve(".codex-plugin"));
        Files.writeString(root.resolve(".codex-plugin/plugin.json"), "{\"name\": \"demo\", \"version\": \"1.0.0\"}");
        if (mcpJson != null) {
            Files.writeString(root.resolve(".mcp.json"), mcpJson);
        }
        if (hooks) {
            Files.createDirectories(root.resolve("hooks"));
            Files.writeString(root.resolve("hooks/hooks.json"),
                    "{\"hooks\": {\"PreToolUse\": [{\"matcher\": \"*\", \"hooks\": [{\"type\": \"command\", \"command\": \"./x.sh\"}]}]}}");
        }
        return Plugin.load(root);
    }

    private static String server(String command, String... args) {
        return "{\"mcpServers\": {\"s\": {\"command\": \"" + command + "\", \"args\": [" + String.join(", ",
                java.util.Arrays.stream(args).map(a -> "\"" + a + "\"").toList()) + "]}}}";
    }

    @Test
    void pluginDenyBlocksMatchingNamesAndNamesTheRuleFileAndLine() throws Exception {
        Policy p = policy("[plugins]\ndeny = [\"evil-*\", \"*@untrusted\"]\n");
        var blocked = p.plugin(plugin("evil-tool", "fx", null, null));
        assertThat(blocked.violations()).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo("plugins.deny \"evil-*\"");
            assertThat(v.where()).hasToString(dir.resolve("policy.toml") + ":2");
        });
        assertThat(p.plugin(plugin("demo", "untrusted", null, null)).allowed()).isFalse();
        assertThat(p.plugin(plugin("good-tool", "fx", null, null)).allowed()).isTrue();
    }

    @Test
    void pluginAllowListAdmitsOnlyWhatItNames() throws Exception {
        Policy p = policy("[plugins]\nallow = [\"github-*\"]\n");
        assertThat(p.plugin(plugin("github-triage", "fx", null, null)).allowed()).isTrue();
        assertThat(p.plugin(plugin("other", "fx", null, null)).violations()).singleElement()
                .satisfies(v -> assertThat(v.reason()).isEqualTo("the plugin is not on the allow list"));
    }

    @Test
    void minimumVersionsRefuseOlderVersions() throws Exception {
        Policy p = policy("[plugins]\nmin-versions = { github = \"1.2.0\" }\n");
        assertThat(p.plugin(plugin("github", "fx", "1.1.9", null)).violations()).singleElement()
                .satisfies(v -> assertThat(v.line()).contains("below the minimum 1.2.0"));
        assertThat(p.plugin(plugin("github", "fx", "1.2.0", null)).allowed()).isTrue();
        assertThat(p.plugin(plugin("other", "fx", "0.1.0", null)).allowed()).isTrue();
    }

    @Test
    void marketplaceRulesMatchGitUrlsHostsLocalPathsAndRegistries() throws Exception {
        Policy p = policy("""
                [marketplaces]
                allow-git = ["https://git.example.test/acme/*"]
                allow-hosts = ["*.corp.test"]
                allow-local = ["/srv/market"]
                allow-registries = ["https://plugins.example.test"]
                deny-git = ["https://git.example.test/acme/bad.git"]
                """);
        assertThat(p.marketplace("", new MarketplaceOrigin.Git("https://git.example.test/acme/mk.git", Optional.empty())).allowed()).isTrue();
        assertThat(p.marketplace("", new MarketplaceOrigin.Git("https://git.example.test/acme/bad.git", Optional.empty())).violations())
                .singleElement().satisfies(v -> assertThat(v.rule()).isEqualTo("marketplaces.deny-git \"https://git.example.test/acme/bad.git\""));
        assertThat(p.marketplace("", new MarketplaceOrigin.Git("https://github.com/x/y.git", Optional.empty())).allowed()).isFalse();
        assertThat(p.marketplace("", new MarketplaceOrigin.Git("git@src.CORP.test:x/y.git", Optional.empty())).allowed()).isTrue();
        assertThat(p.marketplace("", new MarketplaceOrigin.Local(Path.of("/srv/market"))).allowed()).isTrue();
        assertThat(p.marketplace("", new MarketplaceOrigin.Local(Path.of("/tmp/market"))).allowed()).isFalse();
        assertThat(p.marketplace("", new MarketplaceOrigin.Registry(java.net.URI.create("https://plugins.example.test/"), "x")).allowed()).isTrue();
        assertThat(p.marketplace("", new MarketplaceOrigin.Registry(java.net.URI.create("https://other.example.test"), "x")).allowed()).isFalse();
    }

    @Test
    void mcpCommandsMustBeAllowedExecutables() throws Exception {
        Policy p = policy("[mcp]\nallow-commands = [\"node\", \"/opt/tools/*\"]\n");
        assertThat(p.plugin(plugin("demo", "fx", "1.0.0", pluginWith(server("/usr/bin/node", "x.js"), false))).allowed()).isTrue();
        assertThat(p.plugin(plugin("demo", "fx", "1.0.0", pluginWith(server("/opt/tools/srv"), false))).allowed()).isTrue();
        assertThat(p.plugin(plugin("demo", "fx", "1.0.0", pluginWith(server("bash", "-c", "curl x | sh"), false))).violations())
                .singleElement().satisfies(v -> assertThat(v.line()).contains("MCP server `s`").contains("`bash` is not an allowed executable"));
    }

    @Test
    void unpinnedPackagesRunAtStartAreDeniedAndPinnedOnesAllowed() throws Exception {
        Policy p = policy("[mcp]\ndeny-unpinned = true\n");
        for (String[] unpinned : List.of(new String[] {"npx", "-y", "@acme/server"}, new String[] {"npx", "-y", "srv@latest"},
                new String[] {"uvx", "mcp-server-git"}, new String[] {"npx", "--yes", "srv@^1"})) {
            assertThat(p.plugin(plugin("demo", "fx", "1.0.0", pluginWith(server(unpinned[0],
                    java.util.Arrays.copyOfRange(unpinned, 1, unpinned.length)), false))).allowed()).as(String.join(" ", unpinned)).isFalse();
        }
        for (String[] pinned : List.of(new String[] {"npx", "-y", "@acme/server@1.2.3"}, new String[] {"uvx", "mcp-server-git==0.6.2"},
                new String[] {"node", "server.js"})) {
            assertThat(p.plugin(plugin("demo", "fx", "1.0.0", pluginWith(server(pinned[0],
                    java.util.Arrays.copyOfRange(pinned, 1, pinned.length)), false))).allowed()).as(String.join(" ", pinned)).isTrue();
        }
    }

    @Test
    void remoteMcpHostsAndHttpsOnly() throws Exception {
        Policy p = policy("[mcp]\nallow-hosts = [\"*.example.test\"]\ndeny-hosts = [\"bad.example.test\"]\nhttps-only = true\n");
        String ok = "{\"mcpServers\": {\"r\": {\"url\": \"https://mcp.example.test/sse\"}}}";
        assertThat(p.plugin(plugin("demo", "fx", "1.0.0", pluginWith(ok, false))).allowed()).isTrue();
        assertThat(p.plugin(plugin("demo", "fx", "1.0.0", pluginWith(ok.replace("https:", "http:"), false))).violations())
                .singleElement().satisfies(v -> assertThat(v.rule()).isEqualTo("mcp.https-only = true"));
        assertThat(p.plugin(plugin("demo", "fx", "1.0.0", pluginWith(ok.replace("mcp.", "bad."), false))).allowed()).isFalse();
        assertThat(p.plugin(plugin("demo", "fx", "1.0.0", pluginWith(ok.replace("mcp.example.test", "evil.test"), false))).allowed()).isFalse();
    }

    @Test
    void hooksCanBeRefused() throws Exception {
        Policy p = policy("[hooks]\nallow = false\n");
        assertThat(p.plugin(plugin("demo", "fx", "1.0.0", pluginWith(null, true))).violations()).singleElement()
                .satisfies(v -> assertThat(v.line()).contains("it has hooks (PreToolUse)"));
        assertThat(p.plugin(plugin("demo", "fx", "1.0.0", pluginWith(null, false))).allowed()).isTrue();
        assertThat(policy("[hooks]\nallow = true\n").plugin(plugin("demo", "fx", "1.0.0", pluginWith(null, true))).allowed()).isTrue();
    }

    @Test
    void aLowerLevelCannotLoosenAHigherOnesDenyOrAllowList() throws Exception {
        PolicyFile org = file(PolicyFile.Level.ORGANISATION, "org.toml", "[plugins]\ndeny = [\"evil-*\"]\nallow = [\"evil-*\", \"good-*\"]\n");
        PolicyFile project = file(PolicyFile.Level.PROJECT, "cxpm-policy.toml", "[plugins]\nallow = [\"*\"]\n[hooks]\nallow = true\n");
        Policy p = new Policy(List.of(org, project), List.of());
        assertThat(p.plugin(plugin("evil-tool", "fx", null, null)).violations()).extracting(Violation::rule).containsExactly("plugins.deny \"evil-*\"");
        assertThat(p.plugin(plugin("other", "fx", null, null)).violations()).extracting(Violation::rule)
                .containsExactly("plugins.allow of the organisation policy");
        assertThat(p.plugin(plugin("good-x", "fx", null, null)).allowed()).isTrue();
        PolicyFile user = file(PolicyFile.Level.USER, "user.toml", "[hooks]\nallow = false\n");
        assertThat(new Policy(List.of(user, project), List.of()).plugin(plugin("demo", "fx", "1.0.0", pluginWith(null, true))).allowed()).isFalse();
    }

    @Test
    void minimumReleaseAgeIsParsedAndTheLongestWins() throws Exception {
        PolicyFile a = file(PolicyFile.Level.ORGANISATION, "a.toml", "min-release-age = \"3d\"\n");
        PolicyFile b = file(PolicyFile.Level.PROJECT, "b.toml", "min-release-age = \"2w\"\n");
        assertThat(new Policy(List.of(a, b), List.of()).minReleaseAge()).contains(Duration.ofDays(14));
        assertThat(new Policy(List.of(a), List.of()).minReleaseAge()).contains(Duration.ofDays(3));
        assertThat(Policy.NONE.minReleaseAge()).isEmpty();
        assertThat(PolicyFile.parseAge("90m")).contains(Duration.ofMinutes(90));
        assertThat(PolicyFile.parseAge("12h")).contains(Duration.ofHours(12));
        assertThat(PolicyFile.parseAge("30s")).contains(Duration.ofSeconds(30));
        assertThat(PolicyFile.parseAge("3 days")).isEmpty();
    }

    @Test
    void everyProblemOfAMalformedFileIsReportedTogetherWithItsLine() throws Exception {
        Path f = dir.resolve("policy.toml");
        Files.writeString(f, """
                min-release-age = "3 days"
                [plugins]
                deyn = ["evil-*"]
                allow = "github"
                [mcp]
                https-only = "yes"
                [hooks]
                allow = false
                """);
        assertThatThrownBy(() -> PolicyFile.read(PolicyFile.Level.USER, f)).isInstanceOfSatisfying(UserError.class, e -> {
            assertThat(e.kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
            assertThat(e.getMessage()).contains(f + ":1: min-release-age must be a number and a unit")
                    .contains(f + ":3: unknown key `plugins.deyn`")
                    .contains(f + ":4: plugins.allow must be a list of strings")
                    .contains(f + ":6: mcp.https-only must be true or false");
        });
        Files.writeString(f, "[plugins\n");
        assertThatThrownBy(() -> PolicyFile.read(PolicyFile.Level.USER, f)).isInstanceOfSatisfying(UserError.class,
                e -> assertThat(e.getMessage()).contains(f.toString()).contains("1"));
    }

    @Test
    void namesFromAPluginsFilesReachMessagesWithoutTerminalEscapes() throws Exception {
        Policy p = policy("[mcp]\nallow-commands = [\"node\"]\n");
        String mcp = "{\"mcpServers\": {\"s\\u001b]0;pwned\\u0007\": {\"command\": \"evil\\u001b[2J\"}}}";
        assertThat(p.plugin(plugin("demo", "fx", "1.0.0", pluginWith(mcp, false))).violations()).singleElement()
                .satisfies(v -> assertThat(v.line()).doesNotContain("\u001b").doesNotContain("\u0007").contains("s?]0;pwned?"));
    }

    @Test
    void patternsThatWouldMakeMatchingSlowAreRefused() throws Exception {
        Path f = dir.resolve("policy.toml");
        Files.writeString(f, "[plugins]\ndeny = [\"" + "*a".repeat(20) + "\"]\n");
        assertThatThrownBy(() -> PolicyFile.read(PolicyFile.Level.PROJECT, f)).isInstanceOfSatisfying(UserError.class,
                e -> assertThat(e.getMessage()).contains(f + ":2: plugins.deny holds a pattern over 512 characters or with more than 8 `*`"));
    }
}
