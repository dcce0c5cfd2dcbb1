package dev.cxpm.core.sync;

import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.Prerequisites;
import dev.cxpm.core.install.Executables;
import dev.cxpm.core.lock.LockCheck;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.project.PluginRequirement;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds where the Codex home has drifted from the project's lockfile, and says which command fixes
 * each: plugins missing or edited by hand (their files re-packed and compared with the locked
 * integrity), enabled/disabled behind cxpm's back, missing prerequisites, stale git marketplace clones.
 */
public final class Doctor {

    /** One finding: what is wrong and the command that fixes it. */
    public record Finding(String code, String plugin, String problem, String fix) {
    }

    static final Duration STALE = Duration.ofDays(7);

    private Doctor() {
    }

    /** env and cwd: the caller's environment and directory, where a shell would look for a plugin's commands. */
    public static List<Finding> examine(ProjectManifest project, Optional<Lockfile> lockOpt, CodexHome home,
            Map<String, String> env, Path cwd, Instant now) {
        List<Finding> out = new ArrayList<>();
        if (lockOpt.isEmpty()) {
            out.add(new Finding("no-lockfile", null, "cxpm.toml has no cxpm.lock yet", "cxpm sync"));
            return out;
        }
        Lockfile lock = lockOpt.get();
        for (String d : LockCheck.disagreements(project, lock)) {
            out.add(new Finding("lock-outdated", null, d, "cxpm sync (then commit cxpm.lock)"));
        }
        CodexConfig config = home.config();
        Map<String, Boolean> enabled = config.plugins();
        for (LockedPlugin p : lock.plugins().values()) {
            String id = p.name() + "@" + p.marketplace();
            Path dir = p.versionDirIn(home);
            if (!Files.isDirectory(dir)) {
                out.add(new Finding("missing", id, id + " " + p.version() + " is not installed in " + home.dir(), "cxpm sync"));
                continue;
            }
            if (!sameContent(dir, p.integrity())) {
                out.add(new Finding("edited", id, "files of " + id + " in " + dir + " differ from cxpm.lock (edited by hand?)",
                        "cxpm sync --verify"));
            }
            boolean want = Optional.ofNullable(project.plugins().get(p.name())).map(PluginRequirement::enabled).orElse(true);
            Boolean actual = enabled.get(id);
            if (actual == null) {
                out.add(new Finding("not-configured", id, id + " has no [plugins.\"" + id + "\"] table in config.toml", "cxpm sync"));
            } else if (actual != want) {
                out.add(new Finding(want ? "disabled" : "enabled", id,
                        id + " is " + (actual ? "enabled" : "disabled") + " in config.toml but cxpm.toml wants it "
                                + (want ? "enabled" : "disabled"),
                        "cxpm sync (or change `enabled` in cxpm.toml)"));
            }
            prerequisites(dir, id, env, cwd, out);
        }
        for (var e : config.marketplaces().entrySet()) {
            if (!e.getValue().isGit()) {
                continue;
            }
            Optional<String> invalid = MarketplaceName.problem(e.getKey());
            if (invalid.isPresent()) {
                out.add(new Finding("invalid-marketplace-name", null, home.configFile() + ": " + invalid.get()
                        + " (Codex refuses to list any marketplace while it is there)", "remove its [marketplaces] table from config.toml"));
                continue;
            }
            Path clone = home.marketplaceClone(MarketplaceName.of(e.getKey()));
            Optional<Instant> fetched = lastFetch(clone);
            if (fetched.isPresent() && Duration.between(fetched.get(), now).compareTo(STALE) > 0) {
                long days = Duration.between(fetched.get(), now).toDays();
                out.add(new Finding("stale-marketplace", null,
                        "marketplace `" + e.getKey() + "` was last fetched " + days + " days ago", "cxpm marketplace update " + e.getKey()));
            }
        }
        return out;
    }

    /** True when the files under dir are exactly the locked content (what `doctor` and `sync --verify` check). */
    static boolean sameContent(Path dir, Integrity expected) {
        return InstalledFiles.integrity(dir).filter(expected::equals).isPresent();
    }

    /**
     * What the installed plugin needs on this machine and is missing (commands on the caller's PATH, relative
     * entries from the caller's directory cwd, as a shell there finds them; environment variables).
     */
    public static List<Finding> missingPrerequisites(Path dir, String id, Map<String, String> env, Path cwd) {
        List<Finding> out = new ArrayList<>();
        prerequisites(dir, id, env, cwd, out);
        return out;
    }

    private static void prerequisites(Path dir, String id, Map<String, String> env, Path cwd, List<Finding> out) {
        Prerequisites pre;
        try {
            pre = Plugin.load(dir).prerequisites();
        } catch (UserError e) {
            return;
        }
        pre.commands().forEach((cmd, hint) -> {
            if (Executables.find(cmd, env.get("PATH"), cwd).isEmpty()) {
                out.add(new Finding("missing-command", id, id + " needs the command `" + cmd + "`, which is not on PATH",
                        hint == null || hint.isBlank() ? "install " + cmd : hint));
            }
        });
        pre.env().forEach((var, hint) -> {
            String v = env.get(var);
            if (v == null || v.isBlank()) {
                out.add(new Finding("missing-env", id, id + " needs the environment variable " + var + ", which is not set",
                        "export " + var + "=..." + (hint == null || hint.isBlank() ? "" : " (" + hint + ")")));
            }
        });
    }

    /** When git last fetched into the clone (FETCH_HEAD, else HEAD), if it is a clone. */
    private static Optional<Instant> lastFetch(Path clone) {
        for (String f : new String[] {".git/FETCH_HEAD", ".git/HEAD"}) {
            Path p = clone.resolve(f);
            if (Files.exists(p)) {
                try {
                    return Optional.of(Files.getLastModifiedTime(p).toInstant());
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
