package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a publish unpacks the upload for {@code validate --strict}: beside the spooled upload, in the directory its
 * caller owns and clears (the server's {@code DIR/uploads/}, emptied at every start), never the shared temp dir, where
 * each JVM that died mid-check (a stop during a publish, a killed test server) left one {@code cxpm-publish-*} tree
 * that nothing ever removed: 34 of them in a day on the CI machine, a disk-filling vector on a server.
 */
class PublishScratchTest {

    private static final Caller ADMIN = new Caller("alice", List.of(Caller.ADMIN), null);

    @Test
    void theCheckUnpacksBesideTheUploadAndRemovesItWhetherThePublishSucceedsOrIsRefused(@TempDir Path data, @TempDir Path spool)
            throws Exception {
        Path good = Files.write(spool.resolve("good.tgz"), TestArchive.plugin("demo", "1.0.0").bytes());
        // read by the registry's checks, then refused by validate --strict (a skill without its front matter)
        Path bad = Files.write(spool.resolve("bad.tgz"), new TestArchive()
                .file("package/.codex-plugin/plugin.json", "{\"name\":\"other\",\"version\":\"1.0.0\",\"description\":\"Other.\"}")
                .file("package/skills/x/SKILL.md", "no front matter\n").bytes());
        List<String> created = new ArrayList<>();
        try (Registry registry = Registry.embedded(data, Clock.systemUTC());
                WatchService watch = FileSystems.getDefault().newWatchService()) {
            WatchKey key = spool.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            assertThat(registry.publish(ADMIN, good).version()).isEqualTo("1.0.0");
            assertThatThrownBy(() -> registry.publish(ADMIN, bad)).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("validate --strict");
            for (WatchEvent<?> e : key.pollEvents()) {
                created.add(String.valueOf(e.context()));
            }
        }
        assertThat(created).as("each check unpacked beside its upload").hasSize(2);
        try (Stream<Path> left = Files.list(spool)) {
            assertThat(left.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("and removed what it unpacked").containsExactly("bad.tgz", "good.tgz");
        }
    }

    @Test
    void aServerStartsAndClearsAChecksTreeThatAJvmKilledMidPublishLeftInItsSpool(@TempDir Path data) throws Exception {
        Path uploads = data.resolve("uploads");
        Path left = Files.createDirectories(uploads.resolve("check-123/plugin/.codex-plugin"));
        Files.writeString(left.resolve("plugin.json"), "{\"name\":\"demo\"}", StandardCharsets.UTF_8);
        Files.writeString(uploads.resolve("upload-1.tgz"), "half", StandardCharsets.UTF_8);
        try (Registry registry = Registry.embedded(data, Clock.systemUTC());
                RegistryServer server = RegistryServer.start(registry, "127.0.0.1", 0,
                        new RegistryServer.Options(data.resolve("codex-marketplace.git"), "cxpm-registry"))) {
            assertThat(server.url()).isNotNull();
            try (Stream<Path> s = Files.list(uploads)) {
                assertThat(s.toList()).isEmpty();
            }
        }
    }
}
