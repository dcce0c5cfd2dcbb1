package dev.cxpm.core.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.Progress;
import dev.cxpm.core.UserError;
import dev.cxpm.core.install.Executables;
import dev.cxpm.testkit.Git;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clone's progress as git itself reports it, passed to whoever watches, with nothing of a token in the
 * URL; and a failed clone says the same words whether or not progress was asked for.
 */
class GitCliProgressTest {
    @TempDir
    Path tmp;

    /** What a watcher was told, in order. */
    private final List<String> told = Collections.synchronizedList(new ArrayList<>());

    private final Progress recording = what -> {
        told.add("begin " + what);
        return new Progress.Step() {
            @Override
            public void status(String text) {
                told.add("status " + text);
            }

            @Override
            public void close() {
                told.add("end");
            }
        };
    };

    private Map<String, String> env(Path home, Path bin) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("PATH", (bin == null ? "" : bin + ":") + System.getenv("PATH"));
        return env;
    }

    @Test
    void aSlowCloneReportsGitsOwnProgressLinesAndNeverTheTokenInItsUrl() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.writeString(repo.resolve("README"), "hi\n");
        Git.run(repo, "init", "-q", "-b", "main");
        Git.run(repo, "add", "-A");
        Git.run(repo, "commit", "-q", "-m", "one");
        Path home = Files.createDirectories(tmp.resolve("home"));
        String url = "https://someone:s3cret-token@git.example.test/team/repo.git";
        Git.run(home, "config", "-f", home.resolve(".gitconfig").toString(), "url.file://" + repo + ".insteadOf", url);
        // A slow network, played by a git that reports progress for a second and a half before the real one clones.
        Path realGit = Executables.find("git", System.getenv("PATH"), tmp).orElseThrow();
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("git"), "#!/bin/sh\nif [ \"$1\" = clone ]; then\n"
                + "  for i in 1 2 3 4 5 6; do printf 'remote: Counting objects: %d%% (%d/6)\\r' $((i * 100 / 6)) $i >&2; sleep 0.25; done\nfi\n"
                + "exec '" + realGit + "' \"$@\"\n");
        Files.setPosixFilePermissions(bin.resolve("git"), PosixFilePermissions.fromString("rwxr-xr-x"));

        new GitCli(env(home, bin), tmp, recording).transfer("cloning " + url, null, "clone", "--quiet", url, tmp.resolve("c1").toString());

        assertThat(tmp.resolve("c1/README")).hasContent("hi");
        assertThat(told.get(0)).isEqualTo("begin cloning https://git.example.test/team/repo.git");
        assertThat(told).anyMatch(t -> t.matches("status remote: Counting objects: \\d+% \\(\\d/6\\)")).endsWith("end");
        assertThat(String.join("\n", told)).doesNotContain("s3cret");
    }

    @Test
    void aFailedCloneSaysTheSameWithOrWithoutProgress() {
        Path home = tmp.resolve("home");
        String missing = "file://" + tmp.resolve("no-such-repo");
        String quiet = message(() -> new GitCli(env(home, null), tmp).transfer("cloning", null, "clone", "--quiet", missing, tmp.resolve("a").toString()));
        String watched = message(() -> new GitCli(env(home, null), tmp, recording)
                .transfer("cloning", null, "clone", "--quiet", missing, tmp.resolve("a").toString()));
        assertThat(quiet).startsWith("git clone --quiet " + missing).contains("failed with exit status 128");
        assertThat(watched).isEqualTo(quiet);
        assertThat(told).containsExactly("begin cloning", "end");
    }

    private static String message(Runnable r) {
        try {
            r.run();
        } catch (UserError e) {
            return e.getMessage();
        }
        throw new AssertionError("no error");
    }
    @Test
    void gitsOutputIsReadNoFurtherThanWhatItsCommandsPrint() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path git = bin.resolve("git"); // a remote advertising refs without end, as far as cxpm can tell
        Files.writeString(git, "#!/bin/sh\nhead -c 20000000 /dev/zero\n");
        Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.toString());
        env.put("PATH", bin + ":/usr/bin:/bin");
        try {
            new GitCli(env, tmp).run(null, "ls-remote", "https://example.test/x.git", "HEAD");
            throw new AssertionError("20 MB of output was read whole");
        } catch (UserError e) {
            assertThat(e.getMessage()).startsWith("cannot run git").contains("over " + (16 << 20) + " bytes");
        }
    }
}
