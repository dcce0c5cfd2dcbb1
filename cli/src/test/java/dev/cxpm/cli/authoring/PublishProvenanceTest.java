package dev.cxpm.cli.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import dev.cxpm.testkit.Git;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxpm publish} from a clean git checkout tells the registry the repository and commit; the registry keeps
 * them (in the signed index document), shows them escaped on the plugin's page, and {@code cxpm info} shows them. A
 * dirty checkout records nothing and says why; a claim in a form the registry does not accept is refused.
 */
class PublishProvenanceTest {

    @TempDir
    Path tmp;
    Path data;
    Map<String, String> env;
    Registry registry;
    RegistryServer server;
    String token;

    @BeforeEach
    void start() throws Exception {
        data = tmp.resolve("data");
        registry = Registry.embedded(data, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        env = new HashMap<>(Fixtures.env(tmp.resolve("codex-home"), tmp.resolve("home")));
        token = CliRun.in(tmp, env, "token", "create", "--data", data.toString()).stdout().strip();
        assertThat(CliRun.in(tmp, env, "login", "--registry", server.url().toString(), "--token", token).exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private Path checkout(String version) throws Exception {
        Path repo = tmp.resolve("repo-" + version);
        Fixtures.plugin(repo.resolve("app"), "{\"name\": \"app\", \"version\": \"" + version + "\", \"description\": \"The app plugin\"}");
        Git.run(repo, "init", "-q");
        Git.run(repo, "add", "-A");
        Git.run(repo, "commit", "-q", "-m", "first");
        Git.run(repo, "remote", "add", "origin", "https://user:secret@git.example.test/acme/app.git");
        return repo;
    }

    @Test
    void aCleanCheckoutRecordsItsRepositoryAndCommitShownInInfoAndOnThePage() throws Exception {
        Path repo = checkout("1.0.0");
        String commit = Git.run(repo, "rev-parse", "HEAD");
        CliRun publish = CliRun.in(tmp, env, "publish", repo.resolve("app").toString());
        assertThat(publish.exitCode()).as(publish.stderr()).isZero();
        // the credential in the remote never leaves the machine
        assertThat(publish.stdout()).contains("source: https://git.example.test/acme/app.git at " + commit).doesNotContain("secret");
        assertThat(CliRun.in(tmp, env, "marketplace", "add", server.url().toString()).exitCode()).isZero();
        CliRun info = CliRun.in(tmp, env, "info", "app@cxpm-registry");
        assertThat(info.stdout()).contains("source: https://git.example.test/acme/app.git at " + commit);
        String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/plugins/app")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("Source: <a href=\"https://git.example.test/acme/app.git\" rel=\"nofollow noopener noreferrer\">", commit);
    }

    @Test
    void aDirtyCheckoutRecordsNothingAndSaysWhy() throws Exception {
        Path repo = checkout("1.0.0");
        Files.writeString(repo.resolve("app/skills/hello/SKILL.md"), "---\nname: hello\ndescription: Changed\n---\nSay hi.\n");
        CliRun publish = CliRun.in(tmp, env, "publish", repo.resolve("app").toString());
        assertThat(publish.exitCode()).as(publish.stderr()).isZero();
        assertThat(publish.stdout()).contains("source: not recorded (the git checkout has uncommitted changes)");
        assertThat(registry.versions("app").get(0).source()).isNull();
    }

    @Test
    void aSourceClaimInAFormTheRegistryDoesNotAcceptIsRefusedBeforeTheUpload() throws Exception {
        String sha = "a".repeat(40);
        for (String[] bad : List.of(new String[] {"javascript:alert(1)", sha}, new String[] {"https://h.example.test/\"><script>", sha},
                new String[] {"https://user:pw@h.example.test/r.git", sha}, new String[] {"https://h.example.test/../r.git", sha},
                new String[] {"https://h.example.test/" + "r".repeat(300), sha}, new String[] {"https://h.example.test/r.git", "HEAD"},
                new String[] {"https://h.example.test/r.git", null})) {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/plugins")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/gzip").header("X-Cxpm-Source-Repository", bad[0]);
            if (bad[1] != null) {
                req.header("X-Cxpm-Source-Commit", bad[1]);
            }
            HttpResponse<String> r = HttpClient.newHttpClient().send(req.PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(r.body()).as(bad[0]).contains("invalid-source");
        }
    }
}
