package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry refuses a release whose surface changed more than its version says, over raw HTTP (so no client can
 * skip the check), comparing with the previous release: the greatest lower one neither yanked nor a pre-release.
 * Real server on 127.0.0.1 and real SQLite here; {@link PostgresSemverGateTest} runs it all on PostgreSQL.
 */
class SemverGateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    String admin;

    protected Registry open() {
        return Registry.embedded(data, Clock.systemUTC());
    }

    /** The JDBC URL of the database {@link #open()} uses, to play a registry upgraded from before surfaces were stored. */
    protected String jdbcUrl() {
        return "jdbc:sqlite:" + data.resolve("registry.db");
    }

    RunningRegistry running;

    @BeforeEach
    void start() throws Exception {
        running = new RunningRegistry(data, open());
        registry = running.registry;
        server = running.server;
        admin = running.admin;
    }

    @AfterEach
    void stop() {
        running.close();
    }

    /** A plugin with these skills (and, for names starting with '/', these slash commands). */
    static byte[] plugin(String version, String... parts) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(".codex-plugin/plugin.json", "{\"name\": \"demo\", \"version\": \"" + version + "\", \"description\": \"A demo.\"}");
        for (String p : parts) {
            if (p.startsWith("/")) {
                files.put("commands/" + p.substring(1) + ".md", "Run " + p + ".\n");
            } else {
                files.put("skills/" + p + "/SKILL.md", "---\nname: " + p + "\ndescription: Does " + p + ".\n---\n" + p + "\n");
            }
        }
        return Packer.archive(files);
    }

    HttpResponse<String> publish(byte[] archive) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(archive)).header("Content-Type", "application/gzip")
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
    }

    void published(byte[] archive) throws Exception {
        HttpResponse<String> r = publish(archive);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** The refusal's message, after checking it is the SemVer one. */
    String refused(byte[] archive) throws Exception {
        HttpResponse<String> r = publish(archive);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").asText()).isEqualTo("semver-bump-too-small");
        return body.path("message").asText();
    }

    JsonNode index() throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins/demo")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void removingASkillInAPatchIs422WithTheChangeAndTheVersionToUse() throws Exception {
        published(plugin("1.2.3", "hello", "review"));
        HttpResponse<String> r = publish(plugin("1.2.4", "hello"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").asText()).isEqualTo("semver-bump-too-small");
        assertThat(body.path("message").asText())
                .startsWith("removing skill `review` is a breaking change since 1.2.3: publish 2.0.0, not 1.2.4");
        assertThat(body.path("problems").get(0).path("code").asText()).isEqualTo("surface.skill-removed");
        assertThat(body.path("problems").get(0).path("message").asText()).isEqualTo("removed skill `review` (needs a major bump)");
        assertThat(index().path("versions")).hasSize(1); // nothing stored

        published(plugin("2.0.0", "hello"));
        JsonNode v2 = index().path("versions").get(1);
        assertThat(v2.path("version").asText()).isEqualTo("2.0.0");
        assertThat(v2.path("changes").toString()).isEqualTo("[\"removed skill `review`\"]");
        assertThat(index().path("versions").get(0).has("changes")).isFalse(); // a first release has nothing to compare with

        String page = http.send(HttpRequest.newBuilder(server.url().resolve("/plugins/demo")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("<th>changes since the previous release</th>")
                .contains("<ul class=changes><li>removed skill `review`</li></ul>");
    }

    @Test
    void addingASkillNeedsAMinorAndAPatchThatChangesNoSurfacePasses() throws Exception {
        published(plugin("1.0.0", "hello"));
        assertThat(refused(plugin("1.0.1", "hello", "extra"))).startsWith("adding skill `extra` is a new feature since 1.0.0: publish 1.1.0, not 1.0.1");
        published(plugin("1.0.1", "hello"));
        published(plugin("1.1.0", "hello", "extra"));
    }

    @Test
    void removingASlashCommandInAPatchIsRefusedToo() throws Exception {
        published(plugin("1.0.0", "hello", "/deploy"));
        assertThat(refused(plugin("1.0.1", "hello"))).startsWith("removing slash command `/deploy` is a breaking change");
    }

    @Test
    void belowOneAMinorMayBreakButAPatchMayNot() throws Exception {
        published(plugin("0.3.0", "hello", "review"));
        assertThat(refused(plugin("0.3.1", "hello"))).contains("publish 0.4.0, not 0.3.1");
        published(plugin("0.3.1", "hello", "review", "extra")); // a 0.x patch may add
        published(plugin("0.4.0", "hello"));
    }

    @Test
    void aYankedReleaseIsNotTheOneComparedWith() throws Exception {
        published(plugin("1.0.0", "hello"));
        published(plugin("1.1.0", "hello", "extra"));
        assertThat(refused(plugin("1.1.1", "hello"))).startsWith("removing skill `extra` is a breaking change since 1.1.0");
        assertThat(http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins/demo/versions/1.1.0/yank"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        published(plugin("1.1.1", "hello")); // compared with 1.0.0: a minor step that removes nothing 1.0.0 had
    }

    @Test
    void restoringAYankedReleaseThatWouldMakeItsNeighbourBreakingIsRefused() throws Exception {
        published(plugin("1.0.0", "hello"));
        published(plugin("1.1.0", "hello", "extra"));
        assertThat(yank("1.1.0", "POST").statusCode()).isEqualTo(200);
        published(plugin("1.1.1", "hello")); // compared with 1.0.0 while 1.1.0 is yanked
        HttpResponse<String> restore = yank("1.1.0", "DELETE");
        assertThat(restore.statusCode()).as(restore.body()).isEqualTo(422);
        JsonNode body = JSON.readTree(restore.body());
        assertThat(body.path("error").asText()).isEqualTo("semver-bump-too-small");
        assertThat(body.path("message").asText()).startsWith("cannot restore demo@1.1.0: 1.1.1 is already published, and removing skill"
                + " `extra` is a breaking change since 1.1.0");
        assertThat(index().path("versions").get(1).path("yanked").asBoolean()).as("still yanked").isTrue();
        assertThat(yank("1.1.1", "POST").statusCode()).isEqualTo(200);
        assertThat(yank("1.1.0", "DELETE").statusCode()).as("with 1.1.1 yanked nothing follows 1.1.0").isEqualTo(200);
        assertThat(index().path("versions").get(1).path("yanked").asBoolean()).isFalse();
    }

    HttpResponse<String> yank(String version, String method) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve("/api/v1/plugins/demo/versions/" + version + "/yank"))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theFirstReleaseOfALineBelowTheOthersHasNothingToCompareWith() throws Exception {
        published(plugin("2.0.0", "hello", "review"));
        published(plugin("1.0.0", "other"));
        assertThat(refused(plugin("2.0.1", "hello"))).contains("since 2.0.0: publish 3.0.0, not 2.0.1");
    }

    @Test
    void aVersionSlippedInBelowAPublishedOneMayNotMakeThatOneBreaking() throws Exception {
        published(plugin("1.2.0", "hello"));
        published(plugin("1.3.1", "hello", "extra"));
        // 1.3.0 is a fine minor of 1.2.0, but 1.3.1 lacks its `more`: users of ^1.3.0 would lose it in a patch
        assertThat(refused(plugin("1.3.0", "hello", "extra", "more")))
                .startsWith("1.3.1 is already published, and removing skill `more` is a breaking change since 1.3.0: 1.3.0 cannot come before it;"
                        + " publish 1.4.0, not 1.3.0");
        published(plugin("1.3.0", "hello", "extra"));
        published(plugin("1.4.0", "hello", "extra", "more"));
    }

    @Test
    void aPreReleaseIsHeldToTheVersionItAnnounces() throws Exception {
        published(plugin("1.2.3", "hello", "review"));
        assertThat(refused(plugin("1.2.4-beta.1", "hello"))).contains("publish 2.0.0-beta.1, not 1.2.4-beta.1");
        published(plugin("2.0.0-beta.1", "hello"));
        published(plugin("2.0.0-beta.2", "hello", "other")); // pre-releases of one version may differ freely
        published(plugin("2.0.0", "hello"));
    }

    @Test
    void anOldReleaseWhoseBlobIsGoneSkipsTheCheckAndTheIndexIsStillServed() throws Exception {
        published(plugin("1.0.0", "hello", "review"));
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE versions SET surface = NULL");
        }
        String sri = index().path("versions").get(0).path("integrity").asText();
        new FileBlobStore(data.resolve("blobs")).delete(dev.cxpm.core.pack.Integrity.parse(sri));
        published(plugin("1.0.1", "hello")); // nothing to compare with: skipped, with a warning in the server's log
        assertThat(index().path("versions")).hasSize(2);
        assertThat(index().path("versions").get(1).has("changes")).isFalse();
    }

    @Test
    void aReleaseStoredBeforeSurfacesWereIsReadFromItsBlob() throws Exception {
        published(plugin("1.0.0", "hello", "review"));
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE versions SET surface = NULL")).isEqualTo(1);
        }
        assertThat(refused(plugin("1.0.1", "hello"))).startsWith("removing skill `review` is a breaking change since 1.0.0");
        published(plugin("2.0.0", "hello"));
        assertThat(index().path("versions").get(1).path("changes").toString()).isEqualTo("[\"removed skill `review`\"]");
    }
}
