package dev.cxpm.core.sync;

import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.install.Prerequisite;
import dev.cxpm.core.lock.LockCheck;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.project.PluginRequirement;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.UserError;
import dev.cxpm.core.sync.home.InstalledFiles;
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
 * integrity), enabled/disabled behind cxpm's back, stale git marketplace clones. Apart from the drift, what
 * the enabled plugins lack on this machine (their prerequisites): not the home's fault, so a warning for
 * {@code doctor} unless {@code --strict}.
 */
public final class Doctor {

    /** One finding: what is wrong and the command that fixes it. */
    public record Finding(String code, String plugin, String problem, String fix) {
    }

    /** drift: where the home differs from cxpm.lock; missingPrerequisites: what enabled plugins lack on this machine. */
    public record Report(List<Finding> drift, List<Finding> missingPrerequisites) {
        public Report {
            drift = List.copyOf(drift);
            missingPrerequisites = List.copyOf(missingPrerequisites);
        }
    }

    static final Duration STALE = Duration.ofDays(7);

    private Doctor() {
    }

    /** env and cwd: the caller's environment and directory, where a shell would look for a plugin's commands. */
    public static Report examine(ProjectManifest project, Optional<Lockfile> lockOpt, CodexHome home,
            Map<String, String> env, Path cwd, Instant now) {
        List<Finding> out = new ArrayList<>();
        List<Finding> lacking = new ArrayList<>();
        if (lockOpt.isEmpty()) {
            out.add(new Finding("no-lockfile", null, "cxpm.toml has no cxpm.lock yet", "cxpm sync"));
            return new Report(out, lacking);
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
            if (want) {
                prerequisites(dir, id, env, cwd, lacking);
            }
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
        return new Report(out, lacking);
    }

    /** True when the files under dir are exactly the locked content (what `doctor` and `sync --verify` check). */
    public static boolean sameContent(Path dir, Integrity expected) {
        return InstalledFiles.integrity(dir).filter(expected::equals).isPresent();
    }

    /** What an installed plugin that cxpm.toml wants enabled lacks here, by the rule install and sync apply. */
    private static void prerequisites(Path dir, String id, Map<String, String> env, Path cwd, List<Finding> out) {
        Plugin plugin;
        try {
            plugin = Plugin.load(dir);
        } catch (UserError e) {
            return; // its files are reported as drift when they are not the locked ones
        }
        for (Prerequisite p : Prerequisite.missing(plugin, env, cwd)) {
            out.add(new Finding(p.kind() == Prerequisite.Kind.COMMAND ? "missing-command" : "missing-env", id,
                    id + ": " + p.problem(), p.fix()));
        }
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
