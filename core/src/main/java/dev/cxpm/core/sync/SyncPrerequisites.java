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
import java.util.LinkedHashMap;
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
        Map<String, LockedPlugin> byId = new LinkedHashMap<>();
        Map<String, java.util.function.Function<String, Optional<Plugin>>> installing = new LinkedHashMap<>();
        Map<String, Boolean> enabled = config.plugins(); // built from config.toml's tables on each call: once, not per plugin
        for (LockedPlugin p : lock.plugins().values()) {
            boolean want = Optional.ofNullable(project.plugins().get(p.name())).map(PluginRequirement::enabled).orElse(true);
            String id = ProjectSync.id(p);
            if (!want) {
                continue; // a disabled plugin runs nothing: `enable` checks it when it is turned on
            }
            if (unpacked.dirs().containsKey(id)) {
                installing.put(id, unpacked::plugin);
            } else if (!Boolean.TRUE.equals(enabled.get(id))) {
                Path dir = p.versionDirIn(home);
                installing.put(id, i -> UnpackedPlugins.load(dir));
            } else {
                continue;
            }
            byId.put(id, p);
        }
        if (installing.isEmpty()) {
            return MissingPrerequisites.none();
        }
        Map<String, Plugin> plugins = new LinkedHashMap<>();
        installing.forEach((id, read) -> read.apply(id).ifPresent(pl -> plugins.put(id, pl)));
        plugins.forEach((id, pl) -> policy.accept(byId.get(id), pl));
        return MissingPrerequisites.check(plugins, env, callerDir);
    }
}
