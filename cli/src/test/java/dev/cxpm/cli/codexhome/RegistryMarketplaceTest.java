package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import dev.cxpm.testkit.CodexClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cxpm registry as a marketplace source: a real {@link RegistryServer} on 127.0.0.1 with real
 * published blobs, added with {@code cxpm marketplace add URL}, resolved against every published
 * version through its JSON API, and seen by the real Codex CLI through the git view config.toml names.
 */
class RegistryMarketplaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path data;
    Path codexHome;
    Path home;
    Map<String, String> env;
    Registry registry;
    RegistryServer server;
    String url;

    @BeforeEach
    void start() throws Exception {
        data = tmp.resolve("data");
        registry = Registry.embedded(data, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        url = server.url().toString();
        codexHome = tmp.resolve("codex-home");
        home = tmp.resolve("home");
        env = new HashMap<>(Fixtures.env(codexHome, home));
        CliRun token = cxpm("token", "create", "--data", data.toString());
        assertThat(token.exitCode()).as(token.stderr()).isZero();
        CliRun login = cxpm("login", "--registry", url, "--token", token.stdout().strip());
        assertThat(login.exitCode()).as(login.stderr()).isZero();
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    CliRun cxpm(String... args) {
        return CliRun.in(tmp, env, args);
    }

    void publish(String name, String version) throws IOException {
        Path dir = tmp.resolve("src").resolve(name + "-" + version);
        Fixtures.plugin(dir, "{\"name\": \"" + name + "\", \"version\": \"" + version + "\", \"description\": \"The " + name
                + " plugin, version " + version + "\"}");
        CliRun r = cxpm("publish", dir.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
    }

    void addRegistry() {
        CliRun add = cxpm("marketplace", "add", url);
        assertThat(add.exitCode()).as(add.stderr()).isZero();
    }

    Path installed(String plugin, String version) {
        return codexHome.resolve("plugins/cache/cxpm-registry").resolve(plugin).resolve(version);
    }

    @Test
    void registryUrlIsAddedAsARegistryAndRecordedForCodexAsItsGitView() throws Exception {
        publish("demo", "1.0.0");
        CliRun add = cxpm("marketplace", "add", url, "--json");
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        JsonNode j = JSON.readTree(add.stdout());
        assertThat(j.path("marketplaceName").asText()).isEqualTo("cxpm-registry");
        assertThat(j.path("registry").asText()).isEqualTo(url);
        assertThat(Files.readString(codexHome.resolve("config.toml")))
                .isEqualTo("[marketplaces.cxpm-registry]\nsource_type = \"git\"\nsource = \"" + url + "/codex/marketplace.git\"\n");

        CodexClient codex = new CodexClient(codexHome, home);
        CodexClient.Result list = codex.run("plugin", "marketplace", "list");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.output()).contains("cxpm-registry");

        JsonNode mine = JSON.readTree(cxpm("marketplace", "list", "--json").stdout()).path("marketplaces").get(0);
        assertThat(mine.path("registry").asText()).isEqualTo(url);
        assertThat(mine.path("plugins").asInt()).isEqualTo(1);
        assertThat(cxpm("marketplace", "list").stdout()).contains("cxpm-registry", "registry");
    }

    @Test
    void installResolvesRangesAgainstEveryPublishedVersionNotJustTheLatest() throws Exception {
        publish("demo", "1.0.0");
        publish("demo", "1.1.0");
        publish("demo", "2.0.0");
        addRegistry();

        CliRun r = cxpm("install", "demo@cxpm-registry", "--version", "^1", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(JSON.readTree(r.stdout()).path("version").asText()).isEqualTo("1.1.0");
        assertThat(installed("demo", "1.1.0").resolve("skills/hello/SKILL.md")).exists();

        CliRun older = cxpm("install", "demo@cxpm-registry", "--version", "~1.0.0");
        assertThat(older.exitCode()).as(older.stderr()).isZero();
        assertThat(installed("demo", "1.0.0")).isDirectory();
        assertThat(installed("demo", "1.1.0")).doesNotExist();

        assertThat(cxpm("install", "demo@cxpm-registry").exitCode()).isZero();
        assertThat(installed("demo", "2.0.0")).isDirectory();

        CliRun none = cxpm("install", "demo@cxpm-registry", "--version", "^3");
        assertThat(none.exitCode()).isEqualTo(3);
        assertThat(none.stderr()).contains("no version of demo@cxpm-registry matches ^3", "1.0.0, 1.1.0, 2.0.0");
        assertThat(installed("demo", "2.0.0")).isDirectory();
    }

    @Test
    void yankedVersionsAreSkippedByNewResolutionAndShownByInfo() throws Exception {
        publish("demo", "1.0.0");
        publish("demo", "1.1.0");
        assertThat(cxpm("yank", "demo@1.1.0").exitCode()).isZero();
        assertThat(cxpm("deprecate", "demo@1.0.0", "use 2.x").exitCode()).isZero();
        addRegistry();

        CliRun r = cxpm("install", "demo@cxpm-registry", "--version", "^1", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(JSON.readTree(r.stdout()).path("version").asText()).isEqualTo("1.0.0");

        CliRun info = cxpm("info", "demo@cxpm-registry");
        assertThat(info.exitCode()).as(info.stderr()).isZero();
        assertThat(info.stdout()).contains("registry " + url, "versions (2, index fetched", "1.0.0  [deprecated: use 2.x]", "1.1.0  [yanked]");
        JsonNode j = JSON.readTree(cxpm("info", "demo@cxpm-registry", "--json").stdout()).path("plugins").get(0);
        assertThat(j.path("versionsAvailable").toString()).isEqualTo("[\"1.0.0\"]");
        assertThat(j.path("versions").get(1).path("yanked").asBoolean()).isTrue();
        assertThat(j.path("versions").get(0).path("integrity").asText()).startsWith("sha512-");
    }

    @Test
    void searchFindsRegistryPlugins() throws Exception {
        publish("demo", "1.0.0");
        publish("other", "0.1.0");
        addRegistry();
        CliRun s = cxpm("search", "demo", "--json");
        assertThat(s.exitCode()).as(s.stderr()).isZero();
        JsonNode results = JSON.readTree(s.stdout()).path("results");
        assertThat(results).hasSize(1);
        assertThat(results.get(0).path("pluginId").asText()).isEqualTo("demo@cxpm-registry");
        assertThat(results.get(0).path("version").asText()).isEqualTo("1.0.0");
    }

    @Test
    void tamperedBlobIsRefusedWithExitFiveAndTheInstalledVersionStays() throws Exception {
        publish("demo", "1.0.0");
        publish("demo", "1.1.0");
        addRegistry();
        assertThat(cxpm("install", "demo@cxpm-registry", "--version", "1.0.0").exitCode()).isZero();
        String config = Files.readString(codexHome.resolve("config.toml"));
        JsonNode v11 = JSON.readTree(cxpm("info", "demo@cxpm-registry", "--json").stdout()).path("plugins").get(0).path("versions").get(1);
        String hex = java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(v11.path("integrity").asText().substring(7)));
        Path blob = data.resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex + ".tgz");
        assertThat(blob).exists();
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(blob, bytes);

        CliRun r = cxpm("install", "demo@cxpm-registry", "--version", "1.1.0");
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.stderr()).contains("does not match its integrity", url);
        assertThat(installed("demo", "1.0.0").resolve(".codex-plugin/plugin.json")).exists();
        assertThat(installed("demo", "1.1.0")).doesNotExist();
        assertThat(Files.readString(codexHome.resolve("config.toml"))).isEqualTo(config);
        try (Stream<Path> s = Files.walk(home.resolve(".cache/cxpm/store"))) {
            assertThat(s.filter(p -> p.getFileName().toString().contains(hex))).isEmpty();
        }
    }

    @Test
    void installWorksOfflineFromCachedIndexAndStoreAfterTheServerStops() throws Exception {
        publish("demo", "1.0.0");
        addRegistry();
        assertThat(cxpm("install", "demo@cxpm-registry").exitCode()).isZero();
        assertThat(cxpm("uninstall", "demo@cxpm-registry").exitCode()).isZero();
        server.close();

        CliRun r = cxpm("install", "demo@cxpm-registry", "--version", "^1", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(JSON.readTree(r.stdout()).path("origin").asText()).isEqualTo("store-offline");
        assertThat(r.stderr()).contains("installed the copy kept in the cxpm store");
        assertThat(installed("demo", "1.0.0").resolve("skills/hello/SKILL.md")).exists();

        CliRun info = cxpm("info", "demo@cxpm-registry");
        assertThat(info.exitCode()).as(info.stderr()).isZero();
        assertThat(info.stdout()).contains("index cached", "the registry could not be reached", "1.0.0");
    }

    @Test
    void unreachableRegistryIsExitFourNamingTheUrlAndNotFoundPluginIsExitThree() throws Exception {
        publish("demo", "1.0.0");
        addRegistry();
        CliRun missing = cxpm("install", "nosuch@cxpm-registry");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.stderr()).contains("nosuch");

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + port;
        CliRun add = cxpm("marketplace", "add", dead);
        assertThat(add.exitCode()).isEqualTo(4);
        assertThat(add.stderr()).contains(dead);

        server.close();
        CliRun install = cxpm("install", "demo@cxpm-registry");
        assertThat(install.exitCode()).isEqualTo(4);
        assertThat(install.stderr()).contains(url);
        assertThat(codexHome.resolve("plugins/cache/cxpm-registry/demo")).doesNotExist();
    }

    @Test
    void httpGitUrlThatIsNotARegistryIsStillClonedAsGit() throws Exception {
        // a plain web server serving a bare repository over git's dumb HTTP protocol: the probe gets a 404
        Path mk = Fixtures.marketplace(tmp.resolve("plain"), "plain", "demo", "1.0.0");
        Fixtures.git(mk, "init", "-q", "-b", "main");
        Fixtures.commitAll(mk, "initial");
        Path bare = tmp.resolve("served/repo");
        Fixtures.git(tmp, "clone", "-q", "--bare", mk.toString(), bare.toString());
        Fixtures.git(bare, "update-server-info");
        com.sun.net.httpserver.HttpServer web = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 8);
        web.createContext("/", ex -> {
            Path f = tmp.resolve("served").resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            byte[] body = f.startsWith(tmp.resolve("served")) && Files.isRegularFile(f) ? Files.readAllBytes(f) : null;
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        web.start();
        try {
            String gitUrl = "http://127.0.0.1:" + web.getAddress().getPort() + "/repo";
            CliRun add = cxpm("marketplace", "add", gitUrl, "--json");
            assertThat(add.exitCode()).as(add.stderr()).isZero();
            assertThat(JSON.readTree(add.stdout()).has("registry")).isFalse();
            assertThat(Files.readString(codexHome.resolve("config.toml"))).contains("source = \"" + gitUrl + "\"");
            assertThat(cxpm("install", "demo@plain").exitCode()).isZero();
            assertThat(codexHome.resolve("plugins/cache/plain/demo/1.0.0")).isDirectory();
        } finally {
            web.stop(0);
        }
    }

    @Test
    void removeForgetsTheRegistryAndUpdateRefreshesItsIndexes() throws Exception {
        publish("demo", "1.0.0");
        addRegistry();
        publish("demo", "1.1.0");
        CliRun up = cxpm("marketplace", "update", "cxpm-registry");
        assertThat(up.exitCode()).as(up.stderr()).isZero();
        assertThat(cxpm("info", "demo@cxpm-registry").stdout()).contains("1.1.0");
        assertThat(cxpm("search", "demo").stdout()).contains("1.1.0");

        CliRun rm = cxpm("marketplace", "remove", "cxpm-registry");
        assertThat(rm.exitCode()).as(rm.stderr()).isZero();
        assertThat(codexHome.resolve(".cxpm/registries/cxpm-registry")).doesNotExist();
        assertThat(cxpm("marketplace", "list").stdout()).doesNotContain("cxpm-registry");
    }

    @Test
    void codexSeesAPluginCxpmInstalledFromTheRegistryInstalledAndEnabled() throws Exception {
        publish("demo", "1.0.0");
        publish("demo", "2.0.0");
        addRegistry();
        CliRun r = cxpm("install", "demo@cxpm-registry", "--version", "^1");
        assertThat(r.exitCode()).as(r.stderr()).isZero();

        CodexClient codex = new CodexClient(codexHome, home);
        CodexClient.Result list = codex.run("plugin", "list", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        JsonNode installedList = JSON.readTree(list.stdout()).path("installed");
        assertThat(installedList).hasSize(1);
        assertThat(installedList.get(0).path("pluginId").asText()).isEqualTo("demo@cxpm-registry");
        assertThat(installedList.get(0).path("version").asText()).isEqualTo("1.0.0");
        assertThat(installedList.get(0).path("enabled").asBoolean()).isTrue();
    }

    @Test
    void projectLocksRegistryPluginsByRangeAndSyncsThemOnOtherHomesEvenYankedAndOffline() throws Exception {
        publish("demo", "1.0.0");
        publish("demo", "1.1.0");
        publish("demo", "2.0.0");
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\ncxpm-registry = \"" + url + "\"\n\n[plugins]\ndemo = \"^1\"\n");

        CliRun sync = CliRun.in(project, env, "sync");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        String lock = Files.readString(project.resolve("cxpm.lock"));
        assertThat(lock).contains("version = \"1.1.0\"", "marketplace = \"cxpm-registry\"", "source = \"registry+" + url + "/api/v1/blobs/");
        JsonNode codexList = JSON.readTree(new CodexClient(codexHome, home).run("plugin", "list", "--json").stdout()).path("installed");
        assertThat(codexList).hasSize(1);
        assertThat(codexList.get(0).path("pluginId").asText()).isEqualTo("demo@cxpm-registry");
        assertThat(codexList.get(0).path("version").asText()).isEqualTo("1.1.0");

        // Yanked after locking: new resolution skips it, the lockfile still gets it, on a teammate's empty home and store.
        assertThat(cxpm("yank", "demo@1.1.0").exitCode()).isZero();
        Map<String, String> teammate = new HashMap<>(Fixtures.env(tmp.resolve("codex-home-2"), tmp.resolve("home-2")));
        teammate.put("CXPM_STORE", tmp.resolve("store-2").toString());
        CliRun frozen = CliRun.in(project, teammate, "sync", "--frozen");
        assertThat(frozen.exitCode()).as(frozen.stderr()).isZero();
        assertThat(TeamFixture.tree(tmp.resolve("codex-home-2/plugins/cache/cxpm-registry/demo/1.1.0")))
                .isEqualTo(TeamFixture.tree(installed("demo", "1.1.0")));
        assertThat(Files.readString(project.resolve("cxpm.lock"))).isEqualTo(lock);

        CliRun outdated = CliRun.in(project, env, "outdated", "--json");
        assertThat(outdated.exitCode()).as("2.0.0 is newer than the locked 1.1.0: " + outdated.stderr()).isEqualTo(1);
        assertThat(outdated.stdout()).contains("\"latest\"").contains("2.0.0");
        CliRun update = CliRun.in(project, env, "update");
        assertThat(update.exitCode()).as(update.stderr()).isZero();
        assertThat(Files.readString(project.resolve("cxpm.lock"))).contains("version = \"1.0.0\"").doesNotContain("1.1.0");
        assertThat(installed("demo", "1.0.0")).isDirectory();

        // The registry gone: a third home syncs from the store, offline.
        server.close();
        Map<String, String> offline = new HashMap<>(Fixtures.env(tmp.resolve("codex-home-3"), tmp.resolve("home-3")));
        offline.put("CXPM_STORE", home.resolve(".cache/cxpm/store").toString()); // the first home's warm store
        CliRun fromStore = CliRun.in(project, offline, "sync", "--frozen");
        assertThat(fromStore.exitCode()).as(fromStore.stderr()).isZero();
        assertThat(TeamFixture.tree(tmp.resolve("codex-home-3/plugins/cache/cxpm-registry/demo/1.0.0")))
                .isEqualTo(TeamFixture.tree(installed("demo", "1.0.0")));
    }

    @Test
    void syncOfATamperedRegistryBlobIsExitFiveAndAnUnreachableRegistryWithNothingCachedIsExitFour() throws Exception {
        publish("demo", "1.0.0");
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\ncxpm-registry = \"" + url + "\"\n\n[plugins]\ndemo = \"^1\"\n");
        assertThat(CliRun.in(project, env, "sync").exitCode()).isZero();
        String lock = Files.readString(project.resolve("cxpm.lock"));

        // The registry's copy altered after locking: a teammate's empty store downloads it, and nothing is installed.
        String hex = lock.replaceAll("(?s).*/api/v1/blobs/([0-9a-f]+).*", "$1");
        Path blob = data.resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex + ".tgz");
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(blob, bytes);
        Map<String, String> teammate = new HashMap<>(Fixtures.env(tmp.resolve("codex-home-2"), tmp.resolve("home-2")));
        CliRun tampered = CliRun.in(project, teammate, "sync", "--frozen");
        assertThat(tampered.exitCode()).as(tampered.stderr()).isEqualTo(5);
        assertThat(tampered.stderr()).contains("does not match its integrity");
        assertThat(tmp.resolve("codex-home-2/plugins/cache/cxpm-registry/demo")).doesNotExist();
        assertThat(Files.readString(project.resolve("cxpm.lock"))).isEqualTo(lock);

        // No registry and nothing in the store or the index cache: a network error naming the registry.
        server.close();
        Map<String, String> third = new HashMap<>(Fixtures.env(tmp.resolve("codex-home-3"), tmp.resolve("home-3")));
        CliRun unreachable = CliRun.in(project, third, "sync", "--frozen");
        assertThat(unreachable.exitCode()).as(unreachable.stderr()).isEqualTo(4);
        assertThat(unreachable.stderr()).contains("127.0.0.1").doesNotContain("Exception");
        assertThat(tmp.resolve("codex-home-3/plugins")).doesNotExist();
    }

    @Test
    void addDeclaresARegistryByItsUrlAndATeammateSyncsIt() throws Exception {
        publish("demo", "1.0.0");
        addRegistry();
        Path project = Files.createDirectories(tmp.resolve("project"));
        CliRun add = CliRun.in(project, env, "add", "demo@cxpm-registry");
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        assertThat(Files.readString(project.resolve("cxpm.toml"))).contains("cxpm-registry = \"" + url + "\"")
                .contains("demo = { version = \"^1.0.0\", marketplace = \"cxpm-registry\" }");
        Map<String, String> teammate = new HashMap<>(Fixtures.env(tmp.resolve("codex-home-2"), tmp.resolve("home-2")));
        CliRun sync = CliRun.in(project, teammate, "sync", "--frozen");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(tmp.resolve("codex-home-2/plugins/cache/cxpm-registry/demo/1.0.0/skills/hello/SKILL.md")).exists();
    }
}
