package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.testkit.CodexClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** npm plugin sources against a tiny npm registry on 127.0.0.1, named in the user's ~/.npmrc. */
class NpmSourceInstallTest {

    @TempDir
    Path tmp;
    HttpServer server;
    final Map<String, byte[]> routes = new ConcurrentHashMap<>();
    Map<String, String> env;
    Path codexHome;
    Path home;
    String registry;

    @BeforeEach
    void setUp() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body = routes.get(ex.getRequestURI().getRawPath());
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
        registry = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        codexHome = tmp.resolve("codex-home");
        home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(home.resolve(".npmrc"), "registry=" + registry + "\n");
        env = Fixtures.env(codexHome, home);
        Path mk = tmp.resolve("mk");
        Files.createDirectories(mk.resolve(".agents/plugins"));
        Files.writeString(mk.resolve(".agents/plugins/marketplace.json"), """
                {"name": "fx", "plugins": [{"name": "demo", "source": {"source": "npm", "package": "@team/demo-plugin", "version": "^1.0.0"}}]}
                """);
        assertThat(CliRun.in(tmp, env, "marketplace", "add", "mk").exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void publish(String version, byte[] tgz, String integrity) {
        String tarball = registry + "@team/demo-plugin/-/demo-plugin-" + version + ".tgz";
        routes.put("/@team/demo-plugin/-/demo-plugin-" + version + ".tgz", tgz);
        routes.put("/@team%2Fdemo-plugin", ("{\"name\": \"@team/demo-plugin\", \"dist-tags\": {\"latest\": \"" + version + "\"},"
                + " \"versions\": {\"" + version + "\": {\"dist\": {\"tarball\": \"" + tarball + "\", \"integrity\": \"" + integrity + "\"}}}}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private Packer.Result packPlugin(String version) throws IOException {
        Path p = Fixtures.plugin(tmp.resolve("src-" + version), "{\"name\": \"demo\", \"version\": \"" + version + "\"}");
        return new Packer().pack(p, tmp.resolve("demo-" + version + ".tgz"));
    }

    @Test
    void npmSourceIsFetchedFromTheNpmrcRegistryAndCodexSeesItInstalled() throws Exception {
        Packer.Result packed = packPlugin("1.2.0");
        publish("1.2.0", Files.readAllBytes(packed.file()), packed.integrity().toString());
        CliRun r = CliRun.in(tmp, env, "install", "demo@fx", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(codexHome.resolve("plugins/cache/fx/demo/1.2.0/skills/hello/SKILL.md")).exists();
        assertThat(new CodexClient(codexHome, home).run("plugin", "list", "--json").stdout())
                .contains("\"pluginId\": \"demo@fx\"", "\"version\": \"1.2.0\"", "\"enabled\": true");
    }

    @Test
    void integrityMismatchIsRefusedAndNothingIsInstalled() throws Exception {
        Packer.Result packed = packPlugin("1.2.0");
        Packer.Result other = packPlugin("1.3.0");
        publish("1.2.0", Files.readAllBytes(packed.file()), other.integrity().toString());
        CliRun r = CliRun.in(tmp, env, "install", "demo@fx");
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.stderr()).contains("integrity mismatch");
        assertThat(codexHome.resolve("plugins/cache/fx/demo")).doesNotExist();
    }

    @Test
    void corruptArchiveIsRefused() {
        byte[] junk = "this is not a gzip file".getBytes(StandardCharsets.UTF_8);
        publish("1.2.0", junk, dev.cxpm.core.pack.Integrity.sha512(junk).toString());
        CliRun r = CliRun.in(tmp, env, "install", "demo@fx");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(codexHome.resolve("plugins/cache/fx/demo")).doesNotExist();
    }

    @Test
    void archiveEscapingItsDirectoryIsRefusedBeforeWriting() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            byte[] evil = "pwned".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("package/../../evil.txt");
            e.setSize(evil.length);
            tar.putArchiveEntry(e);
            tar.write(evil);
            tar.closeArchiveEntry();
        }
        byte[] tgz = bytes.toByteArray();
        publish("1.2.0", tgz, dev.cxpm.core.pack.Integrity.sha512(tgz).toString());
        CliRun r = CliRun.in(tmp, env, "install", "demo@fx");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
        assertThat(codexHome.resolve("plugins/evil.txt")).doesNotExist();
    }

    @Test
    void pinnedNpmVersionIsInstalledAgainFromTheStoreWithoutNetwork() throws Exception {
        Files.writeString(tmp.resolve("mk/.agents/plugins/marketplace.json"), """
                {"name": "fx", "plugins": [{"name": "demo", "source": {"source": "npm", "package": "@team/demo-plugin", "version": "1.2.0"}}]}
                """);
        Packer.Result packed = packPlugin("1.2.0");
        publish("1.2.0", Files.readAllBytes(packed.file()), packed.integrity().toString());
        assertThat(CliRun.in(tmp, env, "install", "demo@fx").exitCode()).isZero();
        assertThat(CliRun.in(tmp, env, "uninstall", "demo@fx").exitCode()).isZero();
        server.stop(0);
        CliRun again = CliRun.in(tmp, env, "install", "demo@fx", "--json");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout()).contains("\"origin\": \"store\"");
        assertThat(codexHome.resolve("plugins/cache/fx/demo/1.2.0/skills/hello/SKILL.md")).exists();
    }

