package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.registry.codex.CodexMarketplace;
import dev.cxpm.registry.storage.JdbcDatabase;
import dev.cxpm.registry.storage.RegistryDatabase;
import dev.cxpm.registry.storage.blob.FileBlobStore;
import dev.cxpm.testkit.CodexClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A publisher's archive holding names git treats specially ({@code .git} at any depth and its NTFS/HFS
 * look-alikes, {@code .gitmodules}, {@code .gitattributes}, backslashes) must neither be published nor, when
 * one is stored already, break the Codex git view for every other plugin; no error body shows a server path.
 */
class CodexGitViewHostileTest {

    @TempDir
    Path data;
    @TempDir
    Path client;
    RunningRegistry r;

    @BeforeEach
    void start() throws IOException {
        r = RunningRegistry.embedded(data);
    }

    @AfterEach
    void stop() {
        r.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {".git/config", "skills/.git/HEAD", ".GIT/config", ".git./config", ".git /config", "git~1/config",
            ".git::$INDEX_ALLOCATION/config", ".g\u200cit/config", ".gitmodules", "skills/.GitModules", ".gitattributes",
            "gitmod~1", "skills\\hello\\notes.md", "bad\nname.md"})
    void archiveWithANameGitTreatsSpeciallyIsRefusedAndNothingIsStored(String name) throws Exception {
        byte[] archive = TestArchive.plugin("sneaky", "1.0.0").file("package/" + name, "[core]\n").bytes();
        HttpResponse<String> res = r.publish(r.admin, archive);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        assertThat(res.body()).containsAnyOf("git-reserved-name", "bad-path");
        assertThat(r.get("/api/v1/plugins/sneaky").statusCode()).isEqualTo(404);
        assertThat(new FileBlobStore(data.resolve("blobs")).list()).isEmpty();
    }

    @Test
    void githubDirectoryAndGitignoreAreOrdinaryFiles() throws Exception {
        byte[] archive = TestArchive.plugin("ordinary", "1.0.0").file("package/.github/workflows/ci.yml", "on: push\n")
                .file("package/.gitignore", "node_modules/\n").file("package/.gitkeep", "").bytes();
        HttpResponse<String> res = r.publish(r.admin, archive);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
        Path clone = gitClone();
        assertThat(clone.resolve(CodexMarketplace.pluginPath("ordinary") + "/.github/workflows/ci.yml")).hasContent("on: push");
        assertThat(clone.resolve(CodexMarketplace.pluginPath("ordinary") + "/.gitignore")).exists();
    }

    /**
     * An archive stored before publish refused such names (or written to the store by other means) holds an
     * embedded repository and a {@code .gitmodules}: the view leaves that plugin out and serves the others.
     */
    @Test
    void storedArchiveWithAnEmbeddedRepositoryDoesNotBreakTheGitViewForOtherPlugins() throws Exception {
        assertThat(r.publish(r.admin, TestArchive.plugin("good", "1.0.0").bytes()).statusCode()).isEqualTo(201);
        plantStored("evil", TestArchive.plugin("evil", "1.0.0")
                .dir("package/.git").dir("package/.git/objects").dir("package/.git/refs")
                .file("package/.git/HEAD", "ref: refs/heads/main\n")
                .file("package/.git/config", "[core]\n\tfsmonitor = touch /tmp/cxpm-owned\n")
                .file("package/sub/.git", "gitdir: /etc\n")
                .file("package/.gitmodules", "[submodule \"x\"]\n\tpath = x\n\turl = --upload-pack=touch\n").bytes());

        HttpResponse<String> refs = r.get("/codex/marketplace.git/info/refs");
        assertThat(refs.statusCode()).as(refs.body()).isEqualTo(200);
        assertThat(refs.body()).doesNotContain(data.toString());

        Path clone = gitClone();
        assertThat(clone.resolve(CodexMarketplace.pluginPath("good") + "/.codex-plugin/plugin.json")).exists();
        assertThat(clone.resolve(CodexMarketplace.pluginPath("evil"))).doesNotExist();
        assertThat(Files.readString(clone.resolve(".agents/plugins/marketplace.json"))).contains("\"good\"").doesNotContain("\"evil\"");

        CodexClient codex = new CodexClient(client.resolve("codex-home"), client.resolve("home"));
        CodexClient.Result add = codex.run("plugin", "marketplace", "add", r.server.url() + "/codex/marketplace.git");
        assertThat(add.exitCode()).as(add.output()).isZero();
        CodexClient.Result install = codex.run("plugin", "add", "good@cxpm-registry");
        assertThat(install.exitCode()).as(install.output()).isZero();
        assertThat(client.resolve("codex-home/plugins/cache/cxpm-registry/good/1.0.0/skills/hello/SKILL.md")).exists();
    }

