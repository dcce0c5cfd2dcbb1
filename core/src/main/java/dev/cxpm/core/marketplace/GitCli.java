package dev.cxpm.core.marketplace;

import dev.cxpm.core.FileText;
import dev.cxpm.core.Progress;
import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The system {@code git}, as Codex uses it: it honours the user's {@code ~/.gitconfig} (credentials,
 * {@code url.insteadOf}) and is fast. A missing git is a clear error, not a stack trace. It runs wholly
 * in the caller's environment and directory, never the JVM's: in the warm daemon (cli/Daemon) the JVM's
 * are those of whoever started it.
 */
public final class GitCli {
    private final Map<String, String> env;
    private final Path cwd;
    private final Progress progress;

    /**
     * A ref from a file (marketplace.json, config.toml, cxpm.lock), checked before it is an argument of git: one that
     * starts with {@code -} would be read as an option (git refuses such ref names too). URLs go after {@code --}:
     * {@code git ls-remote --upload-pack='CMD;' HEAD} runs CMD.
     */
    public static String ref(String ref) {
        if (ref.startsWith("-")) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "`" + ref + "` is not a git ref: a ref cannot start with '-'",
                    "fix the ref where it is written (the marketplace's manifest, config.toml or cxpm.lock)");
        }
        return ref;
    }

    /** env: the variables git runs with (PATH finds it, HOME decides which .gitconfig applies); cwd: the caller's directory. */
    public GitCli(Map<String, String> env, Path cwd) {
        this(env, cwd, Progress.NONE);
    }

    /** progress: where a clone's or fetch's progress goes (git's own report, read from its stderr). */
    public GitCli(Map<String, String> env, Path cwd, Progress progress) {
        this.env = Map.copyOf(env);
        this.cwd = cwd.toAbsolutePath();
        this.progress = progress;
    }

    /**
     * Clones {@code url} into {@code into}, git's {@code options} (a depth, a branch, a blobless sparse clone) before
     * them: the URL, from a file, goes after {@code --}, so one such as {@code --upload-pack=CMD} is never an option.
     */
    public void clone(String url, Path into, String... options) {
        List<String> args = new ArrayList<>(List.of("clone", "--quiet"));
        args.addAll(List.of(options));
        args.addAll(List.of("--", url, into.toString()));
        transfer("cloning " + url, null, args.toArray(String[]::new));
    }

    /** Checks out {@code ref} (checked as {@link #ref} says) in a clone that holds its files. */
    public void checkout(Path clone, String ref) {
        run(clone, "checkout", "--quiet", ref(ref));
    }

    /** Checks out {@code ref} in a blobless clone of {@code url}, which fetches its files now: a transfer. */
    public void checkoutFetching(String url, Path clone, String ref) {
        transfer("fetching the files of " + url, clone, "checkout", "--quiet", ref(ref));
    }

    /**
     * As {@link #run}, for a clone or fetch, which can take minutes: git is asked for its progress report
     * ({@code --progress} instead of {@code --quiet}) when someone watches, and each of its lines is shown as
     * the status of {@code what}.
     */
    public String transfer(String what, Path dir, String... args) {
        if (progress == Progress.NONE) {
            return run(dir, args);
        }
        List<String> loud = new ArrayList<>();
        for (String a : args) {
            loud.add(a.equals("--quiet") ? "--progress" : a);
        }
        try (Progress.Step step = progress.begin(Patterns.CREDENTIALS.matcher(what).replaceAll("$1"))) {
            return run(dir, step, args, loud.toArray(String[]::new));
        }
    }

    /**
     * What cxpm reads of git's output: the commands it runs print a commit, a URL, a few lines of status or of an error;
     * more is what a remote or a repository chose to make it (refs, untracked files, remote messages), not read.
     */
    private static final int MAX_OUTPUT_BYTES = 16 << 20;

    /** Runs git in dir (null: the caller's directory) and returns its stdout, trimmed; NETWORK error on failure. */
    public String run(Path dir, String... args) {
        return run(dir, null, args, args);
    }

    /** typed: the command as the caller wrote it, for messages (the same whether or not progress was asked for). */
    private String run(Path dir, Progress.Step step, String[] typed, String[] args) {
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
                int code = step == null ? p.waitFor() : waitShowing(p, err, step);
                String stdout = FileText.read(out, MAX_OUTPUT_BYTES);
                if (code != 0) {
                    String stderr = step == null ? FileText.read(err, MAX_OUTPUT_BYTES).strip() : withoutProgress(err);
                    throw new UserError(UserError.Kind.NETWORK, "git " + String.join(" ", typed) + " failed with exit status " + code
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

    /** Waits for git, showing the last line of its progress report (the tail of its stderr file) now and then. */
    private static int waitShowing(Process p, Path err, Progress.Step step) throws IOException, InterruptedException {
        while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
            lastReport(err).ifPresent(step::status);
        }
        return p.exitValue();
    }

    /**
     * The last line of git's progress report, from the file's last few KiB only: git redraws a report line by
     * ending it with \r, so a line ended by \r is progress, and one ended by \n a message (an error's words are not a status).
     */
    private static Optional<String> lastReport(Path err) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(err)) {
            long size = ch.size();
            ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size, 4096));
            ch.position(size - tail.capacity());
            while (tail.hasRemaining() && ch.read(tail) >= 0) {
                // read the tail whole
            }
            String text = new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8);
            for (int end = text.lastIndexOf('\r'); end > 0; end = text.lastIndexOf('\r', end - 1)) {
                int start = Math.max(text.lastIndexOf('\r', end - 1), text.lastIndexOf('\n', end - 1)) + 1;
                String line = text.substring(start, end).strip();
                if (!line.isEmpty()) {
                    return Optional.of(line);
                }
            }
            return Optional.empty();
        }
    }

    /** git's stderr with its progress report left out: what a failed clone said, as without {@code --progress}. */
    private static String withoutProgress(Path err) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String line : FileText.read(err, MAX_OUTPUT_BYTES).split("\n")) {
            String shown = line.substring(line.lastIndexOf('\r') + 1); // what a terminal would show of a redrawn line
            if (!Patterns.PROGRESS.matcher(shown.strip()).matches()) {
                b.append(shown.stripTrailing()).append('\n');
            }
        }
        return b.toString().strip();
    }

    /**
     * Compiled on first use, not when the class loads (only when git runs, and every command makes a
     * GitCli): a few ms of a cold command's CPU.
     */
    private static final class Patterns {
        /**
         * What git prints with {@code --progress} and not with {@code --quiet} ({@code Receiving objects:  45% (450/1000)},
         * {@code remote: Enumerating objects: 3, done.}, {@code remote: Total 3 ...}, {@code Cloning into ...}): not an error's words.
         */
        static final Pattern PROGRESS = Pattern.compile(
                "^(remote: )?([^:]{1,60}: +(\\d{1,3}% .*|\\d+(, done\\.)?)|Total \\d+ .*|Cloning into .*)$");

        /** The user:password@ of a URL: a token in a remote's URL is not for the screen. */
        static final Pattern CREDENTIALS = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]*@");
    }
}
