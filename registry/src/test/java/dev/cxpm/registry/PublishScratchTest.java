package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.storage.blob.BlobStore;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a publish unpacks the upload for {@code validate --strict}: beside the spooled upload, in the directory its
 * caller owns and clears (the server's {@code DIR/uploads/}, emptied at every start), never the shared temp dir, where
 * each JVM that died mid-check (a stop during a publish, a killed test server) left one {@code cxpm-publish-*} tree
 * that nothing ever removed: 34 of them in a day on the CI machine, a disk-filling vector on a server.
 */
class PublishScratchTest {

    private static final Caller ADMIN = new Caller("alice", List.of(Caller.ADMIN), null);

    @Test
    void theCheckUnpacksBesideTheUploadAndRemovesItWhetherThePublishSucceedsOrIsRefused(@TempDir Path data, @TempDir Path spool)
            throws Exception {
        Path good = Files.write(spool.resolve("good.tgz"), TestArchive.plugin("demo", "1.0.0").bytes());
        // read by the registry's checks, then refused by validate --strict (a skill without its front matter)
        Path bad = Files.write(spool.resolve("bad.tgz"), new TestArchive()
                .file("package/.codex-plugin/plugin.json", "{\"name\":\"other\",\"version\":\"1.0.0\",\"description\":\"Other.\"}")
                .file("package/skills/x/SKILL.md", "no front matter\n").bytes());
        List<String> created = new ArrayList<>();
        try (Registry registry = Registry.embedded(data, Clock.systemUTC());
                WatchService watch = FileSystems.getDefault().newWatchService()) {
            WatchKey key = spool.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            assertThat(registry.publish(ADMIN, good).version()).isEqualTo("1.0.0");
            assertThatThrownBy(() -> registry.publish(ADMIN, bad)).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("validate --strict");
            // the JDK's watch service queues events from a thread of its own: the second may not be queued yet
            for (WatchKey k = key; k != null && created.size() < 2; k = watch.poll(10, java.util.concurrent.TimeUnit.SECONDS)) {
                for (WatchEvent<?> e : k.pollEvents()) {
                    created.add(String.valueOf(e.context()));
                }
                k.reset();
            }
        }
        assertThat(created).as("each check unpacked beside its upload").hasSize(2);
        try (Stream<Path> left = Files.list(spool)) {
            assertThat(left.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("and removed what it unpacked").containsExactly("bad.tgz", "good.tgz");
        }
    }

    @Test
    void aServerStartsAndClearsAChecksTreeThatAJvmKilledMidPublishLeftInItsSpool(@TempDir Path data) throws Exception {
        Path uploads = data.resolve("uploads");
        Path left = Files.createDirectories(uploads.resolve("check-123/plugin/.codex-plugin"));
        Files.writeString(left.resolve("plugin.json"), "{\"name\":\"demo\"}", StandardCharsets.UTF_8);
        Files.writeString(uploads.resolve("upload-1.tgz"), "half", StandardCharsets.UTF_8);
        try (Registry registry = Registry.embedded(data, Clock.systemUTC());
                RegistryServer server = RegistryServer.start(registry, "127.0.0.1", 0,
                        new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"))) {
            assertThat(server.url()).isNotNull();
            try (Stream<Path> s = Files.list(uploads)) {
                assertThat(s.toList()).isEmpty();
            }
        }
    }

    /**
     * The other two places the registry unpacks an archive: reading an old release's surface from its blob for the SemVer
     * check (a release stored before surfaces were), and publishing an archive held in memory ({@code serve --demo}).
     * Both used the shared temp dir; both work under the spool now, and leave nothing there.
     */
    @Test
    void aBlobsSurfaceAndAnArchiveInMemoryAreUnpackedInTheSpoolNeverTheSharedTempDir(@TempDir Path data) throws Exception {
        unpackedInTheSpoolAlone(data, data.resolve("uploads"), blobs -> Registry.embedded(data, blobs, Clock.systemUTC()));
    }

    /** A registry made of its parts (the PostgreSQL and S3 set-ups' way) is given its spool: it had none, and used the shared temp dir. */
    @Test
    void aRegistryMadeOfItsPartsUnpacksInTheSpoolItIsGiven(@TempDir Path data, @TempDir Path spool) throws Exception {
        unpackedInTheSpoolAlone(data, spool.resolve("uploads"), blobs -> new Registry(
                dev.cxpm.registry.storage.JdbcDatabase.sqlite(data.resolve("registry.db")), blobs, spool.resolve("uploads"), Clock.systemUTC()));
    }

    private static void unpackedInTheSpoolAlone(Path data, Path spool, java.util.function.Function<BlobStore, Registry> open) throws Exception {
        List<Path> putFrom = new ArrayList<>();
        List<List<String>> spoolWhileReading = new ArrayList<>();
        BlobStore files = new FileBlobStore(data.resolve("blobs"));
        BlobStore watched = new BlobStore() {
            @Override
            public void put(Integrity integrity, byte[] content) {
                files.put(integrity, content);
            }

            @Override
            public void put(Integrity integrity, Path file) {
                putFrom.add(file);
                files.put(integrity, file);
            }

            @Override
            public Optional<InputStream> open(Integrity integrity) {
                return files.open(integrity).map(in -> new FilterInputStream(in) {
                    @Override
                    public void close() throws IOException {
                        super.close(); // closed once copied: the copy is where it is unpacked from
                        try (Stream<Path> s = Files.exists(spool) ? Files.list(spool) : Stream.empty()) {
                            spoolWhileReading.add(s.map(p -> p.getFileName().toString()).toList());
                        }
                    }
                });
            }

            @Override
            public boolean exists(Integrity integrity) {
                return files.exists(integrity);
            }

            @Override
            public void delete(Integrity integrity) {
                files.delete(integrity);
            }

            @Override
            public Set<Integrity> list() {
                return files.list();
            }
        };
        try (Registry registry = open.apply(watched)) {
            registry.publish(ADMIN, SemverGateTest.plugin("1.0.0", "hello", "review"));
            assertThat(putFrom).hasSize(1);
            assertThat(putFrom.get(0)).as("an archive in memory is spooled in the spool").startsWithRaw(spool);
            spoolWhileReading.clear(); // what the first publish read back of its own blob (its page) is not the point
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("registry.db")); Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("UPDATE versions SET surface = NULL")).isEqualTo(1); // as before surfaces were stored
            }
            assertThatThrownBy(() -> registry.publish(ADMIN, SemverGateTest.plugin("1.0.1", "hello")))
                    .as("the surface was read from the blob").isInstanceOf(RegistryException.class).hasMessageContaining("review");
        }
        assertThat(spoolWhileReading).isNotEmpty().allSatisfy(names -> assertThat(names).as("the blob is read in the spool")
                .anySatisfy(n -> assertThat(n).startsWith("surface-")));
        try (Stream<Path> left = Files.list(spool)) {
            assertThat(left.toList()).as("and nothing is left there").isEmpty();
        }
    }
}