    @Test
    void internalErrorsShowNeitherServerPathsNorExceptionDetails() throws Exception {
        Files.writeString(data.resolve("codex-marketplace.git"), "not a directory");
        HttpResponse<String> res = r.get("/codex/marketplace.git/info/refs");
        assertThat(res.statusCode()).isEqualTo(500);
        assertThat(res.body()).doesNotContain(data.toString()).doesNotContain("Exception").doesNotContain("codex-marketplace")
                .contains("\"error\":\"internal\"").containsPattern("request [0-9a-f]{12}");
    }

    /**
     * The view serves the refs of its last finished build and the files a dumb-HTTP clone asks for, by name: a path
     * spelt another way ({@code info/./refs}, {@code ./HEAD}, {@code objects//info/packs}) must not reach the refs on
     * disk (which a build in progress rewrites) or any other file of the bare repository (config, hooks, description).
     */
    @Test
    void onlyTheNamesADumbHttpCloneAsksForAreServedNeverAnotherSpellingOrAnotherFile(@TempDir Path own) throws Exception {
        try (Registry registry = Registry.embedded(own.resolve("data"), java.time.Clock.systemUTC())) {
            registry.publish(new Caller("alice", List.of(Caller.ADMIN), null), TestArchive.plugin("good", "1.0.0").bytes());
            Path repo = own.resolve("view.git");
            CodexMarketplace view = new CodexMarketplace(registry, repo, "cxpm-registry");
            byte[] served;
            try (CodexMarketplace.RepositoryFile refs = view.file("info/refs").orElseThrow()) {
                served = refs.content().readAllBytes();
            }
            Files.writeString(repo.resolve("info/refs"), "planted on disk\n");
            try (CodexMarketplace.RepositoryFile refs = view.file("info/refs").orElseThrow()) {
                assertThat(refs.content().readAllBytes()).isEqualTo(served);
            }
            assertThat(Files.exists(repo.resolve("config"))).isTrue();
            for (String name : List.of("info/./refs", "./info/refs", "info//refs", "./HEAD", "objects//info/packs", "objects/./info/packs",
                    "config", "description", "hooks/pre-receive.sample", "info/exclude", "objects/info/packs/", "HEAD/", "refs/heads/main",
                    "objects/pack/pack-x.pack", "objects/pack/../../config", "objects\\info\\packs", "objects/info/packs\0")) {
                assertThat(view.file(name)).as(name).isEmpty();
            }
            assertThat(view.file("HEAD")).isPresent().get().satisfies(f -> f.close());
            assertThat(view.file("objects/info/packs")).isPresent().get().satisfies(f -> f.close());
            List<String> objects;
            try (var all = Files.walk(repo.resolve("objects"))) {
                objects = all.filter(Files::isRegularFile).map(p -> repo.relativize(p).toString())
                        .filter(n -> !n.startsWith("objects/info/")) // what a clone asks for (a newer git also writes .rev files)
                        .filter(n -> !n.startsWith("objects/pack/") || n.endsWith(".pack") || n.endsWith(".idx")).toList();
            }
            assertThat(objects).isNotEmpty().allSatisfy(n -> assertThat(view.file(n)).as(n).isPresent().get().satisfies(f -> f.close()));
        }
    }

    /** Writes a version straight to the store, past publish's checks, as an older registry could have. */
    private void plantStored(String name, byte[] tgz) {
        Integrity integrity = Integrity.sha512(tgz);
        new FileBlobStore(data.resolve("blobs")).put(integrity, tgz);
        try (JdbcDatabase db = JdbcDatabase.sqlite(data.resolve("registry.db"))) {
            db.insertVersion(new RegistryDatabase.VersionRow(name, "1.0.0", integrity, tgz.length,
                            "{\"name\":\"" + name + "\"}", "{}", false, "alice", Instant.now(), null),
                    new RegistryDatabase.Summary(null, "A plugin for " + name + ".", null, List.of(), List.of()), true, (n, existing) -> java.util.Optional.empty(),
                    RegistryDatabase.VersionRule.NONE, null);
        }
        // the view has not been built yet (no git request so far), so its first build reads this version
    }

    private Path gitClone() throws Exception {
        Path dest = client.resolve("clone");
        Process p = new ProcessBuilder("git", "clone", "-q", r.server.url() + "/codex/marketplace.git", dest.toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return dest;
    }
}
