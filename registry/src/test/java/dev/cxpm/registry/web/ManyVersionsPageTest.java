package dev.cxpm.registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.surface.SemverCheck;
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.Versions;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin with 5,000 versions (anyone may publish that many; issue 12). Session 16 (wt-reg5) made its page show the
 * newest {@link PluginPages#VERSIONS_SHOWN} with a link to all of them a page at a time, but every page still read all
 * 5,000 rows (and their surfaces and download counts) to sort them in Java. Now each page reads about the rows it shows,
 * in SemVer order from the stored order key, which this checks against SemVer precedence ({@link PluginVersion#precedence}) on versions published out
 * of order, pre-releases and yanked ones among them. What a page reads is counted at the database interface, not timed.
 * The versions are made straight in the database, copies of one published version (publishing 5,000 takes minutes),
 * without their order key, as an older cxpm on the same database would write them.
 */
class ManyVersionsPageTest {

    static final int VERSIONS = 5_000;
    /** Rows one page request may read through the database: a few per version it shows, never one per version there is. */
    static final int ROWS_PER_REQUEST = 6 * PluginPages.VERSIONS_PER_PAGE;

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    final HttpClient http = HttpClient.newHttpClient();
    /** Elements (rows, map entries) the database answered to page requests (the index document's background fill aside). */
    final AtomicLong rowsRead = new AtomicLong();
    /** Every version, newest first, as SemVer orders them (of equal ones, the first published first). */
    List<String> expected;
    Set<String> yanked = new LinkedHashSet<>();

    protected String jdbcUrl() {
        return "jdbc:sqlite:" + data.resolve("registry.db");
    }

    protected RegistryDatabase database() {
        return JdbcDatabase.sqlite(data.resolve("registry.db"));
    }

    @BeforeEach
    void start() throws Exception {
        registry = new Registry(counted(database()), new FileBlobStore(data.resolve("blobs")), data.resolve("uploads"), Clock.systemUTC());
        registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), PluginPageTest.teamTools("1.0.0", "Triage for teams.", false));
        List<String> published = versionsOutOfOrder();
        try (Connection c = DriverManager.getConnection(jdbcUrl())) {
            c.setAutoCommit(false);
            copyPublishedVersion(c, published);
            c.commit();
        }
        List<String> all = new ArrayList<>(published);
        all.addFirst("1.0.0");
        expected = new ArrayList<>(all);
        expected.sort(java.util.Comparator.comparing(PluginVersion::of, PluginVersion::precedence).reversed()); // stable: equal ones stay in publication order
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
    }

    /** Releases, pre-releases of several shapes (numeric and text identifiers, longer and shorter lists), shuffled. */
    private List<String> versionsOutOfOrder() {
        Random random = new Random(12);
        Set<String> out = new LinkedHashSet<>();
        String[] pre = {"alpha", "alpha.1", "alpha.10", "alpha.2", "alpha.beta", "beta", "beta.2", "beta.11", "rc.1", "rc.1.1", "0", "10", "9", "x-y", "RC"};
        while (out.size() < VERSIONS - 1) {
            String core = random.nextInt(12) + "." + random.nextInt(15) + "." + random.nextInt(12);
            String v = random.nextInt(3) == 0 ? core + "-" + pre[random.nextInt(pre.length)] : core;
            if (!v.equals("1.0.0")) {
                out.add(v);
            }
        }
        return new ArrayList<>(out);
    }

    private void copyPublishedVersion(Connection c, List<String> versions) throws Exception {
        Random random = new Random(7);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO versions (plugin_id, version, version_release, seq, integrity, size, manifest,"
                + " dependencies, yanked, published_by, published_at, surface) SELECT plugin_id, ?, ?, seq + ?, integrity, size, manifest,"
                + " dependencies, ?, published_by, published_at, surface FROM versions WHERE version = '1.0.0'")) {
            for (int i = 0; i < versions.size(); i++) {
                boolean yank = random.nextInt(10) == 0;
                if (yank) {
                    yanked.add(versions.get(i));
                }
                p.setString(1, versions.get(i));
                p.setString(2, versions.get(i));
                p.setInt(3, i + 1);
                p.setInt(4, yank ? 1 : 0);
                p.addBatch();
            }
            p.executeBatch();
        }
        String latest = Versions.latest(versions.stream().filter(v -> !yanked.contains(v)).toList()).orElseThrow();
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE plugins SET latest_version = '" + latest + "'");
        }
    }

    /** The database, counting what it answers outside the index documents' background thread. */
    private RegistryDatabase counted(RegistryDatabase db) {
        return (RegistryDatabase) Proxy.newProxyInstance(RegistryDatabase.class.getClassLoader(), new Class<?>[] {RegistryDatabase.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(db, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (!Thread.currentThread().getName().equals("cxpm-index-documents")) {
                        rowsRead.addAndGet(size(result));
                    }
                    return result;
                });
    }

    private static long size(Object o) throws Exception {
        if (o instanceof Optional<?> opt) {
            return opt.isPresent() ? Math.max(1, size(opt.get())) : 0;
        }
        if (o instanceof Collection<?> c) {
            return c.size();
        }
        if (o instanceof Map<?, ?> m) {
            return m.size();
        }
        long n = 0;
        if (o instanceof Record r) {
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                Object v = rc.getAccessor().invoke(r);
                n += v instanceof Collection<?> || v instanceof Map<?, ?> ? size(v) : 0;
            }
        }
        return n;
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    String get(String path) throws Exception {
        rowsRead.set(0);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.url().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(rowsRead.get()).as("rows and entries read from the database for " + path).isLessThan(ROWS_PER_REQUEST);
        return r.body();
    }

    static List<String> versionsListed(String body) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<td><a href=\"/plugins/team-tools/([^\"]+)\">").matcher(body);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void everyPageReadsAboutTheVersionsItShowsAndListsThemAllInSemverOrder() throws Exception {
        String page = get("/plugins/team-tools");
        assertThat(versionsListed(page)).containsExactlyElementsOf(expected.subList(0, PluginPages.VERSIONS_SHOWN));
        assertThat(page).contains("no surface change"); // what each shown version changed is still worked out
        assertThat(page).contains("<a class=all-versions href=\"/plugins/team-tools?versions\">All " + VERSIONS + " versions</a>");

        List<String> all = new ArrayList<>();
        String next = "/plugins/team-tools?versions";
        int pages = 0;
        while (next != null && pages++ < VERSIONS / PluginPages.VERSIONS_PER_PAGE + 2) {
            String body = get(next);
            assertThat(body).contains(VERSIONS + " versions");
            List<String> listed = versionsListed(body);
            assertThat(listed).as(next).hasSizeBetween(1, PluginPages.VERSIONS_PER_PAGE);
            all.addAll(listed);
            Matcher link = Pattern.compile("<a class=next href=\"([^\"]+)\">").matcher(body);
            next = link.find() ? link.group(1).replace("&amp;", "&") : null;
        }
        assertThat(all).containsExactlyElementsOf(expected);
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(server.url().resolve("/plugins/team-tools?versions&after=99.9.9")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void aVersionPageNamesItsPreviousReleaseAmongAllVersionsReadingOnlyThatOne() throws Exception {
        List<SemverCheck.Release> releases = expected.stream().map(v -> new SemverCheck.Release(v, yanked.contains(v))).toList();
        for (String v : List.of(expected.get(0), expected.get(VERSIONS / 3), expected.get(VERSIONS / 2), expected.getLast())) {
            String body = get("/plugins/team-tools/" + v);
            Optional<String> previous = SemverCheck.previousRelease(v, releases);
            if (previous.isPresent()) {
                assertThat(body).as(v).contains("Since <a href=\"/plugins/team-tools/" + previous.get() + "\">" + previous.get() + "</a>:")
                        .contains("no surface change");
            } else {
                assertThat(body).as(v).contains("The first release.");
            }
        }
    }

    @Test
    void theOrderKeyIsStoredForVersionsWrittenWithoutItAndAtPublish() throws Exception {
        get("/plugins/team-tools?versions");
        registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), PluginPageTest.teamTools("99.0.0", "Triage for teams.", false));
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, version_order FROM versions")) {
            int rows = 0;
            while (rs.next()) {
                assertThat(rs.getString(2)).as(rs.getString(1)).isEqualTo(Versions.orderKey(rs.getString(1)));
                rows++;
            }
            assertThat(rows).isEqualTo(VERSIONS + 1);
        }
        assertThat(versionsListed(get("/plugins/team-tools"))).first().isEqualTo("99.0.0");
    }
}
