package dev.cxpm.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.pack.Packer;
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.storage.RegistryDatabase.PluginRow;
import dev.cxpm.registry.storage.RegistryDatabase.SearchPage;
import dev.cxpm.registry.storage.RegistryDatabase.SearchQuery;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.registry.storage.search.InMemorySearch;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search answered from memory ({@link InMemorySearch}) gives what the database's own full-text search gave (on SQLite,
 * the same order: the index ranks as FTS5's bm25 did), and follows every publish, yank and deprecation.
 */
class SearchIndexTest {

    static final String[] WORDS = {"github", "postgres", "slack", "design", "review", "deploy", "docs", "search", "kubernetes",
        "terraform", "jira", "notion", "figma", "sentry", "linear", "stripe", "gitlab", "post", "café", "data"};
    static final String[] CATEGORIES = {"Coding", "Data", "Productivity", "Design"};
    static final Caller ADMIN = new Caller("admin", List.of(Caller.ADMIN), null);

    @TempDir
    Path dir;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    JdbcDatabase database() {
        return JdbcDatabase.sqlite(dir.resolve("registry.db"));
    }

    Registry registry(JdbcDatabase db) {
        Registry r = new Registry(db, new FileBlobStore(dir.resolve("blobs")), dir.resolve("uploads"), Clock.systemUTC());
        open.add(r);
        return r;
    }

    /** Plugin i: words picked at random, repeated in some fields, so that ranks differ by field and by count. */
    static byte[] plugin(String name, String version, Random random) {
        String a = WORDS[random.nextInt(WORDS.length)];
        String b = WORDS[random.nextInt(WORDS.length)];
        String c = WORDS[random.nextInt(WORDS.length)];
        String description = "Connects Codex to " + a + " and " + b + (random.nextBoolean() ? ", " + c + " " + c + " and " + a : "") + ".";
        return manifest(name, version, description, b + " " + c, "[\"" + c + "\"" + (random.nextBoolean() ? ", \"" + a + "\"" : "") + "]",
                CATEGORIES[random.nextInt(CATEGORIES.length)]);
    }

