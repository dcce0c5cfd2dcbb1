package dev.cxpm.core.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.Progress;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.install.Executables;
import dev.cxpm.testkit.Git;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * git's output is read as it comes, in memory and no further than a bound: nothing of a git command is written to the
 * shared temp dir (where a killed JVM would leave it, and which a hostile remote could fill), and a failure still says
 * what git said.
 */
class GitCliCaptureTest {
    @TempDir
    Path tmp;

    /** A git on PATH that writes down where its stdout and stderr go, then runs the real one. */
    private Map<String, String> recordingGit(Path record) throws Exception {
        Path realGit = Executables.find("git", System.getenv("PATH"), tmp).orElseThrow();
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("git"), "#!/bin/sh\n"
                + "echo \"$1 $(readlink /proc/$$/fd/1) $(readlink /proc/$$/fd/2)\" >> '" + record + "'\n"
                + "exec '" + realGit + "' \"$@\"\n");
        Files.setPosixFilePermissions(bin.resolve("git"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>();
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        return env;
    }

    @Test
    void aGitMarketplaceAddAndUpdateWriteNothingOfGitsOutputToTheSharedTempDir() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectories(repo.resolve(".agents/plugins"));
        Files.writeString(repo.resolve(".agents/plugins/marketplace.json"),
                "{\"name\": \"team\", \"plugins\": [{\"name\": \"demo\", \"source\": {\"source\": \"local\", \"path\": \"./plugins/demo\"}}]}");
        Files.createDirectories(repo.resolve("plugins/demo/.codex-plugin"));
        Files.writeString(repo.resolve("plugins/demo/.codex-plugin/plugin.json"), "{\"name\": \"demo\", \"version\": \"1.0.0\"}");
        Git.run(repo, "init", "-q", "-b", "main");
        Git.run(repo, "add", "-A");
        Git.run(repo, "commit", "-q", "-m", "one");
        Path record = tmp.resolve("fds.txt");
        Path codexHome = Files.createDirectories(tmp.resolve("codex-home"));
        Marketplaces marketplaces = new Marketplaces(new CodexHome(codexHome),
                new GitCli(recordingGit(record), tmp), Duration.ofSeconds(10));

        Marketplaces.Added added = marketplaces.add(new MarketplaceSource.Git("file://" + repo, Optional.empty()), Optional.empty());
        Files.writeString(repo.resolve("README"), "two\n");
        Git.run(repo, "add", "-A");
        Git.run(repo, "commit", "-q", "-m", "two");
        Marketplaces.Upgraded upgraded = marketplaces.upgrade(Optional.of("team"));

        assertThat(added.root().resolve(".agents/plugins/marketplace.json")).exists();
        assertThat(upgraded.errors()).isEmpty();
        assertThat(added.root().resolve("README")).hasContent("two");
        List<String> runs = Files.readAllLines(record);
        assertThat(runs).as("clone, ls-remote and rev-parse ran").hasSizeGreaterThanOrEqualTo(3);
        String sharedTmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath().toString();
        assertThat(runs).allSatisfy(run -> {
            String[] fds = run.split(" ");
            assertThat(fds[1]).as("stdout of git " + fds[0]).startsWith("pipe:").doesNotContain(sharedTmp);
            assertThat(fds[2]).as("stderr of git " + fds[0]).startsWith("pipe:").doesNotContain(sharedTmp);
        });
    }

    @Test
    void aFailureShowsWhatGitSaidAndNoMoreThanABoundOfIt() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path git = bin.resolve("git"); // a remote that says why it refuses, then talks without end
        Files.writeString(git, "#!/bin/sh\necho 'fatal: repository not found' >&2\nhead -c 20000000 /dev/zero | tr '\\0' x >&2\nexit 128\n");
        Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.toString());
        env.put("PATH", bin + ":/usr/bin:/bin");
        for (Progress progress : List.of(Progress.NONE, what -> new Progress.Step() {
            @Override
            public void status(String text) {
            }

            @Override
            public void close() {
            }
        })) {
            try {
                new GitCli(env, tmp, progress).transfer("cloning", null, "clone", "--quiet", "https://example.test/x.git", "x");
                throw new AssertionError("no error");
            } catch (UserError e) {
                assertThat(e.getMessage()).startsWith("git clone --quiet https://example.test/x.git x failed with exit status 128")
                        .contains("fatal: repository not found");
                assertThat(e.getMessage().length()).as("what is shown of 20 MB of stderr").isLessThan(1 << 20);
            }
        }
    }

    /**
     * git exits while a process it started (a helper) still holds its stdout and stderr: the command does not wait for
     * that process (a read of the pipe would block until it ends, and the JDK's close of the pipe behind it). What git
     * printed is taken when the helper holds stderr alone; when it holds stdout too, the command says so, unless the JDK
     * closed the pipe at git's exit before the reader blocked on it (then what git printed is all there).
     */
    @Test
    void aProcessGitLeftHoldingItsOutputOpenIsNotWaitedFor() throws Exception {
        for (String holds : List.of("2", "1 2")) {
            Path bin = Files.createDirectories(tmp.resolve("bin" + holds.length()));
            Path git = bin.resolve("git");
            Path pid = tmp.resolve("helper" + holds.length() + ".pid");
            String closed = holds.equals("2") ? " >/dev/null" : "";
            // a moment before git exits, so that the reader is most likely inside its next read by then (either way is told below)
            Files.writeString(git, "#!/bin/sh\nsleep 600" + closed + " &\necho $! > '" + pid + "'\necho 0123abcd\nsleep 0.5\nexit 0\n");
            Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
            Map<String, String> env = new HashMap<>();
            env.put("HOME", tmp.toString());
            env.put("PATH", bin + ":/usr/bin:/bin");
            try {
                GitCli cli = new GitCli(env, tmp, Progress.NONE, Duration.ofMillis(300));
                if (holds.equals("2")) {
                    assertThat(cli.run(null, "rev-parse", "HEAD")).isEqualTo("0123abcd");
                } else {
                    // which comes first is the JDK's: its close of the pipe at git's exit (when the reader is not inside a
                    // read: then what git printed is all there) or the reader blocked in a read (then the command says so)
                    try {
                        assertThat(cli.run(null, "rev-parse", "HEAD")).isEqualTo("0123abcd");
                    } catch (UserError e) {
                        assertThat(e.getMessage()).isEqualTo("git rev-parse HEAD exited, but a process it started still holds its output open");
                    }
                }
                assertThat(ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))).as("the helper outlived git").isPresent();
            } finally {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
