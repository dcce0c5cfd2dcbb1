package dev.cxpm.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Codex CLI, run through {@code shared/compat/codex/codex-client.sh} with an isolated
 * CODEX_HOME and HOME: the judge of every file cxpm writes into a Codex home.
 */
public final class CodexClient {
    private final Path codexHome;
    private final Path home;

    public CodexClient(Path codexHome, Path home) {
        this.codexHome = codexHome;
        this.home = home;
    }

    /** What one run printed and returned; the harmless PATH-alias warning is removed from stderr. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }
    }

    public Result run(String... args) {
        return run(Path.of("").toAbsolutePath(), args);
    }

    public Result run(Path workDir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Shared.codexClientScript().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        env.put("CODEX_HOME", codexHome.toString());
        env.put("HOME", home.toString());
        env.remove("RUST_BACKTRACE");
        try {
            Files.createDirectories(codexHome);
            Files.createDirectories(home);
            Path out = Files.createTempFile("codex-out", ".txt");
            Path err = Files.createTempFile("codex-err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("codex " + String.join(" ", args) + " did not finish in 10 minutes");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("WARNING: proceeding, even though"))
                    .reduce("", (a, b) -> a + b + "\n");
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return new Result(p.exitValue(), stdout, stderr);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
