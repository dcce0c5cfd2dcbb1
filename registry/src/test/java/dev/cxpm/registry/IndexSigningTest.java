package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.registry.RegistryKey;
import dev.cxpm.core.registry.RegistryKeys;
import dev.cxpm.registry.index.SigningKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry side of signing: a key made on first start (0600), published at the well-known URL, every index
 * document's exact bytes signed with it, a sequence that every change raises, and no stale document served by one
 * server after another server sharing the database changed the plugin.
 */
class IndexSigningTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Caller ADMIN = new Caller("alice", List.of(Caller.ADMIN), null);

    @TempDir
    Path tmp;
    Registry registry;
    RegistryServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        registry = Registry.embedded(tmp, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(tmp.resolve("codex-marketplace.git"), "cxpm-registry"));
        registry.publish(ADMIN, RegistryServerTest.plugin("demo", "1.0.0"));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private long verifiedSequence(RegistryKey key) throws Exception {
        HttpResponse<byte[]> r = get("/api/v1/plugins/demo");
        RegistryKey.Signed s = RegistryKey.Signed.parse(r.headers().firstValue(RegistryKey.SIGNATURE_HEADER).orElse(null)).orElseThrow();
        assertThat(s.keyId()).isEqualTo(key.id());
        assertThat(key.verifies(RegistryKey.INDEX, r.body(), s.signature())).isTrue();
        return JSON.readTree(r.body()).path("sequence").asLong();
    }

    @Test
    void theKeyIsMadeOnlyForItsOwnerPublishedAndSignsEveryIndexWithARisingSequence() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("signing-key.json")))).isEqualTo("rw-------");
        RegistryKeys keys = RegistryKeys.parse(get(RegistryKey.KEYS_PATH).body(), "test");
        RegistryKey key = keys.currentKey();
        assertThat(key).isEqualTo(server.signingKey());
        assertThat(Files.readString(tmp.resolve("signing-key.json"))).contains(key.base64());
        assertThat(new String(get(RegistryKey.KEYS_PATH).body())).doesNotContain("privateKey");
        long first = verifiedSequence(key);
        registry.publish(ADMIN, RegistryServerTest.plugin("demo", "1.0.1"));
        long published = verifiedSequence(key);
        registry.yank(ADMIN, "demo", "1.0.1", true);
        long yanked = verifiedSequence(key);
        registry.yank(ADMIN, "demo", "1.0.1", false);
        long restored = verifiedSequence(key);
        registry.deprecate(ADMIN, "demo", null, "use other");
        long deprecated = verifiedSequence(key);
        assertThat(List.of(first, published, yanked, restored, deprecated)).isSorted().doesNotHaveDuplicates();
        JsonNode v = JSON.readTree(get("/api/v1/plugins/demo").body()).path("versions").get(0);
        assertThat(v.path("publisher").asText()).isEqualTo("alice");
        assertThat(v.path("publishedAt").asText()).isNotEmpty();
    }

    @Test
    void aRotatedKeyIsSignedByTheOldOneAndSignsFromTheNextStart() throws Exception {
        RegistryKey old = server.signingKey();
        SigningKeys.rotate(tmp.resolve("signing-key.json"), Instant.now());
        server.close();
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(tmp.resolve("codex-marketplace.git"), "cxpm-registry"));
        RegistryKeys keys = RegistryKeys.parse(get(RegistryKey.KEYS_PATH).body(), "test");
        assertThat(keys.currentKey()).isNotEqualTo(old);
        assertThat(keys.handedOverFrom(old)).contains(List.of(keys.currentKey()));
        verifiedSequence(keys.currentKey());
        // a key nobody signed over is not reached from the pinned one
        RegistryKey stranger = SigningKeys.loadOrCreate(tmp.resolve("other.json"), Instant.now()).current();
        assertThat(keys.handedOverFrom(stranger)).isEmpty();
    }

    @Test
    void aServerSharingTheDatabaseDropsItsCachedDocumentWhenAnotherServersChangeIsNotifiedAndNeverServesItAgain() throws Exception {
        // servers share a database only on PostgreSQL (one SQLite file has one server): a cached document costs no query
        // while the change feed is current, and the other server's change, notified on commit, drops it
        dev.cxpm.testkit.PostgresServer pg = dev.cxpm.testkit.PostgresServer.forTests().orElse(null);
        org.assertj.core.api.Assumptions.assumeThat(pg).as("PostgreSQL installed").isNotNull();
        String url = pg.freshSchemaUrlNamed("index_signing");
        Path blobs = tmp.resolve("shared-blobs");
        try (Registry one = Registry.postgres(url, blobs, Clock.systemUTC()); Registry other = Registry.postgres(url, blobs, Clock.systemUTC())) {
            one.publish(ADMIN, RegistryServerTest.plugin("demo", "1.0.0"));
            long before = sequence(one); // now cached here
            other.yank(ADMIN, "demo", "1.0.0", true); // another server
            long after = newerWithin(one, before);
            JsonNode now = JSON.readTree(one.index("demo").orElseThrow().json());
            assertThat(now.path("versions").get(0).path("yanked").asBoolean()).isTrue();
            for (int i = 0; i < 50; i++) {
                assertThat(sequence(one)).as("never the older document again").isEqualTo(after);
            }
        }
    }

    @Test
    void aServerWhoseChangeFeedWasCutServesNoCachedDocumentOlderThanTheDatabaseOnceItIsBack() throws Exception {
        dev.cxpm.testkit.PostgresServer pg = dev.cxpm.testkit.PostgresServer.forTests().orElse(null);
        org.assertj.core.api.Assumptions.assumeThat(pg).as("PostgreSQL installed").isNotNull();
        String url = pg.freshSchemaUrlNamed("index_signing_cut");
        Path blobs = tmp.resolve("shared-blobs");
        try (Registry one = Registry.postgres(url, blobs, Clock.systemUTC()); Registry other = Registry.postgres(url, blobs, Clock.systemUTC())) {
            one.publish(ADMIN, RegistryServerTest.plugin("demo", "1.0.0"));
            long before = sequence(one);
            // the listening connections end (a database restart, a proxy's idle cut): notices sent meanwhile are lost
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url); java.sql.Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cxpm-change-feed'");
            }
            other.yank(ADMIN, "demo", "1.0.0", true);
            long after = newerWithin(one, before);
            for (int i = 0; i < 50; i++) {
                assertThat(sequence(one)).as("never the older document again").isEqualTo(after);
            }
        }
    }

    private static long sequence(Registry r) throws Exception {
        return JSON.readTree(r.index("demo").orElseThrow().json()).path("sequence").asLong();
    }

    /** The server's sequence once it shows a newer one than {@code before}: the other server's change notified (or checked). */
    private static long newerWithin(Registry r, long before) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (sequence(r) <= before) {
            assertThat(System.nanoTime()).as("the other server's change reaches this one").isLessThan(deadline);
            Thread.sleep(10);
        }
        return sequence(r);
    }
}
