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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page request does no Markdown work: the README is rendered once, at publish, and stored beside the page (not in
 * the page's JSON, which an export carries: HTML never comes in from a backup file). A version stored before that
 * (or imported) renders its README from the stored Markdown on its first page request and stores it.
 */
class ReadmeRenderedOnceTest {

    @TempDir
    Path data;

    @Test
    void thePublishStoresTheRenderedReadmeAndThePageServesIt() throws Exception {
        try (Registry registry = Registry.embedded(data, Clock.systemUTC())) {
            registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), PluginPageTest.teamTools("1.0.0", "Triage for teams.", false));
        }
        assertThat(storedHtml()).as("rendered at publish").contains("<h3>Team Tools</h3>");
        // what the page shows is what was stored: a stored rendering is served as it is, without rendering again
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("registry.db")); Statement s = c.createStatement()) {
            s.execute("UPDATE versions SET readme_html = replace(readme_html, 'Team Tools</h3>', 'Team Tools, as stored</h3>')");
        }
        assertThat(page()).contains("<h3>Team Tools, as stored</h3>");
    }

    @Test
    void aVersionStoredWithoutItsRenderedReadmeRendersItOnceFromTheStoredMarkdown() throws Exception {
        try (Registry registry = Registry.embedded(data, Clock.systemUTC())) {
            registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), PluginPageTest.teamTools("1.0.0", "Triage for teams.", false));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("registry.db")); Statement s = c.createStatement()) {
            s.execute("UPDATE versions SET readme_html = NULL");
        }
        assertThat(page()).contains("<h3>Team Tools</h3>");
        assertThat(storedHtml()).as("stored by the first page request").contains("<h3>Team Tools</h3>");
    }

    @Test
    void aRenderingByAnOlderRendererIsRenderedAgain() throws Exception {
        try (Registry registry = Registry.embedded(data, Clock.systemUTC())) {
            registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), PluginPageTest.teamTools("1.0.0", "Triage for teams.", false));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("registry.db")); Statement s = c.createStatement()) {
            s.execute("UPDATE versions SET readme_html = '<script>alert(1)</script>'");
        }
        assertThat(page()).contains("<h3>Team Tools</h3>").doesNotContain("<script>alert");
    }

    private String page() throws Exception {
        try (Registry registry = Registry.embedded(data, Clock.systemUTC());
             RegistryServer server = RegistryServer.start(registry, "127.0.0.1", 0,
                     new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"))) {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.url().resolve("/plugins/team-tools")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    private String storedHtml() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("registry.db")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT readme_html FROM versions")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
