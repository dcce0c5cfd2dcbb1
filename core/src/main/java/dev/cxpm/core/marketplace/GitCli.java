package dev.cxpm.core.marketplace;

import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The system {@code git}, as Codex uses it: it honours the user's {@code ~/.gitconfig} (credentials,
 * {@code url.insteadOf}) and is fast. A missing git is a clear error, not a stack trace. It runs wholly
 * in the caller's environment and directory, never the JVM's: in the warm daemon (cli/Daemon) the JVM's
 * are those of whoever started it.
 */
public final class GitCli {
    private final Map<String, String> env;
    private final Path cwd;

    /** env: the variables git runs with (PATH finds it, HOME decides which .gitconfig applies); cwd: the caller's directory. */
    public GitCli(Map<String, String> env, Path cwd) {
        this.env = Map.copyOf(env);
        this.cwd = cwd.toAbsolutePath();
    }

    /** Runs git in dir (null: the caller's directory) and returns its stdout, trimmed; NETWORK error on failure. */
    public String run(Path dir, String... args) {
        Path gitExe = dev.cxpm.core.install.Executables.find("git", env.get("PATH"), cwd).orElseThrow(() -> new UserError(
                UserError.Kind.NETWORK, "git is not installed (not found on PATH); it is needed for git marketplaces and plugin sources",
                "install git (e.g. apt-get install git) or use a local marketplace directory"));
        List<String> cmd = new ArrayList<>();
        cmd.add(gitExe.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.resolve(dir == null ? Path.of("") : dir).toFile());
        Map<String, String> penv = pb.environment();
        penv.clear();
        penv.putAll(env);
        penv.put("GIT_TERMINAL_PROMPT", "0");
        penv.putIfAbsent("GIT_ASKPASS", "echo");
        try {
            Path out = Files.createTempFile("cxpm-git", ".out");
            Path err = Files.createTempFile("cxpm-git", ".err");
            try {
                pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                Process p;
                try {
                    p = pb.start();
                } catch (IOException e) {
                    throw new UserError(UserError.Kind.NETWORK, "git is not installed (or not on PATH); it is needed for git marketplaces and plugin sources",
                            "install git (e.g. apt-get install git) or use a local marketplace directory", e);
                }
                int code = p.waitFor();
                String stdout = Files.readString(out, StandardCharsets.UTF_8);
                if (code != 0) {
                    String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
                    throw new UserError(UserError.Kind.NETWORK, "git " + String.join(" ", args) + " failed with exit status " + code
                            + (stderr.isEmpty() ? "" : ":\n" + stderr), "check the URL, the ref and your network or git credentials");
                }
                return stdout.strip();
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot run git: " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(UserError.Kind.IO, "interrupted while running git", null, e);
        }
    }
}
