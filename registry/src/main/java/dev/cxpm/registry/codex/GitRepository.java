package dev.cxpm.registry.codex;

import dev.cxpm.registry.RegistryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The git command on the view's bare repository, with no system or user configuration and a fixed identity. */
final class GitRepository {

    private static final System.Logger LOG = System.getLogger(GitRepository.class.getName());

    final Path dir;

    GitRepository(Path dir) {
        this.dir = dir;
    }

    void run(String... args) {
        try {
            if (waitFor(process(args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()) != 0) {
                throw new IllegalStateException("git " + args[0] + " failed building the Codex marketplace view");
            }
        } catch (IOException e) {
            throw noGit(e);
        }
    }

    /** What the git command printed; empty when it failed. */
    byte[] output(String... args) {
        try {
            Process p = process(args).redirectOutput(ProcessBuilder.Redirect.PIPE).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            return waitFor(p) == 0 ? out : new byte[0];
        } catch (IOException e) {
            throw noGit(e);
        }
    }

    String text(String... args) {
        return new String(output(args), StandardCharsets.UTF_8).trim();
    }

    /**
     * The commit of {@code tree} with no parent, a fixed identity and a fixed date: it depends on the tree alone, so every
     * server holding the same registry makes the same commit (a client behind a load balancer may read {@code info/refs}
     * from one and the objects from another).
     */
    String snapshotOf(String tree) {
        try {
            ProcessBuilder pb = process("commit-tree", "-m", "registry snapshot", tree);
            pb.environment().put("GIT_AUTHOR_DATE", SNAPSHOT_DATE);
            pb.environment().put("GIT_COMMITTER_DATE", SNAPSHOT_DATE);
            Process p = pb.redirectOutput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            String commit = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (waitFor(p) != 0 || commit.isEmpty()) {
                throw new IllegalStateException("git commit-tree failed building the Codex marketplace view");
            }
            return commit;
        } catch (IOException e) {
            throw noGit(e);
        }
    }

    private static final String SNAPSHOT_DATE = "946684800 +0000";

    Process start(String... args) {
        try {
            return process(args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw noGit(e);
        }
    }

    private static RegistryException noGit(IOException e) {
        LOG.log(System.Logger.Level.ERROR, "the Codex marketplace view needs the git command", e);
        return new RegistryException(503, "git-missing", "the Codex marketplace view needs the git command on the server");
    }

    private ProcessBuilder process(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "--git-dir=" + dir));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.getParent().toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = pb.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_AUTHOR_NAME", "cxpm registry");
        env.put("GIT_AUTHOR_EMAIL", "registry@cxpm.invalid");
        env.put("GIT_COMMITTER_NAME", "cxpm registry");
        env.put("GIT_COMMITTER_EMAIL", "registry@cxpm.invalid");
        return pb;
    }

    static int waitFor(Process p) {
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return -1;
        }
    }
}
