package dev.cxpm.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's client commands against a real server on 127.0.0.1, and {@code cxpm serve} as a real process. */
class RegistryCommandsTest {

    @TempDir
    Path tmp;
    Path data;
    Registry registry;
    RegistryServer server;
    String url;

    @BeforeEach
    void start() throws Exception {
        data = tmp.resolve("data");
        registry = Registry.embedded(data, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        url = server.url().toString();
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    Path plugin(String name, String version) throws Exception {
        Path dir = tmp.resolve(name + "-" + version);
        Files.createDirectories(dir.resolve(".codex-plugin"));
        Files.writeString(dir.resolve(".codex-plugin/plugin.json"),
                "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"description\":\"Test plugin.\"}");
        Files.createDirectories(dir.resolve("skills/hi"));
        Files.writeString(dir.resolve("skills/hi/SKILL.md"), "---\nname: hi\ndescription: Greets.\n---\n");
        return dir;
    }

    String adminToken() {
        CliRun r = CliRun.in(tmp, "token", "create", "--data", data.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().strip();
    }

    CliRun login(String token) {
        return CliRun.in(tmp, "login", "--registry", url, "--token", token);
    }

    @Test
    void tokenCreatedOfflineOnTheDataDirLogsInAndPublishesADirectory() throws Exception {
        String token = adminToken();
        assertThat(token).startsWith("cxpm_");
        CliRun in = login(token);
        assertThat(in.exitCode()).as(in.stderr()).isZero();
        assertThat(in.stdout()).contains("as admin");

        CliRun pub = CliRun.in(tmp, "publish", plugin("hello", "1.0.0").toString(), "--json");
        assertThat(pub.exitCode()).as(pub.stderr()).isZero();
        JsonNode j = new ObjectMapper().readTree(pub.stdout());
        assertThat(j.path("name").asText()).isEqualTo("hello");
        assertThat(j.path("integrity").asText()).startsWith("sha512-");
        assertThat(registry.index("hello")).isPresent();
    }

    @Test
    void versionRefusesABumpSmallerThanTheChangesSinceThePublishedVersion() throws Exception {
        login(adminToken());
        Path dir = plugin("hello", "1.0.0");
        assertThat(CliRun.in(tmp, "publish", dir.toString()).exitCode()).isZero();
        assertThat(dir.resolve(".cxpm/last-release.json")).content().contains("\"publishedTo\" : \"" + url);
        Files.createDirectories(dir.resolve("skills/bye"));
        Files.writeString(dir.resolve("skills/bye/SKILL.md"), "---\nname: bye\ndescription: Says bye.\n---\n");
        deleteTree(dir.resolve("skills/hi"));

        CliRun minor = CliRun.in(tmp, "version", "minor", dir.toString());
        assertThat(minor.exitCode()).as(minor.stderr()).isEqualTo(1);
        assertThat(minor.stderr()).contains("removing skill `hi` is a breaking change since 1.0.0: use 2.0.0, not 1.1.0")
                .contains("1.0.0 was published to " + url);
        CliRun major = CliRun.in(tmp, "version", "2.0.0", dir.toString());
        assertThat(major.stderr()).doesNotContain("warning");
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    @Test
    void credentialsFileIsPrivate() throws Exception {
        login(adminToken());
        Path creds = tmp.resolve("home/.config/cxpm/credentials.toml");
        assertThat(Files.getPosixFilePermissions(creds)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(creds)).contains("[registries.\"" + url + "\"]");
    }

    @Test
    void loginWithAWrongTokenFailsAndSavesNothing() {
        CliRun r = login("cxpm_wrong");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("refused the token").contains("hint: cxpm login");
        assertThat(tmp.resolve("home/.config/cxpm/credentials.toml")).doesNotExist();
    }

    @Test
    void publishWithoutLoginIsAUsageErrorNamingTheFix() throws Exception {
        CliRun r = CliRun.in(tmp, "publish", plugin("hello", "1.0.0").toString(), "--registry", url);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("not logged in").contains("cxpm login --registry " + url);
    }

    @Test
    void republishingIsAConflictAndAnInvalidPluginShowsEveryProblem() throws Exception {
        login(adminToken());
        Path dir = plugin("hello", "1.0.0");
        assertThat(CliRun.in(tmp, "publish", dir.toString()).exitCode()).isZero();
        CliRun again = CliRun.in(tmp, "publish", dir.toString());
        assertThat(again.exitCode()).isEqualTo(6);
        assertThat(again.stderr()).contains("already published");

        Path bad = plugin("bad", "1.0.0");
        Files.writeString(bad.resolve(".codex-plugin/plugin.json"), "{\"name\":\"bad\",\"version\":\"v1\"}");
        CliRun r = CliRun.in(tmp, "publish", bad.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("version.not-semver").contains("missing-description");
    }

    @Test
    void yankAndUndoThroughTheCli() throws Exception {
        login(adminToken());
        CliRun.in(tmp, "publish", plugin("hello", "1.0.0").toString());
        CliRun y = CliRun.in(tmp, "yank", "hello@1.0.0");
        assertThat(y.exitCode()).as(y.stderr()).isZero();
        assertThat(registry.versions("hello").get(0).yanked()).isTrue();
        assertThat(CliRun.in(tmp, "yank", "hello@1.0.0", "--undo").exitCode()).isZero();
        assertThat(registry.versions("hello").get(0).yanked()).isFalse();
        assertThat(CliRun.in(tmp, "yank", "hello@9.9.9").exitCode()).isEqualTo(3);
        assertThat(CliRun.in(tmp, "yank", "hello").exitCode()).isEqualTo(2);
    }

    @Test
    void scopedTokenMadeThroughTheApiCanOnlyPublishItsPlugin() throws Exception {
        login(adminToken());
        CliRun t = CliRun.in(tmp, "token", "create", "--scope", "publish:only-this", "--user", "ci");
        assertThat(t.exitCode()).as(t.stderr()).isZero();
        Map<String, String> ci = Map.of("CXPM_TOKEN", t.stdout().strip(), "CXPM_REGISTRY", url);
        assertThat(CliRun.in(tmp, ci, "publish", plugin("only-this", "1.0.0").toString()).exitCode()).isZero();
        CliRun other = CliRun.in(tmp, ci, "publish", plugin("something-else", "1.0.0").toString());
        assertThat(other.exitCode()).isEqualTo(1);
        assertThat(other.stderr()).contains("not allowed");
    }

    @Test
    void tokenListShowsEveryTokenWhenTheRegistryAnswersAPageAtATime() throws Exception {
        login(adminToken());
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 2 * dev.cxpm.registry.Tokens.DEFAULT_PAGE + 30; i++) {
            ids.add(registry.createToken(null, "admin", List.of("owner"), null, "ci run " + i).id());
        }
        CliRun json = CliRun.in(tmp, "token", "list", "--json");
        assertThat(json.exitCode()).as(json.stderr()).isZero();
        JsonNode listed = new ObjectMapper().readTree(json.stdout());
        assertThat(listed.fieldNames()).toIterable().containsExactly("tokens"); // the shape scripts read, unchanged
        List<String> seen = new java.util.ArrayList<>();
        listed.path("tokens").forEach(t -> seen.add(t.path("id").asText()));
        assertThat(seen).doesNotHaveDuplicates().hasSize(ids.size() + 1).containsAll(ids);
        List<java.time.Instant> created = new java.util.ArrayList<>();
        listed.path("tokens").forEach(t -> created.add(java.time.Instant.parse(t.path("createdAt").asText())));
        assertThat(created).isSorted(); // oldest first, as before pages
        CliRun table = CliRun.in(tmp, "token", "list");
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout()).contains("ci run 0", "ci run " + (ids.size() - 1));
    }

    @Test
    void tokensAreListedWithoutTheirSecretsAndARevokedOneIsRefused() throws Exception {
        login(adminToken());
        CliRun made = CliRun.in(tmp, "token", "create", "--description", "laptop", "--json");
        assertThat(made.exitCode()).as(made.stderr()).isZero();
        JsonNode token = new ObjectMapper().readTree(made.stdout());
        String id = token.path("id").asText();
        String secret = token.path("token").asText();

        CliRun list = CliRun.in(tmp, "token", "list");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains(id, "laptop", "active").doesNotContain(secret);
        assertThat(CliRun.in(tmp, Map.of("CXPM_TOKEN", secret, "CXPM_REGISTRY", url), "token", "list").exitCode()).isZero();

        CliRun revoke = CliRun.in(tmp, "token", "revoke", id, "--json");
        assertThat(revoke.exitCode()).as(revoke.stderr()).isZero();
        JsonNode revoked = new ObjectMapper().readTree(revoke.stdout()); // as token create and list: JSON for a script
        assertThat(revoked.path("id").asText()).isEqualTo(id);
        assertThat(revoked.path("revoked").asBoolean()).isTrue();
        assertThat(revoked.path("registry").asText()).startsWith(url);
        JsonNode after = new ObjectMapper().readTree(CliRun.in(tmp, "token", "list", "--json").stdout());
        JsonNode listed = null;
        for (JsonNode t : after.path("tokens")) {
            if (t.path("id").asText().equals(id)) {
                listed = t;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.path("revokedAt").isTextual()).isTrue();
        CliRun refused = CliRun.in(tmp, Map.of("CXPM_TOKEN", secret, "CXPM_REGISTRY", url), "token", "list");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("refused the token");
        assertThat(CliRun.in(tmp, "token", "revoke", "0123abcd").exitCode()).isEqualTo(3);
    }

    @Test
    void yankAndDeprecateTellScriptsWhatTheyDidInJson() throws Exception {
        login(adminToken());
        CliRun.in(tmp, "publish", plugin("hello", "1.0.0").toString());
        CliRun.in(tmp, "publish", plugin("hello", "2.0.0").toString());
        ObjectMapper om = new ObjectMapper();

        CliRun y = CliRun.in(tmp, "yank", "hello@1.0.0", "--json");
        assertThat(y.exitCode()).as(y.stderr()).isZero();
        JsonNode yanked = om.readTree(y.stdout());
        assertThat(yanked.path("plugin").asText()).isEqualTo("hello");
        assertThat(yanked.path("version").asText()).isEqualTo("1.0.0");
        assertThat(yanked.path("yanked").asBoolean()).isTrue();
        assertThat(yanked.path("registry").asText()).isEqualTo(url);
        assertThat(om.readTree(CliRun.in(tmp, "yank", "hello@1.0.0", "--undo", "--json").stdout()).path("yanked").asBoolean()).isFalse();
        assertThat(registry.versions("hello").get(0).yanked()).isFalse();

        CliRun d = CliRun.in(tmp, "deprecate", "hello@<2", "use 2.x", "--json");
        assertThat(d.exitCode()).as(d.stderr()).isZero();
        JsonNode deprecated = om.readTree(d.stdout());
        assertThat(deprecated.path("plugin").asText()).isEqualTo("hello");
        assertThat(deprecated.path("message").asText()).isEqualTo("use 2.x");
        assertThat(deprecated.path("versions").toString()).isEqualTo("[\"1.0.0\"]");
        assertThat(registry.versions("hello").get(0).deprecated()).isEqualTo("use 2.x");

        CliRun missing = CliRun.in(tmp, "yank", "hello@9.9.9", "--json");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(om.readTree(missing.stdout()).path("error").path("code").asText()).isEqualTo("not-found");
    }

    @Test
    void loginAndOwnerTellScriptsWhatTheyDidInJson() throws Exception {
        String token = adminToken();
        ObjectMapper om = new ObjectMapper();
        CliRun in = CliRun.in(tmp, "login", "--registry", url, "--token", token, "--json");
        assertThat(in.exitCode()).as(in.stderr()).isZero();
        JsonNode me = om.readTree(in.stdout());
        assertThat(me.path("registry").asText()).isEqualTo(url);
        assertThat(me.path("user").asText()).isEqualTo("admin");
        assertThat(me.path("scopes").isArray()).isTrue();
        assertThat(in.stdout()).doesNotContain(token);
        CliRun.in(tmp, "publish", plugin("hello", "1.0.0").toString());

        for (String[] args : List.of(new String[] {"owner", "add", "hello", "bob", "--json"}, new String[] {"owner", "list", "hello", "--json"})) {
            CliRun r = CliRun.in(tmp, args);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            JsonNode owners = om.readTree(r.stdout());
            assertThat(owners.path("plugin").asText()).isEqualTo("hello");
            assertThat(owners.path("owners").toString()).isEqualTo("[\"admin\",\"bob\"]");
        }
        CliRun last = CliRun.in(tmp, "owner", "remove", "hello", "admin", "--json");
        assertThat(om.readTree(last.stdout()).path("owners").toString()).isEqualTo("[\"bob\"]");
    }

    @Test
    void deprecateAndOwnerCommands() throws Exception {
        login(adminToken());
        CliRun.in(tmp, "publish", plugin("hello", "1.0.0").toString());
        CliRun.in(tmp, "publish", plugin("hello", "2.0.0").toString());
        CliRun d = CliRun.in(tmp, "deprecate", "hello@<2", "use 2.x");
        assertThat(d.exitCode()).as(d.stderr()).isZero();
        assertThat(d.stdout()).contains("deprecated hello 1.0.0");
        assertThat(registry.versions("hello").get(0).deprecated()).isEqualTo("use 2.x");

        CliRun add = CliRun.in(tmp, "owner", "add", "hello", "bob");
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        assertThat(add.stdout()).contains("hello owners: admin, bob");
        assertThat(CliRun.in(tmp, "owner", "list", "hello").stdout()).contains("admin, bob");
        assertThat(CliRun.in(tmp, "owner", "remove", "hello", "admin").exitCode()).isZero();
        assertThat(CliRun.in(tmp, "owner", "remove", "hello", "bob").exitCode()).as("last owner stays").isEqualTo(6);
    }

    @Test
    void tokenCreateOnADirectoryWithoutARegistryIsNotFound() {
        CliRun r = CliRun.in(tmp, "token", "create", "--data", tmp.resolve("nothing").toString());
        assertThat(r.exitCode()).isEqualTo(3);
    }

    /** Starts {@code cxpm serve} as a real process on DIR and returns it with the URL it printed. */
    record Served(Process process, String url) {
    }

    static Served serve(Path dir, String... extra) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.cxpm.cli.Main", "serve", "--port", "0", "--data", dir.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("cxpm registry serving ")) {
                // keep draining stdout so the server never blocks on a full pipe
                Thread.ofVirtual().start(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the process is gone
                    }
                });
                return new Served(p, line.split(" ")[3]);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("cxpm serve printed no URL");
    }

    @Test
    void serverKilledDuringPublishesLeavesNoVersionWithoutBlobAndRestartLeavesNoBlobWithoutVersion() throws Exception {
        Path dir = tmp.resolve("killed");
        HttpClient http = HttpClient.newHttpClient();
        String token = null;
        for (int round = 0; round < 3; round++) {
            Served s = serve(dir);
            if (token == null) {
                token = CliRun.in(tmp, "token", "create", "--data", dir.toString()).stdout().strip();
            }
            String t = token;
            int r = round;
            java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch enough = new java.util.concurrent.CountDownLatch(6);
            List<Thread> publishers = new java.util.ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int worker = w;
                publishers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 1000; i++) {
                        byte[] archive = Packer.archive(Map.of(".codex-plugin/plugin.json",
                                "{\"name\":\"k" + worker + "\",\"version\":\"" + r + "." + i + ".0\",\"description\":\"" + "x".repeat(20_000) + i + "\"}"));
                        try {
                            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/v1/plugins"))
                                    .PUT(HttpRequest.BodyPublishers.ofByteArray(archive)).header("Authorization", "Bearer " + t).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (resp.statusCode() == 201) {
                                published.incrementAndGet();
                                enough.countDown();
                            }
                        } catch (Exception e) {
                            return; // the server was killed under us
                        }
                    }
                }));
            }
            enough.await();
            s.process().destroyForcibly().waitFor();
            for (Thread p : publishers) {
                p.join();
            }
            assertThat(published.get()).isGreaterThanOrEqualTo(6);
            // what a restart finds before it sweeps: every version row points to a stored blob
            try (dev.cxpm.registry.storage.JdbcDatabase db = dev.cxpm.registry.storage.JdbcDatabase.sqlite(dir.resolve("registry.db"))) {
                java.util.Set<Integrity> blobs = new dev.cxpm.registry.storage.blob.FileBlobStore(dir.resolve("blobs")).list();
                assertThat(blobs).containsAll(db.integrities());
            }
        }
        // a restart sweeps what the kills left: afterwards blobs and versions match exactly
        Served last = serve(dir);
        last.process().destroy();
        last.process().waitFor();
        try (dev.cxpm.registry.storage.JdbcDatabase db = dev.cxpm.registry.storage.JdbcDatabase.sqlite(dir.resolve("registry.db"))) {
            assertThat(new dev.cxpm.registry.storage.blob.FileBlobStore(dir.resolve("blobs")).list())
                    .containsExactlyInAnyOrderElementsOf(db.integrities());
        }
    }

    @Test
    void serveRunsAsAProcessPrintsItsUrlAndServesTheDemoPlugins() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.cxpm.cli.Main", "serve", "--port", "0", "--data", tmp.resolve("served").toString(), "--demo")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            String served = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("cxpm registry serving ")) {
                    served = line.split(" ")[3];
                    break;
                }
            }
            assertThat(served).isNotNull().startsWith("http://127.0.0.1:");
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(served + "/api/v1/search?q=github")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(r.body()).path("results").get(0).path("name").asText()).isEqualTo("github-triage");
        } finally {
            p.destroy();
            p.waitFor();
        }
        List<String> tables = List.of("registry.db");
        assertThat(tmp.resolve("served").resolve(tables.get(0))).exists();
    }
}
