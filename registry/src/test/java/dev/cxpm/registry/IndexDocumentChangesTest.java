package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin's index document lists what each version changed since its previous release. Each change to the plugin
 * used to diff every version's surface against its previous release's again (2-3 s of CPU a publish at 5,000
 * versions, N² over N publishes; issue 12); now the lines are stored per version with the release they were counted
 * from, and a publish, yank or restore diffs only the versions whose previous release it moved. The document must stay
 * byte for byte the one built afresh (clients and the Codex view compare ETags and signatures): checked after every
 * step of a history with backports, pre-releases, yanks and restores. What a change reads is counted at the database
 * interface, not timed.
 */
class IndexDocumentChangesTest {

    static final int VERSIONS = 2_000;
    static final Caller ADMIN = new Caller("alice", List.of(Caller.ADMIN), null);

    @TempDir
    Path data;
    Registry registry;
    /** Surfaces the database answered (each one a version's whole surface, parsed and diffed by its reader). */
    final AtomicLong surfacesRead = new AtomicLong();

    protected RegistryDatabase database() {
        return JdbcDatabase.sqlite(data.resolve("registry.db"));
    }

    protected String jdbcUrl() {
        return "jdbc:sqlite:" + data.resolve("registry.db");
    }

    Registry open() {
        registry = new Registry(counted(database()), new FileBlobStore(data.resolve("blobs")), data.resolve("uploads"), Clock.systemUTC());
        return registry;
    }

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    private RegistryDatabase counted(RegistryDatabase db) {
        return (RegistryDatabase) Proxy.newProxyInstance(RegistryDatabase.class.getClassLoader(), new Class<?>[] {RegistryDatabase.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(db, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("surfaces") && result instanceof Map<?, ?> m) {
                        surfacesRead.addAndGet(m.size());
                    }
                    return result;
                });
    }

    String document() {
        return new String(registry.index("demo").orElseThrow().json(), StandardCharsets.UTF_8);
    }

    /** The document as built with no stored changes at all: every version diffed again, as before they were stored. */
    String documentAfresh() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE versions SET changes = NULL, changes_from = NULL");
        }
        return document();
    }

    void sameAsAfresh(String step) throws Exception {
        String kept = document();
        assertThat(kept).as(step).isEqualTo(document()); // built again from what the first build stored
        assertThat(kept).as(step).isEqualTo(documentAfresh());
    }

    @Test
    void theDocumentBuiltFromStoredChangesIsTheOneBuiltAfreshThroughPublishesYanksAndRestores() throws Exception {
        open();
        registry.publish(ADMIN, SemverGateTest.plugin("1.0.0", "hello"));
        sameAsAfresh("first release");
        registry.publish(ADMIN, SemverGateTest.plugin("1.1.0", "hello", "review"));
        registry.publish(ADMIN, SemverGateTest.plugin("1.1.1", "hello", "review"));
        sameAsAfresh("releases");
        registry.publish(ADMIN, SemverGateTest.plugin("2.0.0-rc.1", "review"));
        registry.publish(ADMIN, SemverGateTest.plugin("2.0.0", "review", "/deploy"));
        sameAsAfresh("a pre-release, then its release");
        document(); // stored: the backport below moves 2.0.0's previous release, and with it its changes
        registry.publish(ADMIN, SemverGateTest.plugin("1.2.0", "hello", "review", "triage"));
        sameAsAfresh("a backport below a published major");
        assertThat(document()).contains("removed skill `triage`");
        registry.yank(ADMIN, "demo", "1.2.0", true);
        sameAsAfresh("the backport yanked");
        registry.yank(ADMIN, "demo", "1.1.1", true);
        sameAsAfresh("two releases yanked");
        registry.yank(ADMIN, "demo", "1.2.0", false);
        sameAsAfresh("one restored");
        registry.publish(ADMIN, SemverGateTest.plugin("2.0.1+build.7", "review", "/deploy"));
        registry.publish(ADMIN, SemverGateTest.plugin("3.0.0-alpha", "other"));
        registry.yank(ADMIN, "demo", "2.0.0", true);
        sameAsAfresh("build metadata, a pre-release of a major, a yanked major");
    }

    @Test
    void aChangeAmongThousandsOfVersionsReadsTheSurfacesOfTheVersionsItMovesNotEveryVersions() throws Exception {
        open();
        registry.publish(ADMIN, SemverGateTest.plugin("1.0.0", "hello"));
        try (Connection c = DriverManager.getConnection(jdbcUrl())) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO versions (plugin_id, version, version_release, seq, integrity, size,"
                    + " manifest, dependencies, yanked, published_by, published_at, surface, version_order)"
                    + " SELECT plugin_id, ?, ?, seq + ?, integrity, size, manifest, dependencies, 0, published_by, published_at, surface, NULL"
                    + " FROM versions WHERE version = '1.0.0'")) {
                for (int i = 1; i < VERSIONS; i++) { // 1.0.1 ... 1.19.99, every seventh a pre-release
                    String v = "1." + (i / 100) + "." + (i % 100) + (i % 7 == 0 ? "-rc.1" : "");
                    p.setString(1, v);
                    p.setString(2, v);
                    p.setInt(3, i);
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE plugins SET latest_version = '1.19.99', index_sequence = index_sequence + 1");
            }
            c.commit();
        }
        String before = document(); // the first build after the copy diffs them all, once, and stores their changes
        assertThat(before).contains("\"version\" : \"1.19.99\"");

        surfacesRead.set(0);
        registry.publish(ADMIN, SemverGateTest.plugin("2.0.0", "hello", "review"));
        String after = document();
        assertThat(after).contains("added skill `review`");
        assertThat(surfacesRead.get()).as("surfaces read by a publish at %d versions and the document's build", VERSIONS).isLessThan(10);

        surfacesRead.set(0);
        registry.yank(ADMIN, "demo", "1.10.5", true); // 1.10.6's previous release moves to 1.10.4
        document();
        registry.yank(ADMIN, "demo", "1.10.5", false);
        document();
        assertThat(surfacesRead.get()).as("surfaces read by a yank and a restore and their documents").isLessThan(20);
        assertThat(document()).isEqualTo(documentAfresh());
    }
}
