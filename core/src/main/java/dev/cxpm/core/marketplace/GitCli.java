package dev.cxpm.core.marketplace;

import dev.cxpm.core.FileText;
import dev.cxpm.core.Progress;
import dev.cxpm.core.Stall;
import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The system {@code git}, as Codex uses it: it honours the user's {@code ~/.gitconfig} (credentials,
 * {@code url.insteadOf}) and is fast. A missing git is a clear error, not a stack trace. It runs wholly
 * in the caller's environment and directory, never the JVM's: in the warm daemon (cli/daemon/Daemon) the JVM's
 * are those of whoever started it.
 */
public final class GitCli {
    private final Map<String, String> env;
    private final Path cwd;
    private final Progress progress;
    private final Duration pipesAfterExit;
    private final Duration stall;

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
        this(env, cwd, progress, PIPES_AFTER_EXIT);
    }

    /** pipesAfterExit: how long git's pipes are still read once git has exited (a test's is short). */
    GitCli(Map<String, String> env, Path cwd, Progress progress, Duration pipesAfterExit) {
        this(env, cwd, progress, pipesAfterExit, Stall.TIME);
    }

    /** stall: how long a transfer may go under {@link Stall#BYTES_PER_SECOND} a second before it is given up (a test's is short). */
    GitCli(Map<String, String> env, Path cwd, Progress progress, Duration pipesAfterExit, Duration stall) {
        this.env = Map.copyOf(env);
        this.cwd = cwd.toAbsolutePath();
        this.progress = progress;
        this.pipesAfterExit = pipesAfterExit;
        this.stall = stall;
    }

    /**
     * Clones {@code url} into {@code into}, git's {@code options} (a depth, a branch, a blobless sparse clone) before
     * them: the URL, from a file, goes after {@code --}, so one such as {@code --upload-pack=CMD} is never an option.
     * A clone that fails leaves no directory behind, and one is bounded in time and size ({@link GitWatch}).
     */
    public void clone(String url, Path into, String... options) {
        List<String> args = new ArrayList<>(List.of("clone", "--quiet"));
        args.addAll(List.of(options));
        args.addAll(List.of("--", url, into.toString()));
        Path target = cwd.resolve(into);
        boolean existed = java.nio.file.Files.exists(target);
        try {
            transfer("cloning " + url, null, target, args.toArray(String[]::new));
        } catch (RuntimeException e) {
            if (!existed) { // git removes a failed clone, but not one it was killed in the middle of
                dev.cxpm.core.codexhome.Trees.delete(target);
            }
            throw e;
        }
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
        return transfer(what, dir, dir == null ? null : cwd.resolve(dir), args);
    }

    /** written: the directory git fills (a clone), watched for a stall and bounded in size ({@link GitWatch}); null: none. */
    private String transfer(String what, Path dir, Path written, String... args) {
        GitWatch.Limits limits = GitWatch.Limits.of(env, stall);
        if (progress == Progress.NONE) {
            return run(dir, new Watched(what, written, limits), null, args, args);
        }
        List<String> loud = new ArrayList<>();
        for (String a : args) {
            loud.add(a.equals("--quiet") ? "--progress" : a);
        }
        try (Progress.Step step = progress.begin(shown(what))) {
            return run(dir, new Watched(what, written, limits), step, args, loud.toArray(String[]::new));
        }
    }

    /** A transfer's bounds: what it is (for messages), the directory it writes (null: none) and the limits. */
    private record Watched(String what, Path dir, GitWatch.Limits limits) {
    }

    /**
     * What cxpm reads of git's output: the commands it runs print a commit, a URL, a few lines of status or of an error;
     * more is what a remote or a repository chose to make it (refs, untracked files, remote messages), not read.
     */
    private static final int MAX_OUTPUT_BYTES = 16 << 20;

    /**
     * How long git's pipes are still read once git has exited. What git printed is in them by then; but a process it
     * started (a helper) may hold them open for as long as it lives, and a read of the pipe then blocks, and with it the
     * JDK's own close of the pipe at git's exit: the command does not wait for such a process.
     */
    private static final Duration PIPES_AFTER_EXIT = Duration.ofSeconds(5);

    /** What is shown of git's stderr when it fails: its words, not what a remote chose to send without end. */
    private static final int MAX_MESSAGE_BYTES = 64 << 10;

    /** Runs git in dir (null: the caller's directory) and returns its stdout, trimmed; NETWORK error on failure. */
    public String run(Path dir, String... args) {
        return run(dir, null, null, args, args);
    }

    /**
     * typed: the command as the caller wrote it, for messages (the same whether or not progress was asked for);
     * watched: a transfer's bounds (null: a local command, which is not bounded in time or size).
     */
    private String run(Path dir, Watched watched, Progress.Step step, String[] typed, String[] args) {
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
        if (!penv.containsKey("GIT_HTTP_LOW_SPEED_LIMIT") && !penv.containsKey("GIT_HTTP_LOW_SPEED_TIME")) {
            // git itself has no bound, and waited for ever on an http(s) server that took the connection and said
            // nothing; a user who wants another bound sets these two of git's own. Other transports (ssh, git://)
            // have no such setting in git: GitWatch applies the same bound to them.
            penv.put("GIT_HTTP_LOW_SPEED_LIMIT", Long.toString(Stall.BYTES_PER_SECOND));
            penv.put("GIT_HTTP_LOW_SPEED_TIME", Long.toString(Math.max(1, stall.toSeconds())));
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UserError(UserError.Kind.NETWORK, "git is not installed (or not on PATH); it is needed for git marketplaces and plugin sources",
                    "install git (e.g. apt-get install git) or use a local marketplace directory", e);
        }
        GitOutput.Stdout out = new GitOutput.Stdout(MAX_OUTPUT_BYTES, () -> end(p));
        GitOutput.Stderr err = new GitOutput.Stderr(MAX_MESSAGE_BYTES, step != null);
        Thread outReader = read(p.getInputStream(), out::drain);
        Thread errReader = read(p.getErrorStream(), err::drain);
        try {
            int code;
            if (step == null && watched == null) {
                code = p.waitFor();
            } else {
                GitWatch watch = watched == null ? null
                        : new GitWatch(watched.limits(), watched.dir(), () -> out.read() + err.read(), System.nanoTime());
                long wait = watch == null ? 200 : Math.min(200, GitWatch.poll(watched.limits().stall()).toMillis());
                while (!p.waitFor(wait, TimeUnit.MILLISECONDS)) {
                    if (step != null) {
                        err.lastReport().ifPresent(step::status);
                    }
                    if (watch != null) {
                        var breach = watch.check(System.nanoTime());
                        if (breach.isPresent()) {
                            end(p);
                            throw breached(breach.get(), watched, typed);
                        }
                    }
                }
                code = p.exitValue();
                if (watch != null && code == 0 && watch.finished().isPresent()) { // it wrote over the bound between two looks
                    throw breached(GitWatch.Breach.TOO_BIG, watched, typed);
                }
            }
            boolean outEnded = outReader.join(pipesAfterExit);
            errReader.join(pipesAfterExit); // what it said by then is shown
            if (!outEnded) {
                throw new UserError(UserError.Kind.IO, shown("git " + String.join(" ", typed))
                        + " exited, but a process it started still holds its output open",
                        "look for a process git started that is still running (a credential or fsmonitor helper) and end it");
            }
            if (out.overflowed()) {
                throw new UserError(UserError.Kind.IO, "cannot run git: its output is over " + MAX_OUTPUT_BYTES + " bytes", null);
            }
            if (code != 0) {
                String stderr = err.words();
                throw new UserError(UserError.Kind.NETWORK, shown("git " + String.join(" ", typed) + " failed with exit status " + code
                        + (stderr.isEmpty() ? "" : ":\n" + stderr)), "check the URL, the ref and your network or git credentials");
            }
            return FileText.utf8(out.bytes()).strip();
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot run git: " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(UserError.Kind.IO, "interrupted while running git", null, e);
        } finally {
            if (p.isAlive()) { // interrupted: git is not left running (a walk of every process: only then)
                end(p);
            }
        }
    }

    /** What a user is told when a transfer went past a bound: which command, which bound, how to change it. */
    private static UserError breached(GitWatch.Breach breach, Watched watched, String[] typed) {
        String command = "git " + String.join(" ", typed);
        GitWatch.Limits limits = watched.limits();
        if (breach == GitWatch.Breach.TOO_BIG) {
            return new UserError(UserError.Kind.INVALID_INPUT, shown(watched.what() + ": " + command + " was stopped after "
                    + (watched.dir() == null ? "" : "writing ") + "over " + limits.maxBytes()
                    + " bytes, the most cxpm lets one git transfer write"),
                    "if the repository really is that large, set " + GitWatch.MAX_BYTES_VARIABLE + " to more bytes (now "
                            + limits.maxBytes() + ") and run the command again");
        }
        return new UserError(UserError.Kind.NETWORK, shown(watched.what() + ": " + command + " was stopped: the remote sent under "
                + limits.bytesPerSecond() + " bytes a second for " + limits.stall().toSeconds() + " s"),
                "check the remote and your network; to wait longer set GIT_HTTP_LOW_SPEED_TIME (seconds; cxpm applies it, and "
                        + "GIT_HTTP_LOW_SPEED_LIMIT, to every transport)");
    }

    /** Ends git and what it started (a remote helper): its output is not read further. */
    private static void end(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private interface Drain {
        void from(java.io.InputStream in) throws IOException;
    }

    /** Reads one of git's pipes on its own thread as it comes, so git never waits on a full pipe. */
    private static Thread read(java.io.InputStream in, Drain drain) {
        return Thread.ofVirtual().start(() -> {
            try (in) {
                drain.from(in);
            } catch (IOException closed) {
                // git was ended (its output over the bound, or the caller interrupted): what was read is kept
            }
        });
    }

    /**
     * text as it may be shown: without the {@code user:password@} of any URL in it. A remote's URL comes from config.toml
     * or a marketplace's manifest and may carry a token; what a failure says goes to screens and CI logs.
     */
    static String shown(String text) {
        return text.indexOf('@') < 0 ? text : Patterns.CREDENTIALS.matcher(text).replaceAll("$1");
    }

    /**
     * Compiled on first use, not when the class loads (only when git runs, and every command makes a
     * GitCli): a few ms of a cold command's CPU.
     */
    private static final class Patterns {
        /** The user:password@ of a URL: a token in a remote's URL is not for the screen. */
        static final Pattern CREDENTIALS = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]*@");
    }
}
