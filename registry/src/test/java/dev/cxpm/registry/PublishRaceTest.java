package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One name, one version, whatever arrives at the same moment: build metadata does not make a second
 * {@code 1.0.0} (SemVer precedence ignores it), and of several look-alike names published at once by
 * different users exactly one is created; of two versions of one plugin published at once, the second is
 * held to SemVer against the first. SQLite here; PostgreSQL in {@link PostgresPublishRaceTest}.
 */
class PublishRaceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every round's data directory is made under it: a sibling of a JUnit temp dir is never removed (it was, in /tmp). */
    @TempDir
    Path tmp;
    Path data;
    RunningRegistry r;

    protected Registry open(Path dir) {
        return Registry.embedded(dir, Clock.systemUTC());
    }

    @BeforeEach
    void start() throws Exception {
        if (data == null) {
            data = tmp.resolve("data");
        }
        r = new RunningRegistry(data, open(data));
    }

    @AfterEach
    void stop() {
        r.close();
    }

    @Test
    void buildMetadataDoesNotMakeASecondVersionBesideTheSameRelease() throws Exception {
        assertThat(r.publish(r.admin, TestArchive.plugin("demo", "1.0.0").bytes()).statusCode()).isEqualTo(201);
        HttpResponse<String> rebuilt = r.publish(r.admin, TestArchive.plugin("demo", "1.0.0+rebuilt").bytes());
        assertThat(rebuilt.statusCode()).as(rebuilt.body()).isEqualTo(409);
        assertThat(JSON.readTree(rebuilt.body()).path("error").asText()).isEqualTo("version-exists");
        assertThat(JSON.readTree(rebuilt.body()).path("message").asText()).contains("1.0.0").contains("build metadata");

        assertThat(r.publish(r.admin, TestArchive.plugin("other", "2.0.0+a").bytes()).statusCode()).isEqualTo(201);
        assertThat(r.publish(r.admin, TestArchive.plugin("other", "2.0.0").bytes()).statusCode()).isEqualTo(409);
        assertThat(r.publish(r.admin, TestArchive.plugin("other", "2.0.0-rc.1+a").bytes()).statusCode()).as("a pre-release is another version").isEqualTo(201);
        assertThat(JSON.readTree(r.get("/api/v1/plugins/demo").body()).path("versions")).hasSize(1);
        assertThat(JSON.readTree(r.get("/api/v1/plugins/other").body()).path("versions")).hasSize(2);
    }

    @Test
    void concurrentPublishesDifferingOnlyInBuildMetadataLeaveOneVersion() throws Exception {
        List<byte[]> archives = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            archives.add(TestArchive.plugin("race", "1.0.0+build" + i).bytes());
        }
        List<Integer> codes = race(archives, i -> r.admin);
        assertThat(codes).filteredOn(c -> c == 201).hasSize(1);
        assertThat(codes).filteredOn(c -> c == 409).hasSize(7);
        assertThat(JSON.readTree(r.get("/api/v1/plugins/race").body()).path("versions")).hasSize(1);
    }

    @Test
    void ofLookAlikeNamesPublishedAtTheSameMomentByDifferentUsersExactlyOneIsCreated() throws Exception {
        // every pair folds to one skeleton, so whichever is first, each other one is its look-alike
        List<String> names = List.of("github-triage", "github_triage", "github.triage", "githubtriage", "g1thub-triage",
                "gi7hub-triage", "github--triage", "git-hub-triage");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            tokens.add(r.token("user" + i));
        }
        List<byte[]> archives = names.stream().map(n -> TestArchive.plugin(n, "1.0.0").bytes()).toList();
        for (int round = 0; round < 3; round++) {
            if (round > 0) {
                stop();
                data = tmp.resolve("data-" + round);
                start();
                tokens.clear();
                for (int i = 0; i < names.size(); i++) {
                    tokens.add(r.token("user" + i));
                }
            }
            List<Integer> codes = race(archives, tokens::get);
            assertThat(codes).as("round " + round).filteredOn(c -> c == 201).hasSize(1);
            assertThat(codes).as("round " + round).filteredOn(c -> c == 409).hasSize(names.size() - 1);
            assertThat(JSON.readTree(r.get("/api/v1/search").body()).path("total").asInt()).isEqualTo(1);
        }
    }

    @Test
    void ofTwoVersionsPublishedAtTheSameMomentTheSecondIsComparedWithTheFirst() throws Exception {
        // 1.1.0 adds `extra`, 1.1.1 lacks it: whichever lands second makes a patch that removes a skill
        for (int round = 0; round < 6; round++) {
            String name = "semver-race-" + round;
            assertThat(r.publish(r.admin, withSkills(name, "1.0.0", "hello")).statusCode()).isEqualTo(201);
            List<byte[]> archives = List.of(withSkills(name, "1.1.0", "hello", "extra"), withSkills(name, "1.1.1", "hello"));
            List<Integer> codes = race(archives, i -> r.admin);
            assertThat(codes).as("round " + round).containsExactlyInAnyOrder(201, 422);
            assertThat(JSON.readTree(r.get("/api/v1/plugins/" + name).body()).path("versions")).as("round " + round).hasSize(2);
        }
    }

    private static byte[] withSkills(String name, String version, String... skills) {
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put(".codex-plugin/plugin.json", "{\"name\": \"" + name + "\", \"version\": \"" + version + "\", \"description\": \"A demo.\"}");
        for (String skill : skills) {
            files.put("skills/" + skill + "/SKILL.md", "---\nname: " + skill + "\ndescription: Does " + skill + ".\n---\n" + skill + "\n");
        }
        return dev.cxpm.core.pack.Packer.archive(files);
    }

    private List<Integer> race(List<byte[]> archives, java.util.function.IntFunction<String> token) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(archives.size())) {
            for (int i = 0; i < archives.size(); i++) {
                byte[] archive = archives.get(i);
                String t = token.apply(i);
                results.add(pool.submit(() -> {
                    go.await();
                    return r.publish(t, archive).statusCode();
                }));
            }
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : results) {
                codes.add(f.get());
            }
            return codes;
        }
    }
}
