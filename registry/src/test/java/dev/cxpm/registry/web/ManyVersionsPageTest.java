package dev.cxpm.registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.registry.Caller;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session 16 (wt-reg5): a plugin's page listed every version, 620 KB at 5,000 (anyone may publish that many). It shows
 * the newest {@link PluginPages#VERSIONS_SHOWN} with a link to all of them, a page at a time (as npm's versions tab).
 * The versions are made straight in the database, copies of one published version: publishing hundreds is slow.
 */
class ManyVersionsPageTest {

    static final int VERSIONS = 250;

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        registry = Registry.embedded(data, Clock.systemUTC());
        registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), PluginPageTest.teamTools("1.0.0", "Triage for teams.", false));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("registry.db")); Statement s = c.createStatement()) {
            s.executeUpdate("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + (VERSIONS - 1) + ")"
                    + " INSERT INTO versions (plugin_id, version, version_release, seq, integrity, size, manifest, dependencies, yanked,"
                    + " published_by, published_at, surface) SELECT v.plugin_id, '1.0.' || n.i, '1.0.' || n.i, v.seq + n.i, v.integrity, v.size,"
                    + " v.manifest, v.dependencies, v.yanked, v.published_by, v.published_at, v.surface FROM versions v, n");
            s.executeUpdate("UPDATE plugins SET latest_version = '1.0." + (VERSIONS - 1) + "'");
        }
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.url().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
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
    void thePluginPageShowsTheNewestVersionsAndLinksToAllOfThemAPageAtATime() throws Exception {
        String page = get("/plugins/team-tools");
        assertThat(versionsListed(page)).hasSize(PluginPages.VERSIONS_SHOWN).first().isEqualTo("1.0." + (VERSIONS - 1));
        assertThat(page).contains("no surface change"); // what each shown version changed is still worked out
        assertThat(page).contains("<a class=all-versions href=\"/plugins/team-tools?versions\">All " + VERSIONS + " versions</a>");

        List<String> all = new ArrayList<>();
        String next = "/plugins/team-tools?versions";
        int pages = 0;
        while (next != null && pages++ < 10) {
            String body = get(next);
            List<String> listed = versionsListed(body);
            assertThat(listed).as(next).hasSizeBetween(1, PluginPages.VERSIONS_PER_PAGE);
            all.addAll(listed);
            Matcher link = Pattern.compile("<a class=next href=\"([^\"]+)\">").matcher(body);
            next = link.find() ? link.group(1).replace("&amp;", "&") : null;
        }
        assertThat(all).hasSize(VERSIONS).doesNotHaveDuplicates().first().isEqualTo("1.0." + (VERSIONS - 1));
        assertThat(all).last().isEqualTo("1.0.0");
        // a version's page works out its own changes alone, since its previous release among all of them
        assertThat(get("/plugins/team-tools/1.0.100")).contains("Since <a href=\"/plugins/team-tools/1.0.99\">1.0.99</a>:")
                .contains("no surface change");
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(server.url().resolve("/plugins/team-tools?versions&after=9.9.9")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }
}
