package dev.cxpm.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.core.registry.RegistryKey;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import dev.cxpm.registry.index.SigningKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry signs its index documents and the client holds it to the key it pinned: a real cxpm registry on
 * 127.0.0.1 behind a forwarding server that alters its answers as someone in between (or a compromised mirror) would.
 * A changed entry, an unsigned answer, another key, a replayed older document and a swapped blob are each refused
 * with exit 5 and nothing installed; a key rotated by {@code cxpm serve --rotate-key} is followed.
 */
class SignedRegistryTest {

    @TempDir
    Path tmp;
    Path data;
    Path codexHome;
    Map<String, String> env;
    Registry registry;
    RegistryServer server;
    HttpServer forwarder;
    volatile URI target;
    /** What the forwarder answers instead of the registry's answer (identity: unchanged). */
    volatile UnaryOperator<Answer> alter = UnaryOperator.identity();
    String url;
    Path sentinel;

    record Answer(String path, int status, Map<String, List<String>> headers, byte[] body) {
        Answer withBody(byte[] b) {
            return new Answer(path, status, headers, b);
        }

        Answer withHeader(String name, String value) {
            Map<String, List<String>> h = new HashMap<>(headers);
            h.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            if (value != null) {
                h.put(name, List.of(value));
            }
            return new Answer(path, status, h, body);
        }

