package dev.cxpm.core.sync;

import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.install.MissingPrerequisites;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.project.PluginRequirement;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.sync.store.Store;
import dev.cxpm.core.sync.store.UnpackedPlugins;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sync's side of the prerequisite rule ({@link MissingPrerequisites}), between phase 2 and phase 3: the plugins this
 * sync is about to install enabled (read where phase 2 unpacked and verified them, beside the store, never in the Codex
 * home) or to enable (read where they are installed), checked together.
 */
final class SyncPrerequisites {

    private final CodexHome home;
    private final Store store;
    private final Map<String, String> env;
    private final Path callerDir;

    SyncPrerequisites(CodexHome home, Store store, Map<String, String> env, Path callerDir) {
        this.home = home;
        this.store = store;
        this.env = env;
        this.callerDir = callerDir;
    }

    /**
     * unpacked: the content of each plugin this sync installs (by id), unpacked and verified by phase 2, read once for
     *           this check and the approvals after it.
     * policy: asked about each plugin's files (what it would run) before its prerequisites are checked.
     */
    MissingPrerequisites check(ProjectManifest project, Lockfile lock, UnpackedPlugins unpacked, CodexConfig config,
            java.util.function.BiConsumer<LockedPlugin, Plugin> policy) {
        // in three passes, as ever: which plugins and where (a link on the way to one is told before anything is read),
        // each one's manifest read, then the policy on each; loops, not a lambda per plugin and pass
        List<LockedPlugin> checked = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Path> installed = new ArrayList<>(); // null: unpacked by phase 2
        Map<String, Boolean> enabled = config.plugins(); // built from config.toml's tables on each call: once, not per plugin
        Map<String, Path> unpackedDirs = unpacked.dirs();
        for (LockedPlugin p : lock.plugins().values()) {
            PluginRequirement wanted = project.plugins().get(p.name());
            if (wanted != null && !wanted.enabled()) {
                continue; // a disabled plugin runs nothing: `enable` checks it when it is turned on
            }
            String id = ProjectSync.id(p);
            if (unpackedDirs.containsKey(id)) {
                installed.add(null);
            } else if (!Boolean.TRUE.equals(enabled.get(id))) {
                installed.add(p.versionDirIn(home));
            } else {
                continue;
            }
            checked.add(p);
            ids.add(id);
        }
        if (checked.isEmpty()) {
            return MissingPrerequisites.none();
        }
        Map<String, Plugin> plugins = new LinkedHashMap<>();
        List<LockedPlugin> read = new ArrayList<>();
        for (int i = 0; i < checked.size(); i++) {
            Path dir = installed.get(i);
            Optional<Plugin> pl = dir == null ? unpacked.plugin(ids.get(i)) : UnpackedPlugins.load(dir);
            if (pl.isPresent()) {
                plugins.put(ids.get(i), pl.get());
                read.add(checked.get(i));
            }
        }
        int i = 0;
        for (Plugin pl : plugins.values()) {
            policy.accept(read.get(i++), pl);
        }
        return MissingPrerequisites.check(plugins, env, callerDir);
    }
}
