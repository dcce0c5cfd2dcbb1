package dev.cxpm.dist;

import static dev.cxpm.dist.ReleaseFixture.VERSION;
import static dev.cxpm.dist.ReleaseFixture.bash;
import static dev.cxpm.dist.ReleaseFixture.run;
import static dev.cxpm.dist.ReleaseFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.dist.ReleaseFixture.Run;
import dev.cxpm.dist.ReleaseFixture.Serve;
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

    @Test
    void oneCommandInstallsTheReleaseIntoLocalAndItRuns() throws Exception {
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
        }
        Path link = home.resolve(".local/bin/cxpm");
        assertThat(Files.readSymbolicLink(link)).isEqualTo(home.resolve(".local/share/cxpm/" + VERSION + "/bin/cxpm"));
        Run version = run(user(home, link.getParent()), tmp, "cxpm", "--version");
        assertThat(version.code()).as(version.all()).isZero();
        assertThat(version.out()).isEqualTo("cxpm " + VERSION + "\n");
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
