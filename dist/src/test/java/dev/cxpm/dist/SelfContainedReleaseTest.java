package dev.cxpm.dist;

import static dev.cxpm.dist.ReleaseFixture.VERSION;
import static dev.cxpm.dist.ReleaseFixture.bash;
import static dev.cxpm.dist.ReleaseFixture.run;
import static dev.cxpm.dist.ReleaseFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.dist.ReleaseFixture.Run;
import dev.cxpm.dist.ReleaseFixture.Serve;
import dev.cxpm.testkit.CodexClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cxpm-VERSION-linux-x64.tar.gz is all a user needs: unpacked on a machine path with no JDK on PATH, no JAVA_HOME
 * and no Maven repository, it runs the author's story (init, pack, publish to a registry it serves itself) and the
 * teammate's (install, then sync from a cxpm.toml), and the real Codex CLI sees the plugin enabled.
 */
class SelfContainedReleaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theReleaseAloneRunsTheAuthorsAndTheTeammatesStoriesAndCodexSeesThePlugin() throws Exception {
        Path release = ReleaseFixture.unpack(ReleaseFixture.selfContained(), tmp.resolve("opt"));
        Path bin = release.resolve("bin");
        Path authorHome = tmp.resolve("author-home");
        Map<String, String> author = user(authorHome, bin);

        Run version = run(author, tmp, "cxpm", "--version");
        assertThat(version.code()).as(version.all()).isZero();
        assertThat(version.out()).isEqualTo("cxpm " + VERSION + "\n");
        assertThat(release.resolve("cxpm.jsa")).as("the start-up cache, made on the first run").isRegularFile();
        assertThat(authorHome).as("no Maven repository was needed or made").isDirectoryNotContaining("glob:**/.m2");

        Path registryData = tmp.resolve("registry");
        try (Serve serve = new Serve(bin.resolve("cxpm"), author, tmp, List.of("--data", registryData.toString()))) {
            // the registry runs on the release's own runtime, not a JDK of the machine
            Path exe = Path.of("/proc", String.valueOf(serve.process.pid()), "exe").toRealPath();
            assertThat(exe).isEqualTo(release.resolve("runtime/bin/java").toRealPath());

            Path work = Files.createDirectories(tmp.resolve("work"));
            for (String step : List.of("cxpm init demo", "cxpm pack demo",
                    "cxpm token create --data " + registryData + " | cxpm login --registry " + serve.url, "cxpm publish demo")) {
                Run r = bash(author, work, step);
                assertThat(r.code()).as(step + "\n" + r.all()).isZero();
            }
            assertThat(work).isDirectoryContaining("glob:**/demo-*.tgz");

            // a teammate installs it with the command its page shows
            Path teammateHome = tmp.resolve("teammate-home");
            Map<String, String> teammate = user(teammateHome, bin);
            Run install = bash(teammate, tmp, "cxpm install demo --registry " + serve.url);
            assertThat(install.code()).as(install.all()).isZero();
            assertThat(codexPlugins(teammateHome)).anySatisfy(p -> {
                assertThat(p.path("pluginId").asText()).isEqualTo("demo@cxpm-registry");
                assertThat(p.path("enabled").asBoolean()).isTrue();
            });

            // and another syncs a project that asks for it
            Path project = Files.createDirectories(tmp.resolve("project"));
            Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\ncxpm-registry = \"" + serve.url + "\"\n\n[plugins]\ndemo = \"*\"\n");
            Path secondHome = tmp.resolve("second-home");
            Run sync = bash(user(secondHome, bin), project, "cxpm sync");
            assertThat(sync.code()).as(sync.all()).isZero();
            assertThat(Files.readString(project.resolve("cxpm.lock"))).contains("name = \"demo\"", "source = \"registry+" + serve.url);
            assertThat(codexPlugins(secondHome)).anySatisfy(p -> {
                assertThat(p.path("pluginId").asText()).isEqualTo("demo@cxpm-registry");
                assertThat(p.path("enabled").asBoolean()).isTrue();
            });

            // on a runtime of JDK 25+ install starts with an AOT cache of its own and a plain sync with a static archive of
            // its own (the jlinked runtime can dump one), each made on its first run
            List<String> caches = List.of("cxpm-install.aot", "cxpm-sync.jsa");
            String runtime = Files.readString(release.resolve("runtime/release")); // JAVA_VERSION="25.0.3"
            if (Integer.parseInt(runtime.replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1")) >= 25) {
                assertThat(caches).allSatisfy(name -> assertThat(release.resolve(name)).isRegularFile());
            } else {
                assertThat(caches).allSatisfy(name -> assertThat(release.resolve(name)).doesNotExist());
            }
        }
    }

    /** The plain archive brings no runtime: it runs on one found as the checkout's launcher finds a JDK (JAVA_HOME here). */
    @Test
    void thePortableArchiveRunsOnAJavaRuntimeItFinds() throws Exception {
        Path release = ReleaseFixture.unpack(ReleaseFixture.portable(), tmp.resolve("opt"));
        assertThat(release.resolve("runtime")).doesNotExist();
        Map<String, String> env = user(tmp.resolve("home"), release.resolve("bin"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Run version = run(env, tmp, "cxpm", "--version");
        assertThat(version.code()).as(version.all()).isZero();
        assertThat(version.out()).isEqualTo("cxpm " + VERSION + "\n");
    }

    private static JsonNode codexPlugins(Path home) throws Exception {
        CodexClient.Result list = new CodexClient(home.resolve(".codex"), home).run("plugin", "list", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        return JSON.readTree(list.stdout()).path("installed");
    }
}
