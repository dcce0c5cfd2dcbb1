package dev.cxpm.registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.registry.Caller;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry upgraded from before pages and search words were stored: a version's page is computed from its blob
 * the first time it is asked for and stored (later requests need no blob), and search words are filled at start-up.
 */
class PageBackfillTest {

    @TempDir
    Path data;

    @Test
    void aVersionPublishedBeforePagesWereStoredGetsItsPageFromItsBlobOnceAndTypoSearchFindsIt() throws Exception {
        try (Registry registry = Registry.embedded(data, Clock.systemUTC())) {
            registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), PluginPageTest.teamTools("1.0.0", "Triage for teams.", true));
        }
        // what a database written before migration 005 looks like once migrated: no page, no icon, no search words
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("registry.db")); Statement s = c.createStatement()) {
            s.execute("UPDATE versions SET page = NULL, icon = NULL, icon_type = NULL");
            s.execute("DELETE FROM search_words");
        }
        HttpClient http = HttpClient.newHttpClient();
        try (Registry registry = Registry.embedded(data, Clock.systemUTC());
             RegistryServer server = RegistryServer.start(registry, "127.0.0.1", 0,
                     new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"))) {
            assertThat(http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/search?q=githb")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("\"name\":\"team-tools\"");
            String first = http.send(HttpRequest.newBuilder(server.url().resolve("/plugins/team-tools")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(first).contains("<h3>Team Tools</h3>").contains("<dt>Licence</dt><dd>Apache-2.0</dd>").contains("class=icon");
            try (Stream<Path> files = Files.walk(data.resolve("blobs"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.delete(f);
                }
            }
            String again = http.send(HttpRequest.newBuilder(server.url().resolve("/plugins/team-tools")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(again).contains("<h3>Team Tools</h3>").contains("class=icon");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("registry.db")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM versions WHERE page IS NOT NULL AND icon_type = 'image/png'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the page computed once is stored").isEqualTo(1);
        }
    }
}
