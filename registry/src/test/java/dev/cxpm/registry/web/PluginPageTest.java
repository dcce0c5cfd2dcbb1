package dev.cxpm.registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.registry.Caller;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin page a user visits, over real HTTP against a registry in a temp dir: what the author wrote (README,
 * repository, homepage, licence, author, keywords, prerequisites, icon, brand colour), each version's page, owner
 * pages, download counts, typo-tolerant search, and a page that needs no archive once published.
 */
class PluginPageTest {

    /** The smallest PNG there is: what an icon route must serve back byte for byte, as image/png. */
    static final byte[] PNG = java.util.HexFormat.of().parseHex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            + "1f15c4890000000d49444154789c626001000000ffff03000006000557bfabd40000000049454e44ae426082");

    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path data;
    Registry registry;
    RegistryServer server;
    final Caller alice = new Caller("alice", List.of(Caller.ADMIN), null);

    /** The storage under test: SQLite here, PostgreSQL in {@link PostgresPluginPageTest}; reopened on the same data. */
    protected Registry open() {
        return Registry.embedded(data, Clock.systemUTC());
    }

    @BeforeEach
    void start() throws IOException {
        registry = open();
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    static final String README = """
            # Team Tools

            Helps a *team* triage.

            ## Usage

            - run `triage`
            - read the summary

            ```sh
            cxpm install team-tools
            ```

            <script>alert('readme')</script>
            <img src=x onerror=alert(1)>
            <iframe src="https://evil.example/"></iframe>

            [docs](javascript:alert(2)) and [site](https://example.com/team-tools)
            """;

    static byte[] teamTools(String version, String description, boolean withIcon) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(".codex-plugin/plugin.json", ("""
                {"name": "team-tools", "version": "%s", "description": "%s",
                 "repository": {"type": "git", "url": "https://github.com/example/team-tools"},
                 "homepage": "https://example.com/team-tools", "license": "Apache-2.0", "author": {"name": "Ada Example"},
                 "keywords": ["triage", "github"],
                 "prerequisites": {"commands": {"npx": "Node.js 18+ from https://nodejs.org"}, "env": {"TEAM_TOKEN": "a token from the team settings"}},
                 "interface": {"displayName": "Team Tools", "category": "Coding", "brandColor": "#336791"%s}}
                """).formatted(version, description, withIcon ? ", \"logo\": \"./assets/logo.png\"" : "").getBytes(StandardCharsets.UTF_8));
        files.put("skills/triage/SKILL.md", "---\nname: triage\ndescription: Label new issues.\n---\nTriage.\n".getBytes(StandardCharsets.UTF_8));
        files.put("README.md", README.getBytes(StandardCharsets.UTF_8));
        if (withIcon) {
            files.put("assets/logo.png", PNG);
        }
        return tgz(files);
    }

    static byte[] tgz(Map<String, byte[]> files) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(buf), "UTF-8")) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry("package/" + f.getKey(), true);
                e.setSize(f.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pluginPageRendersTheReadmeSafelyAndShowsWhatTheAuthorWrote() throws Exception {
        registry.publish(alice, teamTools("1.0.0", "Triage for teams.", true));
        HttpResponse<String> r = get("/plugins/team-tools");
        assertThat(r.statusCode()).isEqualTo(200);
        String html = r.body();
        assertThat(html).contains("<h1>Team Tools</h1>").contains("<p class=description>Triage for teams.</p>")
                .contains("<h3>Team Tools</h3>").contains("<h4>Usage</h4>").contains("<li>run <code>triage</code></li>")
                .contains("<code class=\"language-sh\">cxpm install team-tools\n</code>")
                .contains("<a href=\"https://example.com/team-tools\" rel=\"nofollow ugc noopener\">site</a>");
        assertThat(html).doesNotContain("<script>alert").doesNotContain("<img src=x").doesNotContain("<iframe").doesNotContain("javascript:")
                .contains("&lt;script&gt;alert(&#39;readme&#39;)&lt;/script&gt;".replace("&#39;", "'"));
        assertThat(html).contains("<dt>Repository</dt><dd><a href=\"https://github.com/example/team-tools\"")
                .contains("<dt>Homepage</dt><dd><a href=\"https://example.com/team-tools\"")
                .contains("<dt>Licence</dt><dd>Apache-2.0</dd>").contains("<dt>Author</dt><dd>Ada Example</dd>")
                .contains("<a class=keyword href=\"/?q=triage\">triage</a>")
                .contains("the command <code>npx</code>: Node.js 18+ from https://nodejs.org")
                .contains("the environment variable <code>TEAM_TOKEN</code>: a token from the team settings")
                .contains("<link rel=stylesheet href=\"/assets/accent/336791.css\">")
                .contains("<img class=icon src=\"/plugins/team-tools/1.0.0/icon\" alt=\"Team Tools icon\"")
                .contains("<code id=install-command>cxpm install team-tools --registry " + server.url() + "</code>");
        HttpResponse<byte[]> icon = http.send(HttpRequest.newBuilder(server.url().resolve("/plugins/team-tools/1.0.0/icon")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(icon.body()).isEqualTo(PNG);
    }

    @Test
    void anIconThatIsNotAnImageIsNeitherShownNorServed() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(".codex-plugin/plugin.json", """
                {"name": "svg-icon", "version": "1.0.0", "description": "An SVG that scripts.", "interface": {"logo": "./logo.png"}}
                """.getBytes(StandardCharsets.UTF_8));
        files.put("logo.png", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".getBytes(StandardCharsets.UTF_8));
        files.put("skills/a/SKILL.md", "---\nname: a\ndescription: A.\n---\nA.\n".getBytes(StandardCharsets.UTF_8));
        registry.publish(alice, tgz(files));
        assertThat(get("/plugins/svg-icon").body()).doesNotContain("<img");
        assertThat(get("/plugins/svg-icon/1.0.0/icon").statusCode()).isEqualTo(404);
    }

    @Test
    void theDescriptionInitFilledInIsNotShown() throws Exception {
        registry.publish(alice, teamTools("1.0.0", "Team Tools: 3 skills, 1 MCP server (github).", false));
        String html = get("/plugins/team-tools").body();
        assertThat(html).doesNotContain("3 skills").doesNotContain("class=description");
        assertThat(get("/").body()).doesNotContain("3 skills");
    }

    @Test
    void eachVersionHasItsOwnPageWithItsSurfaceChanges() throws Exception {
        registry.publish(alice, teamTools("1.0.0", "Triage for teams.", false));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(".codex-plugin/plugin.json", """
                {"name": "team-tools", "version": "1.1.0", "description": "Triage for teams, with summaries."}
                """.getBytes(StandardCharsets.UTF_8));
        files.put("skills/triage/SKILL.md", "---\nname: triage\ndescription: Label new issues.\n---\nTriage.\n".getBytes(StandardCharsets.UTF_8));
        files.put("skills/summary/SKILL.md", "---\nname: summary\ndescription: Summarise.\n---\nSummary.\n".getBytes(StandardCharsets.UTF_8));
        registry.publish(alice, tgz(files));

        assertThat(get("/plugins/team-tools").body()).contains("<a href=\"/plugins/team-tools/1.1.0\">1.1.0</a>")
                .contains("<a href=\"/plugins/team-tools/1.0.0\">1.0.0</a>");
        HttpResponse<String> v = get("/plugins/team-tools/1.1.0");
        assertThat(v.statusCode()).isEqualTo(200);
        assertThat(v.body()).contains("<h1>team-tools 1.1.0</h1>").contains("Since <a href=\"/plugins/team-tools/1.0.0\">1.0.0</a>")
                .contains("added skill").contains("summary").contains("Triage for teams, with summaries.")
                .contains("<code id=install-command>cxpm install team-tools --version 1.1.0 --registry " + server.url() + "</code>");
        assertThat(get("/plugins/team-tools/1.0.0").body()).contains("<h1>Team Tools 1.0.0</h1>").contains("The first release.")
                .contains("<h3>Team Tools</h3>");
        assertThat(get("/plugins/team-tools/9.9.9").statusCode()).isEqualTo(404);
    }

    @Test
    void ownerPagesListWhatAnOwnerPublishes() throws Exception {
        registry.publish(alice, teamTools("1.0.0", "Triage for teams.", false));
        HttpResponse<String> r = get("/owners/alice");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<h1>alice</h1>").contains("1 plugin").contains("<a class=name href=\"/plugins/team-tools\">Team Tools</a>")
                .contains("Triage for teams.");
        assertThat(get("/plugins/team-tools").body()).contains("<a href=\"/owners/alice\">alice</a>");
        assertThat(get("/owners/nobody").statusCode()).isEqualTo(404);
    }

    /**
     * Session 16 (wt-reg4): the owner page listed every plugin of its owner in one page held in the heap; an owner of
     * 100,000 plugins (a bench registry's) ran a real {@code cxpm serve} (256 MiB heap) out of memory on each visit, the
     * connection dropped. Pages of 20, by name after the last one shown, each from a bounded query.
     */
    @Test
    void anOwnerPageShowsAPageOfPluginsAtATimeWithALinkToTheNext() throws Exception {
        for (int i = 0; i < 45; i++) {
            registry.publish(alice, tgz(Map.of(".codex-plugin/plugin.json", ("{\"name\": \"owned-%02d\", \"version\": \"1.0.0\","
                    + " \"description\": \"Number %d.\"}").formatted(i, i).getBytes(StandardCharsets.UTF_8))));
        }
        List<String> seen = new java.util.ArrayList<>();
        String next = "/owners/alice";
        for (int page = 0; next != null; page++) {
            String body = get(next).body();
            assertThat(body).as(next).contains("45 plugins");
            java.util.regex.Matcher names = java.util.regex.Pattern.compile("<a class=name href=\"/plugins/([^\"]+)\">").matcher(body);
            int shown = 0;
            for (; names.find(); shown++) {
                seen.add(names.group(1));
            }
            assertThat(shown).as(next).isEqualTo(page < 2 ? 20 : 5);
            java.util.regex.Matcher link = java.util.regex.Pattern.compile("<a class=next href=\"([^\"]+)\">").matcher(body);
            next = link.find() ? link.group(1).replace("&amp;", "&") : null;
        }
        assertThat(seen).hasSize(45).doesNotHaveDuplicates().isSorted();
        assertThat(get("/owners/alice?after=owned-44").statusCode()).isEqualTo(404);
    }

    @Test
    void aRealDownloadCountsOnThePageAndSurvivesARestart() throws Exception {
        registry.publish(alice, teamTools("1.0.0", "Triage for teams.", false));
        assertThat(get("/plugins/team-tools").body()).contains("<dt>Downloads</dt><dd>0</dd>");
        String blob = "/api/v1/blobs/" + registry.versions("team-tools").getFirst().integrity().hex();
        assertThat(http.send(HttpRequest.newBuilder(server.url().resolve(blob)).build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode())
                .isEqualTo(200);
        assertThat(get("/plugins/team-tools").body()).contains("<dt>Downloads</dt><dd>1</dd>").contains("1 download");
        http.send(HttpRequest.newBuilder(server.url().resolve(blob)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(get("/plugins/team-tools/1.0.0").body()).contains("2 downloads");
        stop();
        start();
        assertThat(get("/plugins/team-tools").body()).as("counts written to the database at close").contains("<dt>Downloads</dt><dd>2</dd>");
    }

    @Test
    void pagesAreServedWithoutOpeningTheArchive() throws Exception {
        registry.publish(alice, teamTools("1.0.0", "Triage for teams.", true));
        try (Stream<Path> files = Files.walk(data.resolve("blobs"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.delete(f);
            }
        }
        String html = get("/plugins/team-tools").body();
        assertThat(html).contains("<h3>Team Tools</h3>").contains("Label new issues.").contains("<dt>Licence</dt><dd>Apache-2.0</dd>");
        assertThat(get("/plugins/team-tools/1.0.0/icon").statusCode()).isEqualTo(200);
        assertThat(get("/plugins/team-tools/1.0.0").body()).contains("<h3>Team Tools</h3>");
    }

    @Test
    void searchToleratesATypoInTheApiAndOnThePage() throws Exception {
        registry.publish(alice, teamTools("1.0.0", "Triage for teams.", false));
        JsonNode api = new ObjectMapper().readTree(get("/api/v1/search?q=githb").body());
        assertThat(api.path("total").asInt()).isEqualTo(1);
        assertThat(api.path("results").get(0).path("name").asText()).isEqualTo("team-tools");
        assertThat(api.path("correctedQuery").asText()).isEqualTo("github");
        assertThat(new ObjectMapper().readTree(get("/api/v1/search?q=team%20tols").body()).path("total").asInt()).isEqualTo(1);
        assertThat(get("/?q=triaeg").body()).contains("showing results for <b>triage</b>").contains("href=\"/plugins/team-tools\"");
        assertThat(new ObjectMapper().readTree(get("/api/v1/search?q=zzzzzz").body()).path("total").asInt()).isZero();
    }
}
