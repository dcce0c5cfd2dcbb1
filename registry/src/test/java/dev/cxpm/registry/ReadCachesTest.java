package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The index documents' cache: what a read past the TTL costs, and what a full cache drops. */
class ReadCachesTest {

    private final AtomicLong clock = new AtomicLong();
    private final ReadCaches caches = new ReadCaches(clock::get);
    private final AtomicInteger builds = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong(1);

    private Registry.IndexDocument read(String plugin) {
        return caches.index(plugin, () -> {
            builds.incrementAndGet();
            long s = sequence.get();
            return Optional.of(new Registry.IndexDocument(("{\"sequence\":" + s + "}").getBytes(), "\"" + s + "\"", s));
        }, doc -> true, p -> sequence.get()).orElseThrow();
    }

    private void pastTheTtl() {
        clock.addAndGet(ReadCaches.TTL.toNanos() + 1);
    }

    @Test
    void aDocumentPastItsTtlIsKeptWhenItsSequenceIsUnchangedAndRebuiltWhenItMoved() {
        Registry.IndexDocument first = read("demo");
        pastTheTtl();
        assertThat(read("demo")).isSameAs(first);
        pastTheTtl();
        assertThat(read("demo")).isSameAs(first);
        assertThat(builds).hasValue(1);

        sequence.incrementAndGet(); // a change this process was not told of (another instance's, its notice lost)
        assertThat(read("demo")).isSameAs(first); // within the TTL: served as cached
        pastTheTtl();
        assertThat(read("demo").sequence()).isEqualTo(2);
        assertThat(builds).hasValue(2);
    }

    @Test
    void aChangeThisProcessMadeIsSeenAtOnce() {
        read("demo");
        sequence.incrementAndGet();
        caches.changed("demo");
        assertThat(read("demo").sequence()).isEqualTo(2);
    }

    @Test
    void aFullCacheDropsATenthOfItsDocumentsNotAll() {
        for (int i = 0; i < ReadCaches.INDEX_MAX; i++) {
            read("plugin-" + i);
        }
        read("one-more");
        assertThat(caches.indexSize()).isGreaterThan(ReadCaches.INDEX_MAX * 8 / 10).isLessThanOrEqualTo(ReadCaches.INDEX_MAX);
    }
}
