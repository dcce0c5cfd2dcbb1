package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.RegistryDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A page reading downloads while a batch moves into the database sees every download served, once. */
class DownloadCountsTest {

    @TempDir
    Path dir;

    @Test
    void aCountReadDuringAFlushIsNeverShortNorDoubled() throws Exception {
        try (JdbcDatabase db = JdbcDatabase.sqlite(dir.resolve("registry.db"))) {
            RegistryDatabase.VersionRow v = new RegistryDatabase.VersionRow("demo", "1.0.0",
                    dev.cxpm.core.pack.Integrity.sha512("demo".getBytes(StandardCharsets.UTF_8)), 1, "{}", "{}", false, "bob",
                    Instant.now(), null);
            db.insertVersion(v, new RegistryDatabase.Summary(null, "d", null, List.of(), List.of()), false,
                    (name, near) -> java.util.Optional.empty(), RegistryDatabase.VersionRule.NONE, null);
            DownloadCounts counts = new DownloadCounts(db);
            // a download is counted between these two: a read may see it or not, but nothing outside them
            AtomicLong started = new AtomicLong();
            AtomicLong served = new AtomicLong();
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<String> wrong = new AtomicReference<>();
            Thread downloads = new Thread(() -> {
                for (int i = 0; i < 400; i++) {
                    started.incrementAndGet();
                    counts.count(v.integrity());
                    served.incrementAndGet();
                    counts.flush();
                }
                done.set(true);
            });
            downloads.start();
            long lastSeen = 0;
            int reads = 0;
            while (!done.get()) {
                long before = served.get();
                // a version's count and the plugin's total alike (its only version): each stored plus pending, never twice
                long seen = reads++ % 2 == 0 ? counts.of("demo", java.util.List.of(v)).get("1.0.0") : counts.total("demo");
                long after = started.get();
                if (seen < before || seen > after || seen < lastSeen) {
                    wrong.compareAndSet(null, "saw " + seen + " with " + before + ".." + after + " served, " + lastSeen + " seen before");
                }
                lastSeen = seen;
            }
            downloads.join();
            assertThat(wrong.get()).as("a page's count while batches moved").isNull();
            counts.close();
            assertThat(db.downloads("demo")).containsEntry("1.0.0", 400L);
        }
    }
}
