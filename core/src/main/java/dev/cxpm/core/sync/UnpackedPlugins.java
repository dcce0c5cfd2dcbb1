package dev.cxpm.core.sync;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.Plugin;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plugins a sync is about to install (by id), in the trees phase 2 unpacked and verified, each read once for the
 * prerequisite, policy and approval checks alike: they read the same manifest and MCP files, and reading them once per
 * check made a sync read each plugin's files three times. A {@link Plugin} keeps what it read (its MCP servers, hooks,
 * apps), so it is handed from one check to the next, never used by two threads at once.
 */
final class UnpackedPlugins {
    private final Map<String, Path> dirs;
    private final Map<String, Optional<Plugin>> loaded = new ConcurrentHashMap<>();

    UnpackedPlugins(Map<String, Path> dirs) {
        this.dirs = Map.copyOf(dirs);
    }

    /** Where each plugin's content was unpacked, by id. */
    Map<String, Path> dirs() {
        return dirs;
    }

    /** The plugin in dir (one of {@link #dirs}); empty when it has no readable manifest (Codex would not load it). */
    Optional<Plugin> plugin(String id) {
        return loaded.computeIfAbsent(id, i -> load(dirs.get(i)));
    }

    /** A plugin whose manifest cannot be read declares nothing to check; what reads it for Codex reports why. */
    static Optional<Plugin> load(Path dir) {
        try {
            return Optional.of(Plugin.load(dir));
        } catch (UserError e) {
            return Optional.empty();
        }
    }
}
