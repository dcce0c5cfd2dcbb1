package dev.cxpm.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real git, run by a test to build the repositories it needs: with an author of its own, no signing and none of the
 * user's or the machine's configuration, so a commit works alike on any machine, and failing the test with git's own
 * words when git fails.
 */
public final class Git {
    private Git() {
    }

    /** Runs {@code git args...} in dir and returns what it printed (stdout and stderr), stripped; throws unless it exits 0. */
    public static String run(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.test", "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
            // not the user's or the machine's git configuration (a signing key, another default branch): the same git everywhere
            pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
            pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int code = p.waitFor();
            if (code != 0) {
                throw new AssertionError(String.join(" ", cmd) + " exited " + code + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while git ran", e);
        }
    }
}
