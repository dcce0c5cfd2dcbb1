package dev.cxpm.registry.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.surface.SemverCheck;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.RegistryDatabase.VersionRow;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin with thousands of versions (session 16, wt-reg4): each version's "changes since the previous release", which
 * the plugin's page and its index document show, looked for the previous release by scanning every version, parsing
 * each three times, for each version: at 5,000 versions a real {@code cxpm serve} spent 79 s of CPU on every view of the
 * plugin's page (anyone could ask for it again and again) and 71 s on every index document built after a publish or yank.
 * Now one sort finds every version's previous release, by the same rule as {@link SemverCheck#previousRelease}.
 */
class ManyVersionsTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // bounds the quadratic scan (minutes at this size); not a measure of speed
    void theChangesOfTwentyThousandVersionsAreFoundWithOneSortNotAScanPerVersion() throws Exception {
        List<VersionRow> rows = new ArrayList<>();
        Integrity blob = Integrity.sha512(new byte[] {1});
        for (int i = 0; i < 20_000; i++) {
            rows.add(new VersionRow("many", "1." + (i / 100) + "." + (i % 100), blob, 1, "{}", "{}", false, "bob", Instant.EPOCH, null));
        }
        Collections.shuffle(rows, new Random(1));
        try (JdbcDatabase db = JdbcDatabase.sqlite(dir.resolve("registry.db"))) {
            // no stored surface and no blob: the previous releases are still looked up for every version
            Map<String, List<String>> changes = new SemverGate(db, new FileBlobStore(dir.resolve("blobs")), dir.resolve("scratch"))
                    .changes("many", rows);
            assertThat(changes).isEmpty();
        }
    }

    @Test
    void everyVersionsPreviousReleaseIsTheOneTheSingleLookupFinds() {
        Random random = new Random(16);
        String[] pre = {"", "", "", "-alpha", "-beta.1", "-0"};
        for (int round = 0; round < 300; round++) {
            List<SemverCheck.Release> published = new ArrayList<>();
            for (int i = random.nextInt(40); i > 0; i--) {
                String v = random.nextInt(3) + "." + random.nextInt(3) + "." + random.nextInt(3) + pre[random.nextInt(pre.length)]
                        + (random.nextInt(4) == 0 ? "+b" + random.nextInt(3) : "");
                published.add(new SemverCheck.Release(random.nextInt(8) == 0 ? "not-semver" : v, random.nextInt(4) == 0));
            }
            Map<String, String> all = SemverGate.previousReleases(published);
            for (SemverCheck.Release r : published) {
                assertThat(Optional.ofNullable(all.get(r.version()))).as(published + ": " + r.version())
                        .isEqualTo(SemverCheck.previousRelease(r.version(), published));
            }
        }
    }
}
