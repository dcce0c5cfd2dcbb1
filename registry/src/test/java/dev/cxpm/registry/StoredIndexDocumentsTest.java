package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.registry.RegistryKey;
import dev.cxpm.registry.index.IndexDocuments;
import dev.cxpm.registry.index.SigningKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index documents are built and signed when a change makes them and stored in the database (issue 12: at 100,000
 * plugins a read that missed the in-memory caches rebuilt and signed): what a client reads is the stored row, byte for
 * byte, never a stale one, and a registry without stored documents (imported, migrated, its key rotated) is answered at
 * once and filled behind.
 */
class StoredIndexDocumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Caller ADMIN = new Caller("alice", List.of(Caller.ADMIN), null);

    @TempDir
    Path tmp;
    Registry registry;
    RegistryServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private void serve() throws Exception {
        if (registry == null) {
            registry = Registry.embedded(tmp, Clock.systemUTC());
        }
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(tmp.resolve("codex-marketplace.git"), "cxpm-registry"));
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private record Row(long sequence, byte[] body, String etag, String keyId, String signature) {
    }

    private Row stored(String plugin) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("registry.db")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT d.sequence, d.body, d.etag, d.key_id, d.signature FROM index_documents d"
                     + " JOIN plugins p ON p.id = d.plugin_id WHERE p.name = '" + plugin + "'")) {
            return rs.next() ? new Row(rs.getLong(1), rs.getBytes(2), rs.getString(3), rs.getString(4), rs.getString(5)) : null;
        }
    }

    private static void sql(Path dir, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("registry.db")); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** The document a client gets, its signature checked against the server's key, and the same bytes as the stored row. */
    private JsonNode readAsStored(String plugin) throws Exception {
        HttpResponse<byte[]> r = get("/api/v1/plugins/" + plugin);
        assertThat(r.statusCode()).isEqualTo(200);
        String header = r.headers().firstValue(RegistryKey.SIGNATURE_HEADER).orElseThrow();
        RegistryKey.Signed signed = RegistryKey.Signed.parse(header).orElseThrow();
        assertThat(server.signingKey().verifies(RegistryKey.INDEX, r.body(), signed.signature())).isTrue();
        Row row = stored(plugin);
        assertThat(row).as("stored when the change was made").isNotNull();
        assertThat(r.body()).isEqualTo(row.body());
        assertThat(header).isEqualTo(row.signature());
        assertThat(r.headers().firstValue("ETag")).contains(row.etag());
        assertThat(row.keyId()).isEqualTo(server.signingKey().id());
        return JSON.readTree(r.body());
    }

    @Test
    void everyChangeStoresTheSignedDocumentWhichReadsServeByteForByte() throws Exception {
        serve();
        registry.publish(ADMIN, RegistryServerTest.plugin("demo", "1.0.0"));
        assertThat(stored("demo")).as("stored by the publish, before any read").isNotNull();
        long first = readAsStored("demo").path("sequence").asLong();

        registry.publish(ADMIN, RegistryServerTest.plugin("demo", "1.0.1"));
        assertThat(readAsStored("demo").path("versions")).hasSize(2);
        registry.yank(ADMIN, "demo", "1.0.1", true);
        JsonNode yanked = readAsStored("demo");
        assertThat(yanked.path("versions").get(1).path("yanked").asBoolean()).isTrue();
        assertThat(yanked.path("latest").asText()).isEqualTo("1.0.0");
        registry.deprecate(ADMIN, "demo", null, "use other");
        assertThat(readAsStored("demo").path("versions").get(0).path("deprecated").asText()).isEqualTo("use other");
        String id = registry.addAdvisory(ADMIN, "demo", null, "<2", "high", "bad", null).id();
        assertThat(readAsStored("demo").path("advisories").get(0).path("id").asText()).isEqualTo(id);
        registry.withdrawAdvisory(ADMIN, "demo", id);
        JsonNode last = readAsStored("demo");
        assertThat(last.has("advisories")).isFalse();
        assertThat(last.path("sequence").asLong()).isGreaterThan(first);

        // revalidation still costs nothing: the stored ETag answers 304 with no body
        HttpResponse<byte[]> again = get("/api/v1/plugins/demo", "If-None-Match", stored("demo").etag());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/api/v1/plugins/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void aStoredDocumentOlderThanThePluginIsNeverServed() throws Exception {
        serve();
        registry.publish(ADMIN, RegistryServerTest.plugin("demo", "1.0.0"));
        long storedSequence = readAsStored("demo").path("sequence").asLong();
        // a change committed by a server that stopped before storing its document (or whose store failed)
        sql(tmp, "UPDATE versions SET yanked = 1");
        sql(tmp, "UPDATE plugins SET index_sequence = index_sequence + 1");
        JsonNode read = JSON.readTree(get("/api/v1/plugins/demo").body());
        assertThat(read.path("sequence").asLong()).isEqualTo(storedSequence + 1);
        assertThat(read.path("versions").get(0).path("yanked").asBoolean()).isTrue();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (stored("demo").sequence() != storedSequence + 1) { // the reader's rebuild is stored behind it
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(readAsStored("demo").path("sequence").asLong()).isEqualTo(storedSequence + 1);
    }

    @Test
    void aRegistryWithoutStoredDocumentsIsAnsweredAtOnceAndFilledInTheBackground() throws Exception {
        // what an import or the migration leaves: plugins and no documents; more than one background batch of them
        registry = Registry.embedded(tmp, Clock.systemUTC());
        int n = IndexDocuments.BATCH + 20;
        for (int i = 0; i < n; i++) {
            registry.publish(ADMIN, RegistryServerTest.plugin(String.format("p-%03d", i), "1.0.0"));
        }
        assertThat(stored("p-000")).as("no key yet: nothing stored").isNull();
        serve();
        JsonNode read = JSON.readTree(get("/api/v1/plugins/p-" + (n - 1)).body());
        assertThat(read.path("name").asText()).isEqualTo("p-" + (n - 1));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!registry.indexesFilled()) {
            assertThat(System.nanoTime()).as("every document stored in the background").isLessThan(deadline);
            Thread.sleep(20);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("registry.db")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM index_documents")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(n);
        }
        readAsStored("p-000");
    }

    @Test
    void documentsSignedByARotatedKeyAreSignedAgainByTheNewOne() throws Exception {
        serve();
        registry.publish(ADMIN, RegistryServerTest.plugin("demo", "1.0.0"));
        RegistryKey old = server.signingKey();
        assertThat(stored("demo").keyId()).isEqualTo(old.id());
        server.close();
        SigningKeys.rotate(tmp.resolve("signing-key.json"), Instant.now());
        serve();
        assertThat(server.signingKey()).isNotEqualTo(old);
        HttpResponse<byte[]> r = get("/api/v1/plugins/demo");
        RegistryKey.Signed s = RegistryKey.Signed.parse(r.headers().firstValue(RegistryKey.SIGNATURE_HEADER).orElseThrow()).orElseThrow();
        assertThat(s.keyId()).isEqualTo(server.signingKey().id());
        assertThat(server.signingKey().verifies(RegistryKey.INDEX, r.body(), s.signature())).isTrue();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!stored("demo").keyId().equals(server.signingKey().id())) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void serversSharingPostgresServeTheDocumentEitherOneStored() throws Exception {
        dev.cxpm.testkit.PostgresServer pg = dev.cxpm.testkit.PostgresServer.forTests().orElse(null);
        org.assertj.core.api.Assumptions.assumeThat(pg).as("PostgreSQL installed").isNotNull();
        String url = pg.freshSchemaUrlNamed("stored_index");
        Path blobs = tmp.resolve("shared-blobs");
        SigningKeys key = SigningKeys.loadOrCreate(tmp.resolve("signing-key.json"), Instant.now());
        try (Registry one = Registry.postgres(url, blobs, Clock.systemUTC()); Registry other = Registry.postgres(url, blobs, Clock.systemUTC())) {
            one.signIndexesWith(key);
            other.signIndexesWith(key);
            one.publish(ADMIN, RegistryServerTest.plugin("demo", "1.0.0"));
            Registry.IndexDocument written = one.index("demo").orElseThrow();
            Registry.IndexDocument elsewhere = other.index("demo").orElseThrow();
            assertThat(elsewhere.json()).isEqualTo(written.json());
            assertThat(elsewhere.signature()).isEqualTo(written.signature());
            assertThat(key.current().verifies(RegistryKey.INDEX, elsewhere.json(),
                    RegistryKey.Signed.parse(elsewhere.signature()).orElseThrow().signature())).isTrue();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT d.body FROM index_documents d JOIN plugins p ON p.id = d.plugin_id WHERE p.name = 'demo'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)).isEqualTo(written.json());
            }
            // the other server's change is what this one serves next, at once: read from the database, not a cache
            other.yank(ADMIN, "demo", "1.0.0", true);
            JsonNode now = JSON.readTree(one.index("demo").orElseThrow().json());
            assertThat(now.path("versions").get(0).path("yanked").asBoolean()).isTrue();
            assertThat(now.path("sequence").asLong()).isEqualTo(JSON.readTree(written.json()).path("sequence").asLong() + 1);
        }
    }
}
