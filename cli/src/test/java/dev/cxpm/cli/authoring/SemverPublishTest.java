package dev.cxpm.cli.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.registry.Registry;
import dev.cxpm.registry.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The story end to end, with the real cxpm main against a real registry on 127.0.0.1: a skill is removed,
 * then {@code version patch}, {@code pack} and {@code publish} of the patch; each says it is a breaking change and
 * which version to use, and only the major is published. {@code info} then lists what each release changed.
 */
class SemverPublishTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Registry registry;
    RegistryServer server;
    String url;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        Path data = tmp.resolve("data");
        registry = Registry.embedded(data, Clock.systemUTC());
        server = RegistryServer.start(registry, "127.0.0.1", 0, new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"));
        url = server.url().toString();
        env = new HashMap<>(Fixtures.env(tmp.resolve("codex-home"), tmp.resolve("home")));
        CliRun token = cxpm("token", "create", "--data", data.toString());
        assertThat(token.exitCode()).as(token.stderr()).isZero();
        assertThat(cxpm("login", "--registry", url, "--token", token.stdout().strip()).exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    CliRun cxpm(String... args) {
        return CliRun.in(tmp, env, args);
    }

    static void skill(Path dir, String name) throws Exception {
        Files.createDirectories(dir.resolve("skills/" + name));
        Files.writeString(dir.resolve("skills/" + name + "/SKILL.md"), "---\nname: " + name + "\ndescription: Does " + name + ".\n---\n" + name + "\n");
    }

    @Test
    void aBreakingPatchIsRefusedByVersionWarnedByPackAndRefusedByPublishWithTheVersionToUse() throws Exception {
        Path dir = tmp.resolve("team-tools");
        Files.createDirectories(dir.resolve(".codex-plugin"));
        Files.writeString(dir.resolve(".codex-plugin/plugin.json"),
                "{\n  \"name\": \"team-tools\",\n  \"version\": \"1.2.3\",\n  \"description\": \"Team tools.\"\n}\n");
        skill(dir, "hello");
        skill(dir, "review");
        CliRun first = cxpm("publish", dir.toString());
        assertThat(first.exitCode()).as(first.stderr()).isZero();

        deleteTree(dir.resolve("skills/review"));
        CliRun patch = cxpm("version", "patch", dir.toString());
        assertThat(patch.exitCode()).as(patch.stderr()).isEqualTo(1);
        assertThat(patch.stderr()).contains("removing skill `review` is a breaking change since 1.2.3: use 2.0.0, not 1.2.4");
        assertThat(cxpm("version", "patch", dir.toString(), "--force").exitCode()).isZero();

        CliRun pack = cxpm("pack", dir.toString(), "-o", tmp.resolve("team-tools-1.2.4.tgz").toString());
        assertThat(pack.exitCode()).as(pack.stderr()).isZero();
        assertThat(pack.stderr()).contains("warning: removing skill `review` is a breaking change since 1.2.3: use 2.0.0, not 1.2.4");

        CliRun publish = cxpm("publish", dir.toString());
        assertThat(publish.exitCode()).as(publish.stderr()).isEqualTo(1);
        assertThat(publish.stderr()).contains("removing skill `review` is a breaking change since 1.2.3: publish 2.0.0, not 1.2.4")
                .contains("surface.skill-removed").contains("removed skill `review` (needs a major bump)");
        CliRun tgz = cxpm("publish", tmp.resolve("team-tools-1.2.4.tgz").toString());
        assertThat(tgz.exitCode()).as(tgz.stderr()).isEqualTo(1);
        assertThat(JSON.readTree(registry.index("team-tools").orElseThrow().json()).path("versions")).hasSize(1);

        assertThat(cxpm("version", "2.0.0", dir.toString()).exitCode()).isZero();
        CliRun major = cxpm("publish", dir.toString());
        assertThat(major.exitCode()).as(major.stderr()).isZero();

        assertThat(cxpm("marketplace", "add", url).exitCode()).isZero();
        CliRun info = cxpm("info", "team-tools@cxpm-registry");
        assertThat(info.exitCode()).as(info.stderr()).isZero();
        assertThat(info.stdout()).contains("    2.0.0\n      removed skill `review`\n");
        JsonNode v2 = JSON.readTree(cxpm("info", "team-tools@cxpm-registry", "--json").stdout()).path("plugins").get(0).path("versions").get(1);
        assertThat(v2.path("changes").toString()).isEqualTo("[\"removed skill `review`\"]");
    }

    @Test
    void undoingAYankThatWouldMakeALaterPatchBreakingIsRefusedWithTheReason() throws Exception {
        Path dir = tmp.resolve("team-tools");
        Files.createDirectories(dir.resolve(".codex-plugin"));
        Files.writeString(dir.resolve(".codex-plugin/plugin.json"),
                "{\n  \"name\": \"team-tools\",\n  \"version\": \"1.0.0\",\n  \"description\": \"Team tools.\"\n}\n");
        skill(dir, "hello");
        assertThat(cxpm("publish", dir.toString()).exitCode()).isZero();
        skill(dir, "extra");
        assertThat(cxpm("version", "minor", dir.toString()).exitCode()).isZero();
        assertThat(cxpm("publish", dir.toString()).exitCode()).isZero();
        assertThat(cxpm("yank", "team-tools@1.1.0").exitCode()).isZero();
        deleteTree(dir.resolve("skills/extra"));
        assertThat(cxpm("version", "1.1.1", dir.toString(), "--force").exitCode()).isZero();
        CliRun patch = cxpm("publish", dir.toString()); // compared with 1.0.0 while 1.1.0 is yanked
        assertThat(patch.exitCode()).as(patch.stderr()).isZero();

        CliRun undo = cxpm("yank", "team-tools@1.1.0", "--undo");
        assertThat(undo.exitCode()).as(undo.stderr()).isEqualTo(1);
        assertThat(undo.stderr()).contains("cannot restore team-tools@1.1.0: 1.1.1 is already published, and removing skill `extra`"
                + " is a breaking change since 1.1.0");
        assertThat(JSON.readTree(registry.index("team-tools").orElseThrow().json()).path("versions").get(1).path("yanked").asBoolean()).isTrue();
    }

    /**
     * The client refuses before uploading: with a token the registry would refuse (401), the answer is still the
     * SemVer refusal with the diff and the version to use, read from the registry's index document and the previous
     * release's archive; the archive is never sent.
     */
    @Test
    void publishRefusesATooSmallBumpBeforeUploading() throws Exception {
        Path dir = tmp.resolve("team-tools");
        Files.createDirectories(dir.resolve(".codex-plugin"));
        Files.writeString(dir.resolve(".codex-plugin/plugin.json"),
                "{\n  \"name\": \"team-tools\",\n  \"version\": \"1.2.3\",\n  \"description\": \"Team tools.\"\n}\n");
        skill(dir, "hello");
        skill(dir, "review");
        assertThat(cxpm("publish", dir.toString()).exitCode()).isZero();
        deleteTree(dir.resolve("skills/review"));
        assertThat(cxpm("version", "patch", dir.toString(), "--force").exitCode()).isZero();

        env.put("CXPM_TOKEN", "not-a-token-the-registry-knows");
        CliRun publish = cxpm("publish", dir.toString());
        assertThat(publish.exitCode()).as(publish.stderr()).isEqualTo(1);
        assertThat(publish.stderr()).contains("removing skill `review` is a breaking change since 1.2.3: publish 2.0.0, not 1.2.4")
                .contains("removed skill `review` (needs a major bump)").contains("nothing was uploaded")
                .doesNotContain("refused the token");
        CliRun tgz = cxpm("pack", dir.toString(), "-o", tmp.resolve("team-tools-1.2.4.tgz").toString());
        assertThat(tgz.exitCode()).isZero();
        CliRun archive = cxpm("publish", tmp.resolve("team-tools-1.2.4.tgz").toString(), "--json");
        assertThat(archive.exitCode()).isEqualTo(1);
        JsonNode error = JSON.readTree(archive.stdout()).path("error");
        assertThat(error.path("message").asText()).contains("publish 2.0.0, not 1.2.4");
        assertThat(archive.stdout()).doesNotContain("refused the token");
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