        boolean isIndexOf(String plugin) {
            return path.equals("/api/v1/plugins/" + plugin) && status == 200;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void start() throws Exception {
        data = tmp.resolve("data");
        registry = Registry.embedded(data, Clock.systemUTC());
        serve();
        forwarder = forwarder();
        url = "http://127.0.0.1:" + forwarder.getAddress().getPort();
        codexHome = tmp.resolve("codex-home");
        env = new HashMap<>(Fixtures.env(codexHome, tmp.resolve("home")));
        CliRun token = cxpm("token", "create", "--data", data.toString());
        assertThat(cxpm("login", "--registry", server.url().toString(), "--token", token.stdout().strip()).exitCode()).isZero();
        publish("1.0.0");
        sentinel = Files.createDirectories(tmp.resolve("sentinel"));
        Files.writeString(sentinel.resolve("keep.txt"), "keep");
    }

    private void serve() throws IOException {
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        target = server.url();
    }

    @AfterEach
    void stop() {
        forwarder.stop(0);
        server.close();
        registry.close();
    }

    CliRun cxpm(String... args) {
        return CliRun.in(tmp, env, args);
    }

    private void publish(String version) throws IOException {
        Path src = tmp.resolve("src/app-" + version);
        Fixtures.plugin(src, "{\"name\": \"app\", \"version\": \"" + version + "\", \"description\": \"The app plugin\"}");
        CliRun publish = cxpm("publish", src.toString(), "--registry", server.url().toString());
        assertThat(publish.exitCode()).as(publish.stderr()).isZero();
    }

    private String add() {
        CliRun add = cxpm("marketplace", "add", url);
        assertThat(add.exitCode()).as(add.stderr()).isZero();
        return add.stdout();
    }

    /** Forwards every request to target; each answer goes through alter. Index documents are always asked afresh. */
    private HttpServer forwarder() throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        Set<String> notForwarded = Set.of("host", "content-length", "connection", "transfer-encoding", "upgrade", "expect", "if-none-match");
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", (HttpExchange ex) -> {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                HttpRequest.Builder req = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().toString()))
                        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                ex.getRequestHeaders().forEach((k, vs) -> {
                    if (!notForwarded.contains(k.toLowerCase())) {
                        vs.forEach(v -> req.header(k, v));
                    }
                });
                HttpResponse<byte[]> res = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
                Map<String, List<String>> headers = new HashMap<>();
                res.headers().map().forEach((k, vs) -> {
                    if (!notForwarded.contains(k.toLowerCase()) && !k.startsWith(":")) {
                        headers.put(k, vs);
                    }
                });
                Answer a = alter.apply(new Answer(ex.getRequestURI().getPath(), res.statusCode(), headers, res.body()));
                a.headers().forEach((k, vs) -> ex.getResponseHeaders().put(k, vs));
                ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(a.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.start();
        return s;
    }

    private void assertRefusedAndNothingInstalled(CliRun r, String... said) {
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(5);
        assertThat(r.stderr()).contains(said).contains("nothing was installed");
        assertThat(codexHome.resolve("plugins/cache/cxpm-registry")).doesNotExist();
        assertThat(sentinel.resolve("keep.txt")).hasContent("keep");
    }

    private String keyId() {
        return SigningKeys.load(data.resolve("signing-key.json")).current().id();
    }

    @Test
    void addingARegistryPinsAndShowsItsKeyWhichIsKeptOnlyForItsOwner() throws Exception {
        String out = add();
        assertThat(out).contains("Registry signing key: " + keyId() + " (pinned");
        assertThat(Files.readString(codexHome.resolve(".cxpm/registries/cxpm-registry/registry.json"))).contains("\"id\" : \"" + keyId() + "\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("signing-key.json")))).isEqualTo("rw-------");
        CliRun install = cxpm("install", "app@cxpm-registry");
        assertThat(install.exitCode()).as(install.stderr()).isZero();
        assertThat(install.stdout()).contains("Registry signing key: " + keyId());
        assertThat(codexHome.resolve("plugins/cache/cxpm-registry/app/1.0.0/.codex-plugin/plugin.json")).exists();
    }

    @Test
    void aChangedIndexEntryIsRefused() throws Exception {
        add();
        publish("1.0.1");
        registry.yank(new dev.cxpm.registry.Caller("admin", List.of(dev.cxpm.registry.Caller.ADMIN), null), "app", "1.0.1", true);
        // un-yank 1.0.1 in the answer: the bytes no longer match the signature
        alter = a -> a.isIndexOf("app") ? a.withBody(a.text().replace("\"yanked\" : true", "\"yanked\" : false").getBytes(StandardCharsets.UTF_8)) : a;
        assertRefusedAndNothingInstalled(cxpm("install", "app@cxpm-registry"), "does not match its signature by key " + keyId());
    }

    @Test
    void anUnsignedAnswerIsRefused() {
        add();
        alter = a -> a.isIndexOf("app") ? a.withHeader(RegistryKey.SIGNATURE_HEADER, null) : a;
        assertRefusedAndNothingInstalled(cxpm("install", "app@cxpm-registry"), "is not signed", "the registry's key " + keyId() + " is pinned");
    }

    @Test
    void anAnswerSignedByAnotherKeyIsRefused() throws Exception {
        add();
        SigningKeys other = SigningKeys.loadOrCreate(tmp.resolve("other-key.json"), Instant.now());
        alter = a -> a.isIndexOf("app") ? a.withHeader(RegistryKey.SIGNATURE_HEADER, other.sign(a.body()).header()) : a;
        assertRefusedAndNothingInstalled(cxpm("install", "app@cxpm-registry"), "answered with key " + other.current().id(),
                "not the key pinned when it was added (" + keyId() + ")");
    }

    @Test
    void aRegistryWhoseKeyWasReplacedWithoutRotationIsRefused() throws Exception {
        add();
        server.close();
        Files.delete(data.resolve("signing-key.json"));
        serve(); // a new key, which the pinned one never signed over
        assertRefusedAndNothingInstalled(cxpm("install", "app@cxpm-registry"), "no rotation signed by the pinned key");
    }

    /**
     * docs/OPERATIONS.md, "Back up, restore": the export does not hold the signing key. A registry restored from it
     * without the key, on the same URL, signs with a new one, which the client that pinned the old key refuses; with
     * the key file copied beside it, the same client installs.
     */
    @Test
    void aRegistryRestoredWithoutItsSigningKeyIsRefusedAndWithTheKeyCopiedIsFollowed() throws Exception {
        add();
        Path oldKey = data.resolve("signing-key.json");
        String pinned = keyId();
        Path backup = tmp.resolve("backup");
        CliRun export = cxpm("registry", "export", "--data", data.toString(), backup.toString());
        assertThat(export.exitCode()).as(export.stderr()).isZero();
        assertThat(backup).isDirectoryNotContaining("glob:**/signing-key.json");
        server.close();
        registry.close();

        data = tmp.resolve("restored");
        CliRun restore = cxpm("registry", "import", "--data", data.toString(), backup.toString());
        assertThat(restore.exitCode()).as(restore.stderr()).isZero();
        registry = Registry.embedded(data, Clock.systemUTC());
        serve(); // behind the same URL, with a key of its own
        assertThat(keyId()).isNotEqualTo(pinned);
        assertRefusedAndNothingInstalled(cxpm("install", "app@cxpm-registry"), "no rotation signed by the pinned key");

        server.close();
        Files.copy(oldKey, data.resolve("signing-key.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        serve();
        assertThat(keyId()).isEqualTo(pinned);
        CliRun install = cxpm("install", "app@cxpm-registry");
        assertThat(install.exitCode()).as(install.stdout() + install.stderr()).isZero();
        assertThat(install.stdout()).contains("Registry signing key: " + pinned);
        assertThat(codexHome.resolve("plugins/cache/cxpm-registry/app/1.0.0/.codex-plugin/plugin.json")).exists();
    }

    @Test
    void aReplayedOlderIndexIsRefused() throws Exception {
        add();
        List<Answer> seen = new ArrayList<>();
        alter = a -> {
            if (a.isIndexOf("app")) {
                seen.add(a);
            }
            return a;
        };
        assertThat(cxpm("info", "app@cxpm-registry").exitCode()).isZero();
        Answer old = seen.get(seen.size() - 1); // signed, 1.0.0 not yanked
        publish("1.0.1");
        registry.yank(new dev.cxpm.registry.Caller("admin", List.of(dev.cxpm.registry.Caller.ADMIN), null), "app", "1.0.0", true);
        CliRun info = cxpm("info", "app@cxpm-registry", "--json");
        assertThat(info.stdout()).contains("\"yanked\": true");
        alter = a -> a.isIndexOf("app") ? old : a; // the old document, with its own valid signature
        CliRun r = cxpm("install", "app@cxpm-registry", "--version", "1.0.0");
        assertRefusedAndNothingInstalled(r, "is refused as a replayed or rewritten one", "is older than");
    }

    @Test
    void aSwappedBlobIsRefused() throws Exception {
        publish("1.0.1");
        add();
        byte[] other = registry.blob(dev.cxpm.core.pack.Integrity.parse(
                registry.versions("app").stream().filter(v -> v.version().equals("1.0.0")).findFirst().orElseThrow().integrity().sri()))
                .orElseThrow().readAllBytes();
        alter = a -> a.path().startsWith("/api/v1/blobs/") && a.status() == 200 ? a.withBody(other) : a;
        CliRun r = cxpm("install", "app@cxpm-registry");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(5);
        assertThat(codexHome.resolve("plugins/cache/cxpm-registry")).doesNotExist();
    }

    @Test
    void aRotatedKeyIsFollowedFromThePinnedOne() throws Exception {
        add();
        String before = keyId();
        server.close();
        CliRun rotate = cxpm("serve", "--rotate-key", "--data", data.toString());
        assertThat(rotate.exitCode()).as(rotate.stderr()).isZero();
        String after = keyId();
        assertThat(rotate.stdout()).contains(before + " -> " + after);
        serve();
        CliRun install = cxpm("install", "app@cxpm-registry");
        assertThat(install.exitCode()).as(install.stdout() + install.stderr()).isZero();
        assertThat(install.stdout()).contains("Registry signing key: " + after);
        assertThat(Files.readString(codexHome.resolve(".cxpm/registries/cxpm-registry/registry.json"))).contains(after, before);
    }

    @Test
    void theLockRecordsTheKeyAndASyncUnderAnotherPinnedKeyIsRefused() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\ncxpm-registry = \"" + url + "\"\n\n[plugins]\napp = \"^1\"\n");
        CliRun sync = CliRun.in(project, env, "sync");
        assertThat(sync.exitCode()).as(sync.stdout() + sync.stderr()).isZero();
        Path lock = project.resolve("cxpm.lock");
        assertThat(lock).content().contains("registry-key = \"" + keyId() + "\"");
        // a teammate's lock resolved under another key: this machine did not pin that one
        Files.writeString(lock, Files.readString(lock).replace(keyId(), "0123456789abcdef"));
        Files.writeString(project.resolve("cxpm.toml"), Files.readString(project.resolve("cxpm.toml")));
        CliRun again = CliRun.in(project, env, "sync", "--verify");
        assertThat(again.exitCode()).as(again.stdout() + again.stderr()).isEqualTo(5);
        assertThat(again.stderr()).contains("resolved from registry key 0123456789abcdef", "pinned " + keyId());
    }

    @Test
    void aCachedIndexEditedOnDiskIsNoLongerTrusted() throws Exception {
        add(); // caches app's signed index
        alter = a -> new Answer(a.path(), 503, Map.of(), "{}".getBytes(StandardCharsets.UTF_8)); // the registry is down: only the cache answers
        assertThat(cxpm("info", "app@cxpm-registry", "--json").stdout()).contains("\"offline\": true", "\"registryKey\": \"" + keyId() + "\"");
        Path cached = codexHome.resolve(".cxpm/registries/cxpm-registry/index/app.json");
        Files.writeString(cached, Files.readString(cached).replace("\"yanked\" : false", "\"yanked\" : true"));
        CliRun info = cxpm("info", "app@cxpm-registry", "--json");
        assertThat(info.stdout()).doesNotContain("\"offline\": true", "\"yanked\": true");
        CliRun install = cxpm("install", "app@cxpm-registry");
        assertThat(install.exitCode()).as(install.stderr()).isEqualTo(4);
        assertThat(codexHome.resolve("plugins/cache/cxpm-registry")).doesNotExist();
    }

    @Test
    void aRegistryThatDoesNotSignIsRefusedUnlessTheUserOptsOut() throws Exception {
        alter = a -> a.path().equals(RegistryKey.KEYS_PATH) ? new Answer(a.path(), 404, Map.of(), new byte[0])
                : a.withHeader(RegistryKey.SIGNATURE_HEADER, null);
        CliRun refused = cxpm("marketplace", "add", url);
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(5);
        assertThat(refused.stderr()).contains("does not sign its answers", "--insecure-unsigned");
        assertThat(codexHome.resolve("config.toml")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(p).content().doesNotContain("cxpm-registry"));
        CliRun added = cxpm("marketplace", "add", url, "--insecure-unsigned");
        assertThat(added.exitCode()).as(added.stderr()).isZero();
        assertThat(added.stdout()).contains("NOT verified");
        CliRun install = cxpm("install", "app@cxpm-registry");
        assertThat(install.exitCode()).as(install.stderr()).isZero();
    }
}
