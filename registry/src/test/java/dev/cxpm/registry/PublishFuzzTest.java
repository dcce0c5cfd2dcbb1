package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.pack.Packer;
import dev.cxpm.testkit.Fuzz;
import dev.cxpm.testkit.FuzzArchives;
import dev.cxpm.testkit.Shared;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the registry's publish (the project's hostile-input rule): real public plugins from the corpus
 * sample, packed by cxpm's packer, mutated as gzip bytes, as tar bytes and as whole tar entries (duplicated, dropped,
 * sizes that lie), and a zip-bomb-like ratio, published through {@link Registry#publish} and, for a part, as raw
 * uploads to a real server. Every outcome must be a publish or a refusal the client can read (4xx), never a 500 or
 * another exception, never a hang (a generous per-case watchdog names the input), and nothing left in the spool.
 */
class PublishFuzzTest {

    private static final Duration WATCHDOG = Duration.ofSeconds(60);
    private static final Path FAILURES = Path.of("target/fuzz-failures");
    private static final long SEED = 20261206L;
    private static final Caller ADMIN = new Caller("alice", List.of(Caller.ADMIN), null);

    @TempDir
    Path tmp;

    private List<Fuzz.Case> cases(int perSeed) throws Exception {
        Path corpus = Shared.corpusSample().resolve("corpus");
        List<Path> plugins;
        try (Stream<Path> s = Files.walk(corpus)) {
            plugins = s.filter(p -> p.getFileName().toString().equals("plugin.json") && p.getParent().getFileName().toString().equals(".codex-plugin"))
                    .map(p -> p.getParent().getParent()).sorted().limit(3).toList();
        }
        assertThat(plugins).hasSize(3);
        List<Fuzz.Case> cases = new ArrayList<>();
        for (Path plugin : plugins) {
            String name = plugin.getFileName().toString();
            byte[] gz = Files.readAllBytes(new Packer().pack(plugin, tmp.resolve(name + ".tgz")).file());
            byte[] tar = FuzzArchives.gunzip(gz);
            cases.addAll(Fuzz.mutations(name + ".tgz", gz, perSeed, SEED));
            for (Fuzz.Case c : Fuzz.mutations(name + ".tar", tar, 2 * perSeed, SEED)) {
                cases.add(new Fuzz.Case(c.seed(), c.index(), c.mutation() + ", gzipped", FuzzArchives.gzip(c.bytes())));
            }
            for (Fuzz.Case c : FuzzArchives.entryMutations(tar, perSeed, SEED)) {
                cases.add(new Fuzz.Case(name + " " + c.seed(), c.index(), c.mutation(), c.bytes()));
            }
        }
        cases.add(FuzzArchives.bomb());
        return cases;
    }

    @Test
    void mutatedArchivesOfRealPluginsArePublishedOrRefusedWithA4xxNeverAnotherFailure() throws Exception {
        List<Fuzz.Case> cases = cases(20);
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        try (Registry registry = Registry.embedded(tmp.resolve("data"), Clock.systemUTC())) {
            Fuzz.run(cases, WATCHDOG, FAILURES, c -> {
                Path upload = Files.write(spool.resolve("upload.tgz"), c.bytes());
                try {
                    registry.publish(ADMIN, upload);
                } catch (RegistryException e) {
                    if (e.status() < 400 || e.status() >= 500) {
                        throw new AssertionError("status " + e.status() + " for " + c, e);
                    }
                }
                try (Stream<Path> left = Files.list(spool)) {
                    assertThat(left.map(p -> p.getFileName().toString()).toList()).as("only the upload is left").containsExactly("upload.tgz");
                }
                Files.delete(upload);
            });
        }
    }

    /**
     * The client's side: a registry's index document and key list, as a real server serves them (signed, with an
     * advisory and a deprecation), mutated, are read by core's strict readers or refused as the user's error (a
     * registry that answers with anything is untrusted), never another exception.
     */
    @Test
    void mutatedIndexDocumentsAndKeyListsAreReadOrRefusedAsAUserErrorNeverAnotherFailure() throws Exception {
        List<Fuzz.Case> cases = new ArrayList<>();
        try (RunningRegistry r = RunningRegistry.embedded(tmp.resolve("answers"))) {
            assertThat(r.publish(r.admin, TestArchive.plugin("demo", "1.0.0").bytes()).statusCode()).isEqualTo(201);
            assertThat(r.publish(r.admin, TestArchive.plugin("demo", "1.1.0").bytes()).statusCode()).isEqualTo(201);
            r.registry.addAdvisory(ADMIN, "demo", null, "<1.1.0", "high", "A hole.", "https://example.com/a");
            r.registry.deprecate(ADMIN, "demo", "1.0.0", "use 1.1.0");
            byte[] index = r.get("/api/v1/plugins/demo").body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] keys = r.get(dev.cxpm.core.registry.RegistryKey.KEYS_PATH).body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            dev.cxpm.core.registry.RegistryIndex.parse(index, "seed");
            dev.cxpm.core.registry.RegistryKeys.parse(keys, "seed");
            cases.addAll(Fuzz.mutations("index", index, 300, SEED));
            cases.addAll(Fuzz.mutations("keys", keys, 100, SEED));
        }
        Fuzz.run(cases, WATCHDOG, FAILURES, c -> {
            try {
                if (c.seed().equals("index")) {
                    dev.cxpm.core.registry.RegistryIndex.parse(c.bytes(), "the registry");
                } else {
                    dev.cxpm.core.registry.RegistryKeys.parse(c.bytes(), "the registry");
                }
            } catch (dev.cxpm.core.UserError expected) {
                assertThat(expected.getMessage()).contains("the registry");
            }
        });
    }

    @Test
    void mutatedArchivesUploadedToARealServerAreAnsweredWithoutA500() throws Exception {
        List<Fuzz.Case> cases = cases(4);
        try (RunningRegistry r = RunningRegistry.embedded(tmp.resolve("server"))) {
            Fuzz.run(cases, WATCHDOG, FAILURES, c -> {
                HttpResponse<String> res = r.publish(r.admin, c.bytes());
                assertThat(res.statusCode()).as(c + ": " + res.body()).isIn(201, 400, 409, 413, 422);
            });
            try (Stream<Path> left = Files.list(tmp.resolve("server/uploads"))) {
                assertThat(left.toList()).as("the spool is empty").isEmpty();
            }
        }
    }
}
