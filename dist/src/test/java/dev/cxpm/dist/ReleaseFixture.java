package dev.cxpm.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The archives this build's package phase wrote to dist/target, unpacked with the system's tar and run as a user
 * would: an environment with nothing but HOME, a PATH of /usr/bin:/bin (no JDK there, Debian's java being 17) and a
 * UTF-8 locale; no JAVA_HOME, no Maven repository (HOME is new), and CI set so that no warm daemon outlives the test.
 */
final class ReleaseFixture {

    static final String VERSION = System.getProperty("cxpm.version", "0.1.0-SNAPSHOT");

    private ReleaseFixture() {
    }

    static Path target() {
        return Path.of("target").toAbsolutePath();
    }

    static Path selfContained() {
        return existing(target().resolve("cxpm-" + VERSION + "-" + ReleaseArchives.platform() + ".tar.gz"));
    }

    static Path portable() {
        return existing(target().resolve("cxpm-" + VERSION + ".tar.gz"));
    }

    private static Path existing(Path archive) {
        assertThat(archive).as("built by the package phase (./mvnw -Prelease verify)").isRegularFile();
        return archive;
    }

    /** Unpacks with tar into {@code into}; returns the release's directory, cxpm-VERSION. */
    static Path unpack(Path archive, Path into) throws Exception {
        Files.createDirectories(into);
        Run r = run(Map.of("PATH", "/usr/bin:/bin"), into, "tar", "-xzf", archive.toString());
        assertThat(r.code()).as(r.all()).isZero();
        return into.resolve("cxpm-" + VERSION);
    }

    /** A new user's environment, with {@code bin} first on PATH when given. */
    static Map<String, String> user(Path home, Path bin) throws IOException {
        Files.createDirectories(home);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("PATH", (bin == null ? "" : bin + ":") + "/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("CI", "true");
        return env;
    }

    record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Runs {@code command}, its program found on the PATH of {@code env} (as a shell would; Java looks on its own). */
    static Run run(Map<String, String> env, Path cwd, String... command) throws Exception {
        if (!command[0].contains("/")) {
            command = command.clone();
            for (String dir : env.getOrDefault("PATH", "").split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command[0]))) {
                    command[0] = Path.of(dir, command[0]).toString();
                    break;
                }
            }
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile("release-out", ".txt");
        Path err = Files.createTempFile("release-err", ".txt");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 5 minutes");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Run bash(Map<String, String> env, Path cwd, String script) throws Exception {
        return run(env, cwd, "/bin/bash", "-o", "pipefail", "-c", script);
    }

    /** {@code cxpm serve ARGS} of a release, on a free port, until closed. */
    static final class Serve implements AutoCloseable {
        final Process process;
        final String url;

        Serve(Path cxpm, Map<String, String> env, Path cwd, List<String> args) throws IOException {
            List<String> command = new java.util.ArrayList<>(List.of(cxpm.toString(), "serve", "--port", "0"));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(env);
            process = pb.start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            Pattern serving = Pattern.compile("cxpm registry serving (\\S+) ");
            String found = null;
            for (String line; found == null && (line = lines.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = serving.matcher(line);
                if (m.find()) {
                    found = m.group(1);
                }
            }
            if (found == null) {
                process.destroyForcibly();
                throw new AssertionError("serve printed no URL:\n" + seen);
            }
            url = found.endsWith("/") ? found.substring(0, found.length() - 1) : found;
            Thread drain = new Thread(() -> {
                try {
                    lines.transferTo(java.io.Writer.nullWriter());
                } catch (IOException ignored) {
                    // the server stopped
                }
            });
            drain.setDaemon(true);
            drain.start();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
