package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.codex.CodexMarketplace;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.blob.BlobStore;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Codex git view follows publishes one snapshot at a time (a parentless commit of the whole tree, the same on every
 * server holding the same plugins, differing from the previous one only in the changed plugin), and a git reader is
 * never held up by a view being written: it gets the previous view until the next one is finished.
 */
class CodexViewUpdatesTest {

    @TempDir
    Path data;
    @TempDir
    Path client;
    RunningRegistry r;
    final GatedBlobs blobs = new GatedBlobs();

    /** The metadata store the registry runs on (PostgreSQL in the subclass). */
    protected JdbcDatabase database() {
        return JdbcDatabase.sqlite(data.resolve("registry.db"));
    }

    private void start() throws Exception {
        blobs.store = new FileBlobStore(data.resolve("blobs"));
        r = new RunningRegistry(data, new Registry(database(), blobs, data.resolve("uploads"), Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        blobs.release.countDown();
        if (r != null) {
            r.close();
        }
    }

    @Test
    void aPublishIsOneSnapshotDifferingOnlyInThatPluginAndAGitFetchSeesIt() throws Exception {
        start();
        assertThat(r.publish(r.admin, TestArchive.plugin("alpha", "1.0.0").bytes()).statusCode()).isEqualTo(201);
        Path clone = git(client, "clone", "-q", r.server.url() + "/codex/marketplace.git", "clone").resolve("clone");
        assertThat(clone.resolve(CodexMarketplace.pluginPath("alpha") + "/skills/hello/SKILL.md")).exists();

        assertThat(r.publish(r.admin, TestArchive.plugin("beta", "1.0.0").bytes()).statusCode()).isEqualTo(201);
        git(clone, "fetch", "-q", "origin");
        assertThat(output(clone, "diff", "--name-only", "HEAD", "origin/main"))
                .isEqualTo(".agents/plugins/marketplace.json\n" + CodexMarketplace.pluginPath("beta") + "/.codex-plugin/plugin.json\n"
                        + CodexMarketplace.pluginPath("beta") + "/skills/hello/SKILL.md\n");
        assertThat(output(clone, "rev-list", "--count", "origin/main")).as("a snapshot has no parent").isEqualTo("1\n");
        git(clone, "reset", "-q", "--hard", "origin/main");
        assertThat(r.publish(r.admin, TestArchive.plugin("alpha", "1.1.0").file("package/NEW.md", "new\n").bytes()).statusCode()).isEqualTo(201);
        update(clone);
        String alpha = CodexMarketplace.pluginPath("alpha");
        String beta = CodexMarketplace.pluginPath("beta");
        assertThat(output(clone, "diff", "--name-only", "ORIG_HEAD", "HEAD"))
                .isEqualTo(".agents/plugins/marketplace.json\n" + alpha + "/.codex-plugin/plugin.json\n" + alpha + "/NEW.md\n");
        assertThat(clone.resolve(beta + "/.codex-plugin/plugin.json")).exists();
        assertThat(clone.resolve(alpha + "/NEW.md")).hasContent("new");
        assertThat(Files.readString(clone.resolve(".agents/plugins/marketplace.json"))).contains("\"beta\"").contains("\"1.1.0\"");
        // plugins/ holds buckets, not a plugin each: a commit rewrites the one bucket tree of its plugin, not a tree of all
        assertThat(output(clone, "ls-tree", "--name-only", "HEAD", "plugins/").lines())
                .containsExactlyInAnyOrder(alpha.substring(0, alpha.lastIndexOf('/')), beta.substring(0, beta.lastIndexOf('/')))
                .allMatch(bucket -> bucket.matches("plugins/_[0-9a-f]{2}"));
        assertThat(Files.readString(clone.resolve(".agents/plugins/marketplace.json"))).contains("\"source\":\"./" + alpha + "\"");

        HttpResponse<String> yank = r.http("POST", "/api/v1/plugins/beta/versions/1.0.0/yank", r.admin);
        assertThat(yank.statusCode()).as(yank.body()).isBetween(200, 204);
        update(clone);
        assertThat(clone.resolve(beta)).doesNotExist();
        assertThat(Files.readString(clone.resolve(".agents/plugins/marketplace.json"))).doesNotContain("\"beta\"").contains("\"alpha\"");
    }

    @Test
    void aRestartedServerServesTheViewOnDiskAndCatchesUpWithChangesMadeWhileItWasDown() throws Exception {
        start();
        assertThat(r.publish(r.admin, TestArchive.plugin("alpha", "1.0.0").bytes()).statusCode()).isEqualTo(201);
        Path clone = git(client, "clone", "-q", r.server.url() + "/codex/marketplace.git", "clone").resolve("clone");
        r.close();
        r = null;
        try (Registry offline = new Registry(database(), new FileBlobStore(data.resolve("blobs")), data.resolve("uploads"), Clock.systemUTC())) {
            offline.publish(offline.authenticate("Bearer " + offline.createToken(null, "alice", List.of("admin"), null, null).token()),
                    TestArchive.plugin("gamma", "1.0.0").bytes());
        }
        start();
        assertThat(r.get("/codex/marketplace.git/info/refs").statusCode()).isEqualTo(200);
        // the first request started the check against the database; the next publish waits for it and shows both
        assertThat(r.publish(r.admin, TestArchive.plugin("delta", "1.0.0").bytes()).statusCode()).isEqualTo(201);
        git(clone, "remote", "set-url", "origin", r.server.url() + "/codex/marketplace.git"); // a new port
        update(clone);
        assertThat(clone.resolve(CodexMarketplace.pluginPath("gamma") + "/skills/hello/SKILL.md")).exists();
        assertThat(clone.resolve(CodexMarketplace.pluginPath("delta") + "/skills/hello/SKILL.md")).exists();
        assertThat(clone.resolve(CodexMarketplace.pluginPath("alpha") + "/skills/hello/SKILL.md")).exists();
    }

    @Test
    void aViewLeftOnDiskInTheFlatLayoutOfOlderRegistriesIsMovedIntoBucketsByTheFirstBuild() throws Exception {
        start();
        assertThat(r.publish(r.admin, TestArchive.plugin("alpha", "1.0.0").bytes()).statusCode()).isEqualTo(201);
        assertThat(r.get("/codex/marketplace.git/info/refs").statusCode()).isEqualTo(200); // the first view, on disk
        r.close();
        r = null;
        // what an older registry left: plugins/alpha, and marketplace.json pointing there
        Path old = git(client, "clone", "-q", data.resolve("codex-marketplace.git").toString(), "old").resolve("old");
        String alpha = CodexMarketplace.pluginPath("alpha");
        git(old, "mv", alpha, "plugins/alpha");
        Path manifest = old.resolve(".agents/plugins/marketplace.json");
        Files.writeString(manifest, Files.readString(manifest).replace("./" + alpha, "./plugins/alpha"));
        git(old, "-c", "user.name=old", "-c", "user.email=old@example.invalid", "commit", "-q", "-am", "flat layout");
        git(old, "push", "-q", "origin", "main");
        git(old, "--git-dir=" + data.resolve("codex-marketplace.git"), "update-server-info");

        start();
        assertThat(r.get("/codex/marketplace.git/info/refs").statusCode()).isEqualTo(200); // starts the check behind
        assertThat(r.publish(r.admin, TestArchive.plugin("delta", "1.0.0").bytes()).statusCode()).isEqualTo(201);
        Path clone = git(client, "clone", "-q", r.server.url() + "/codex/marketplace.git", "moved").resolve("moved");
        assertThat(clone.resolve(alpha + "/skills/hello/SKILL.md")).exists();
        assertThat(clone.resolve("plugins/alpha")).doesNotExist();
        assertThat(Files.readString(clone.resolve(".agents/plugins/marketplace.json")))
                .contains("\"source\":\"./" + alpha + "\"").doesNotContain("./plugins/alpha\"");
    }

    @Test
    void whileTheNextViewIsBeingWrittenGitReadersGetThePreviousOneWithoutWaiting() throws Exception {
        start();
        assertThat(r.publish(r.admin, TestArchive.plugin("alpha", "1.0.0").bytes()).statusCode()).isEqualTo(201);
        git(client, "clone", "-q", r.server.url() + "/codex/marketplace.git", "before");

        blobs.gate = true; // the builder now stops inside the next blob it reads, until released
        CompletableFuture<HttpResponse<String>> publishing = CompletableFuture.supplyAsync(() -> {
            try {
                return r.publish(r.admin, TestArchive.plugin("slow", "1.0.0").bytes());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(blobs.entered.await(2, TimeUnit.MINUTES)).as("the builder reached the new plugin's archive").isTrue();

        Path during = git(client, "clone", "-q", r.server.url() + "/codex/marketplace.git", "during").resolve("during");
        assertThat(during.resolve(CodexMarketplace.pluginPath("alpha") + "/skills/hello/SKILL.md")).exists();
        assertThat(during.resolve(CodexMarketplace.pluginPath("slow"))).doesNotExist();
        assertThat(r.get("/codex/marketplace.git/info/refs").statusCode()).isEqualTo(200);
        assertThat(publishing).isNotDone();

        blobs.release.countDown();
        assertThat(publishing.get(2, TimeUnit.MINUTES).statusCode()).isEqualTo(201);
        update(during);
        assertThat(during.resolve(CodexMarketplace.pluginPath("slow") + "/skills/hello/SKILL.md")).exists();
    }

    /** A clone taking the new snapshot (not a fast-forward: a snapshot has no parent): fetch it, then check it out. */
    private static void update(Path clone) throws Exception {
        git(clone, "fetch", "-q", "origin");
        git(clone, "reset", "-q", "--hard", "origin/main");
    }

    private static Path git(Path dir, String... args) throws Exception {
        output(dir, args);
        return dir;
    }

    private static String output(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-c", "protocol.version=0"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** A blob store that, once gated, stops the first reader of a blob until released (a slow store, on demand). */
    static final class GatedBlobs implements BlobStore {
        volatile BlobStore store;
        volatile boolean gate;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Optional<InputStream> open(Integrity integrity) {
            if (gate && Thread.currentThread().getName().startsWith("codex-view")) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return store.open(integrity);
        }

        @Override
        public void put(Integrity integrity, byte[] content) {
            store.put(integrity, content);
        }

        @Override
        public void put(Integrity integrity, Path file) {
            store.put(integrity, file);
        }

        @Override
        public boolean exists(Integrity integrity) {
            return store.exists(integrity);
        }

        @Override
        public void delete(Integrity integrity) {
            store.delete(integrity);
        }

        @Override
        public Set<Integrity> list() {
            return store.list();
        }
    }
}