    @Test
    void rangeSourceFallsBackToTheStoreWhenTheRegistryIsDown() throws Exception {
        Packer.Result packed = packPlugin("1.2.0");
        publish("1.2.0", Files.readAllBytes(packed.file()), packed.integrity().toString());
        assertThat(CliRun.in(tmp, env, "install", "demo@fx").exitCode()).isZero();
        CliRun.in(tmp, env, "uninstall", "demo@fx");
        server.stop(0);
        CliRun again = CliRun.in(tmp, env, "install", "demo@fx", "--json");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout()).contains("\"origin\": \"store-offline\"");
        assertThat(again.stderr()).contains("installed the copy kept in the cxpm store");
    }

    @Test
    void unreachableRegistryIsANetworkError() throws Exception {
        server.stop(0);
        CliRun r = CliRun.in(tmp, env, "install", "demo@fx");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stderr()).contains("cannot reach the npm registry");
    }

    @Test
    void syncLocksAnNpmSourceToItsPackageVersionAndReproducesItOfflineFromTheStore() throws Exception {
        Packer.Result v12 = packPlugin("1.2.0");
        publish("1.2.0", Files.readAllBytes(v12.file()), v12.integrity().toString());
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\nfx = \"../mk\"\n\n[plugins]\ndemo = \"^1\"\n");

        CliRun sync = CliRun.in(project, env, "sync");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        String lock = Files.readString(project.resolve("cxpm.lock"));
        assertThat(lock).contains("version = \"1.2.0\"", "source = \"npm+@team/demo-plugin@1.2.0\"");
        assertThat(new CodexClient(codexHome, home).run("plugin", "list", "--json").stdout())
                .contains("\"pluginId\": \"demo@fx\"", "\"version\": \"1.2.0\"", "\"enabled\": true");

        // A newer package: the lockfile holds the team at 1.2.0 until someone runs update.
        Packer.Result v13 = packPlugin("1.3.0");
        publish("1.3.0", Files.readAllBytes(v13.file()), v13.integrity().toString());
        assertThat(CliRun.in(project, env, "sync", "--frozen").stdout()).startsWith("Already in sync");
        CliRun update = CliRun.in(project, env, "update");
        assertThat(update.exitCode()).as(update.stderr()).isZero();
        assertThat(Files.readString(project.resolve("cxpm.lock"))).contains("source = \"npm+@team/demo-plugin@1.3.0\"");
        assertThat(codexHome.resolve("plugins/cache/fx/demo/1.3.0/skills/hello/SKILL.md")).exists();

        // The npm registry gone: another Codex home syncs the locked package from the store alone.
        server.stop(0);
        Map<String, String> other = new java.util.HashMap<>(Fixtures.env(tmp.resolve("codex-home-2"), home));
        CliRun offline = CliRun.in(project, other, "sync", "--frozen");
        assertThat(offline.exitCode()).as(offline.stderr()).isZero();
        assertThat(TeamFixture.tree(tmp.resolve("codex-home-2/plugins/cache/fx/demo/1.3.0")))
                .isEqualTo(TeamFixture.tree(codexHome.resolve("plugins/cache/fx/demo/1.3.0")));
    }
}