    static byte[] manifest(String name, String version, String description, String displayName, String keywords, String category) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(".codex-plugin/plugin.json", """
                {"name": "%s", "version": "%s", "description": "%s", "keywords": %s,
                 "interface": {"displayName": "%s", "category": "%s", "capabilities": ["Read"]}}
                """.formatted(name, version, description, keywords, displayName, category));
        files.put("skills/main/SKILL.md", "---\nname: main\ndescription: Works.\n---\nBody\n");
        return Packer.archive(files);
    }

    static List<SearchQuery> queries() {
        List<SearchQuery> out = new ArrayList<>();
        String[] texts = {"github", "git", "g", "post", "postgres", "cafe", "café", "data", "github slack", "slack github",
            "post docs", "plugin", "plugin 7", "k8s", "terra form", "review review", "nothing-matches", "s", "de"};
        for (String t : texts) {
            for (String category : new String[] {null, "data", "Design"}) {
                out.add(new SearchQuery(t, category == null ? null : category.toLowerCase(), 1, 20));
                out.add(new SearchQuery(t, category == null ? null : category.toLowerCase(), 2, 7));
                out.add(new SearchQuery(t, category == null ? null : category.toLowerCase(), 40, 100));
            }
        }
        return out;
    }

    /** The same total and page, in the same order: the index ranks as FTS5's bm25 did. */
    void assertSameAnswer(JdbcDatabase db, SearchQuery q) {
        SearchPage memory = db.search(q);
        SearchPage sql = db.searchInDatabase(q);
        assertThat(memory.total()).as("total of %s", q).isEqualTo(sql.total());
        assertThat(names(memory)).as("page of %s", q).isEqualTo(names(sql));
    }

    static List<String> names(SearchPage p) {
        return p.plugins().stream().map(PluginRow::name).toList();
    }

    @Test
    void searchFromMemoryAnswersAsTheDatabaseSearchDid() {
        JdbcDatabase db = database();
        Registry r = registry(db);
        Random random = new Random(12);
        for (int i = 0; i < 240; i++) {
            String name = WORDS[i % WORDS.length].replace("é", "e") + "-plugin-" + i;
            r.publish(ADMIN, plugin(name, "1.0.0", random));
            if (i % 7 == 0) {
                r.publish(ADMIN, plugin(name, "1.1.0", random));
            }
            if (i % 11 == 0) {
                r.yank(ADMIN, name, "1.0.0", true);
            }
        }
        db.fillSearchIndex();
        assertThat(db.searchIndexReady()).isTrue();
        int matched = 0;
        for (SearchQuery q : queries()) {
            assertSameAnswer(db, q);
            matched += db.search(q).plugins().size();
        }
        assertThat(matched).as("the queries find plugins").isGreaterThan(500);
    }

    @Test
    void publishYankAndDeprecationReachTheIndexAtOnce() {
        JdbcDatabase db = database();
        Registry r = registry(db);
        r.publish(ADMIN, manifest("weather", "1.0.0", "Forecasts.", "Weather", "[\"rain\"]", "Data"));
        db.fillSearchIndex();
        SearchQuery rain = new SearchQuery("rain", null, 1, 20);
        SearchQuery snow = new SearchQuery("snow", null, 1, 20);
        assertThat(names(db.search(rain))).containsExactly("weather");

        r.publish(ADMIN, manifest("weather", "2.0.0", "Forecasts.", "Weather", "[\"snow\"]", "Data"));
        assertThat(names(db.search(rain))).as("the old keyword is gone").isEmpty();
        assertThat(names(db.search(snow))).containsExactly("weather");

        r.publish(ADMIN, manifest("snowfall", "1.0.0", "Counts snow.", "Snowfall", "[]", "Data"));
        assertThat(names(db.search(snow))).containsExactlyInAnyOrder("weather", "snowfall");

        r.yank(ADMIN, "snowfall", "1.0.0", true);
        assertThat(names(db.search(snow))).as("no live version: not found").containsExactly("weather");
        r.yank(ADMIN, "snowfall", "1.0.0", false);
        assertThat(names(db.search(snow))).containsExactlyInAnyOrder("weather", "snowfall");

        r.deprecate(ADMIN, "weather", "*", "use snowfall");
        for (SearchQuery q : List.of(rain, snow, new SearchQuery("s", "data", 1, 1), new SearchQuery("w", null, 1, 20))) {
            assertSameAnswer(db, q);
        }
    }

    /**
     * A search from memory needs no database connection, not even for its page's rows: with every search connection
     * taken (by a long search elsewhere), it still answers, where it used to wait (here: be interrupted waiting).
     */
    @Test
    void aSearchFromMemoryTakesNoDatabaseConnection() throws Exception {
        JdbcDatabase db = database();
        Registry r = registry(db);
        r.publish(ADMIN, manifest("weather", "1.0.0", "Forecasts rain.", "Weather", "[\"rain\"]", "Data"));
        db.fillSearchIndex();
        SearchPage expected = db.searchInDatabase(new SearchQuery("rain", null, 1, 20));
        int searchers = db.pools().stream().filter(p -> p.name().equals("search")).findFirst().orElseThrow().size();
        java.util.concurrent.CountDownLatch taken = new java.util.concurrent.CountDownLatch(searchers);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Thread> holders = new ArrayList<>();
        for (int i = 0; i < searchers; i++) {
            Thread t = new Thread(() -> db.connections().search(c -> {
                taken.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            t.start();
            holders.add(t);
        }
        taken.await();
        try {
            Thread.currentThread().interrupt(); // a wait for a connection ends at once instead of hanging the test
            SearchPage memory = db.search(new SearchQuery("rain", null, 1, 20));
            assertThat(Thread.interrupted()).as("nothing waited").isTrue();
            assertThat(memory).isEqualTo(expected);
        } finally {
            Thread.interrupted();
            release.countDown();
            for (Thread t : holders) {
                t.join();
            }
        }
    }

    @Test
    void changesMadeWhileTheIndexIsFilledAreNotLost() throws Exception {
        JdbcDatabase db = database();
        Registry r = registry(db);
        Random random = new Random(5);
        for (int i = 0; i < 50; i++) {
            r.publish(ADMIN, plugin("base-" + i, "1.0.0", random));
        }
        Thread publisher = new Thread(() -> {
            for (int i = 0; i < 30; i++) {
                r.publish(ADMIN, manifest("late-" + i, "1.0.0", "Arrives late.", "Late", "[\"tardy\"]", "Data"));
            }
        });
        publisher.start();
        db.fillSearchIndex();
        publisher.join();
        assertThat(db.searchIndexReady()).isTrue();
        assertThat(db.search(new SearchQuery("tardy", null, 1, 100)).total()).isEqualTo(30);
    }
}
