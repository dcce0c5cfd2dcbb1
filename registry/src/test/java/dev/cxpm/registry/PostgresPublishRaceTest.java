package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.testkit.PostgresServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PublishRaceTest} on a real PostgreSQL server, a fresh schema per registry, and the case only it
 * has: several registry servers sharing one database (skipped where PostgreSQL is not installed).
 */
class PostgresPublishRaceTest extends PublishRaceTest {

    private static PostgresServer pg;
    private String url;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresServer.forTests().orElse(null);
        assumeThat(pg).as("PostgreSQL installed").isNotNull();
    }

    @Override
    protected Registry open(Path dir) {
        url = pg.freshSchemaUrlNamed("publish_race");
        return new Registry(JdbcDatabase.postgres(url), new FileBlobStore(dir.resolve("blobs")), dir.resolve("uploads"), Clock.systemUTC());
    }

    /** Each server serialises its own writes; only the database can keep two servers from both creating a look-alike. */
    @Test
    void lookAlikeNamesPublishedThroughTwoServersSharingTheDatabaseCreateOnlyOne(@TempDir Path second) throws Exception {
        List<String> bases = List.of("postgres", "mysqlite", "redisbox", "mongodata", "cassandra");
        try (RunningRegistry other = new RunningRegistry(second, new Registry(JdbcDatabase.postgres(url),
                new FileBlobStore(second.resolve("blobs")), second.resolve("uploads"), Clock.systemUTC()))) {
            for (int round = 0; round < bases.size(); round++) {
                String base = bases.get(round);
                List<String> names = List.of(base + "-explorer", base + "_explorer", base + "explorer", base + ".explorer");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                try (ExecutorService pool = Executors.newFixedThreadPool(names.size())) {
                    for (int i = 0; i < names.size(); i++) {
                        RunningRegistry via = i % 2 == 0 ? r : other;
                        String token = via.token("round" + round + "user" + i);
                        byte[] archive = TestArchive.plugin(names.get(i), "1.0.0").bytes();
                        results.add(pool.submit(() -> {
                            go.await();
                            return via.publish(token, archive).statusCode();
                        }));
                    }
                    go.countDown();
                    List<Integer> codes = new ArrayList<>();
                    for (Future<Integer> f : results) {
                        codes.add(f.get());
                    }
                    assertThat(codes).as("round " + round).filteredOn(c -> c == 201).hasSize(1);
                    assertThat(codes).as("round " + round).filteredOn(c -> c == 409).hasSize(names.size() - 1);
                }
            }
        }
    }
}
