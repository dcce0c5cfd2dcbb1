package dev.cxpm.dist;

import static dev.cxpm.dist.ReleaseFixture.VERSION;
import static dev.cxpm.dist.ReleaseFixture.bash;
import static dev.cxpm.dist.ReleaseFixture.run;
import static dev.cxpm.dist.ReleaseFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.dist.ReleaseFixture.Run;
import dev.cxpm.dist.ReleaseFixture.Serve;
import dev.cxpm.testkit.CodexClient;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user with a shell, curl and tar installs cxpm from a running registry in one command: the registry is the
 * release's own {@code cxpm serve --release-dir}, the script is piped to sh as the home page says, and the installed
 * {@code cxpm} runs. A download whose SHA-512 does not match installs nothing.
 */
class InstallScriptTest {

    @TempDir
    Path tmp;

    /**
     * The "done when": a new user with a shell, curl and tar runs the one command the registry's page shows,
     * then, with the cxpm it installed in ~/.local/bin (and nothing else of ours on PATH), syncs a project whose
     * cxpm.toml and cxpm.lock its author committed, {@code --frozen} as in CI; the real Codex CLI sees the plugin.
     */
    @Test
    void oneCommandInstallsTheReleaseThenTheTeammatesStoryRunsWithTheInstalledCxpm() throws Exception {
        Path release = ReleaseFixture.unpack(ReleaseFixture.selfContained(), tmp.resolve("opt"));
        Path home = tmp.resolve("home");
        try (Serve serve = serve(release, ReleaseFixture.target())) {
            Map<String, String> env = user(home, null);
            String page = bash(env, tmp, "curl -fsS " + serve.url + "/").out();
            String command = "curl -fsSL " + serve.url + "/install.sh | sh";
            assertThat(page).as("the home page shows the one command").contains("<code id=install-cxpm>" + command + "</code>");

            // tests run as root in CI: the script is told it may (the refusal is the next test)
            Run install = bash(env, tmp, command + " -s -- --allow-root");
            assertThat(install.code()).as(install.all()).isZero();
            assertThat(install.out()).contains("cxpm-install: downloading " + serve.url + "/downloads/cxpm-" + VERSION + "-linux-x64.tar.gz",
                    "cxpm-install: checking its SHA-512", "cxpm-install: unpacking into " + home.resolve(".local/share/cxpm/" + VERSION),
                    "cxpm " + VERSION + "\n", "is not on your PATH");
            Path link = home.resolve(".local/bin/cxpm");
            assertThat(Files.readSymbolicLink(link)).isEqualTo(home.resolve(".local/share/cxpm/" + VERSION + "/bin/cxpm"));
            Map<String, String> teammate = user(home, link.getParent());
            Run version = run(teammate, tmp, "cxpm", "--version");
            assertThat(version.code()).as(version.all()).isZero();
            assertThat(version.out()).isEqualTo("cxpm " + VERSION + "\n");

            // The author (another user, with the unpacked release) publishes a plugin and commits a project asking for it.
            Map<String, String> author = user(tmp.resolve("author-home"), release.resolve("bin"));
            Path work = Files.createDirectories(tmp.resolve("work"));
            Path project = Files.createDirectories(tmp.resolve("project"));
            Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\ncxpm-registry = \"" + serve.url + "\"\n\n[plugins]\ndemo = \"^0\"\n");
            for (String[] step : List.of(new String[] {work.toString(), "cxpm init demo"}, new String[] {work.toString(), "cxpm pack demo"},
                    new String[] {work.toString(), "cxpm token create --data " + tmp.resolve("registry") + " | cxpm login --registry " + serve.url},
                    new String[] {work.toString(), "cxpm publish demo"}, new String[] {project.toString(), "cxpm sync"},
                    new String[] {project.toString(), "git init -q && git add cxpm.toml cxpm.lock && git -c user.name=Author -c user.email=author@example.com commit -qm plugins"})) {
                Run r = bash(author, Path.of(step[0]), step[1]);
                assertThat(r.code()).as(step[1] + "\n" + r.all()).isZero();
            }

            // The teammate clones it and syncs with the installed cxpm, as CI would: the lock as committed, nothing resolved.
            Run clone = bash(teammate, tmp, "git clone -q " + project + " clone");
            assertThat(clone.code()).as(clone.all()).isZero();
            Path clonedProject = tmp.resolve("clone");
            Run which = bash(teammate, clonedProject, "command -v cxpm");
            assertThat(which.out().strip()).as("the cxpm the one command installed").isEqualTo(link.toString());
            Run sync = bash(teammate, clonedProject, "cxpm sync --frozen");
            assertThat(sync.code()).as(sync.all()).isZero();
            Run status = bash(teammate, clonedProject, "git status --porcelain");
            assertThat(status.out()).as("--frozen changed nothing in the project").isEmpty();
            CodexClient.Result plugins = new CodexClient(home.resolve(".codex"), home).run("plugin", "list", "--json");
            assertThat(plugins.exitCode()).as(plugins.output()).isZero();
            assertThat(new ObjectMapper().readTree(plugins.stdout()).path("installed")).anySatisfy(p -> {
                assertThat(p.path("pluginId").asText()).isEqualTo("demo@cxpm-registry");
                assertThat(p.path("enabled").asBoolean()).isTrue();
            });
        }
    }

    @Test
    void cxpmPrefixInstallsUnderThatDirectoryInsteadOfDotLocalAndMustBeAbsolute() throws Exception {
        Path release = ReleaseFixture.unpack(ReleaseFixture.selfContained(), tmp.resolve("opt"));
        Path home = tmp.resolve("home");
        Path prefix = tmp.resolve("tools");
        try (Serve serve = serve(release, ReleaseFixture.target())) {
            Map<String, String> env = user(home, null);
            Run relative = bash(env, tmp, "curl -fsSL " + serve.url + "/install.sh | CXPM_PREFIX=tools CXPM_ALLOW_ROOT=1 sh");
            assertThat(relative.code()).as(relative.all()).isNotZero();
            assertThat(relative.err()).contains("CXPM_PREFIX must be an absolute path, not tools");

            Run install = bash(env, tmp, "curl -fsSL " + serve.url + "/install.sh | CXPM_PREFIX=" + prefix + " CXPM_ALLOW_ROOT=1 sh");
            assertThat(install.code()).as(install.all()).isZero();
            assertThat(install.out()).contains("cxpm-install: unpacking into " + prefix.resolve("share/cxpm/" + VERSION),
                    prefix.resolve("bin") + " is not on your PATH");
            Path link = prefix.resolve("bin/cxpm");
            assertThat(Files.readSymbolicLink(link)).isEqualTo(prefix.resolve("share/cxpm/" + VERSION + "/bin/cxpm"));
            Run version = run(user(home, link.getParent()), tmp, "cxpm", "--version");
            assertThat(version.code()).as(version.all()).isZero();
            assertThat(version.out()).isEqualTo("cxpm " + VERSION + "\n");
        }
        assertThat(home.resolve(".local")).as("nothing under ~/.local").doesNotExist();
    }

    @Test
    void aCorruptedArchiveFailsTheSha512CheckAndNothingIsInstalled() throws Exception {
        Path release = ReleaseFixture.unpack(ReleaseFixture.selfContained(), tmp.resolve("opt"));
        Path corrupted = Files.createDirectories(tmp.resolve("releases"));
        String name = ReleaseFixture.selfContained().getFileName().toString();
        Files.copy(ReleaseFixture.selfContained(), corrupted.resolve(name));
        Files.copy(ReleaseFixture.target().resolve(name + ".sha512"), corrupted.resolve(name + ".sha512"));
        try (RandomAccessFile f = new RandomAccessFile(corrupted.resolve(name).toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x55);
        }
        Path home = tmp.resolve("home");
        try (Serve serve = serve(release, corrupted)) {
            Run install = bash(user(home, null), tmp, "curl -fsSL " + serve.url + "/install.sh | sh -s -- --allow-root");
            assertThat(install.code()).as(install.all()).isNotZero();
            assertThat(install.err()).contains("SHA-512 does not match", "nothing was installed");
        }
        assertThat(home.resolve(".local/share/cxpm/" + VERSION)).doesNotExist();
        assertThat(home.resolve(".local/bin/cxpm")).doesNotExist();
    }

    @Test
    void asRootItRefusesUnlessTold() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "runs as root (as CI does)");
        Path release = ReleaseFixture.unpack(ReleaseFixture.selfContained(), tmp.resolve("opt"));
        Path home = tmp.resolve("home");
        try (Serve serve = serve(release, ReleaseFixture.target())) {
            Run install = bash(user(home, null), tmp, "curl -fsSL " + serve.url + "/install.sh | sh");
            assertThat(install.code()).as(install.all()).isNotZero();
            assertThat(install.err()).contains("refusing to install as root", "--allow-root");
        }
        assertThat(home.resolve(".local")).doesNotExist();
    }

    private Serve serve(Path release, Path releases) throws Exception {
        return new Serve(release.resolve("bin/cxpm"), user(tmp.resolve("operator"), null), tmp,
                List.of("--data", tmp.resolve("registry").toString(), "--release-dir", releases.toString()));
    }
}
