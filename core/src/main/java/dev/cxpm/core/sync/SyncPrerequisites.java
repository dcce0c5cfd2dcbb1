package dev.cxpm.core.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.core.format.ManifestKind;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.PluginPaths;
import dev.cxpm.core.install.MissingPrerequisites;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.pack.Unpacker;
import dev.cxpm.core.project.PluginRequirement;
import dev.cxpm.core.project.ProjectManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sync's side of the prerequisite rule ({@link MissingPrerequisites}), between phase 2 and phase 3: the plugins this
 * sync is about to install enabled (their manifest and MCP configuration read from the stored archive into a scratch
 * directory beside the store, never into the Codex home) or to enable (read where they are installed), checked together.
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

    /** policy: asked about each plugin's files (what it would run) before its prerequisites are checked. */
    MissingPrerequisites check(ProjectManifest project, Lockfile lock, List<LockedPlugin> toInstall, CodexConfig config,
            java.util.function.BiConsumer<LockedPlugin, Plugin> policy) {
        Map<String, LockedPlugin> byId = new LinkedHashMap<>();
        lock.plugins().values().forEach(p -> byId.put(ProjectSync.id(p), p));
        Map<String, Path> installing = new LinkedHashMap<>();
        Map<String, Path> enabling = new LinkedHashMap<>();
        for (LockedPlugin p : lock.plugins().values()) {
            boolean want = Optional.ofNullable(project.plugins().get(p.name())).map(PluginRequirement::enabled).orElse(true);
            String id = ProjectSync.id(p);
            if (!want) {
                continue; // a disabled plugin runs nothing: `enable` checks it when it is turned on
            }
            if (toInstall.contains(p)) {
                installing.put(id, store.blob(p.integrity()));
            } else if (!Boolean.TRUE.equals(config.plugins().get(id))) {
                enabling.put(id, p.versionDirIn(home));
            }
        }
        if (installing.isEmpty() && enabling.isEmpty()) {
            return MissingPrerequisites.none();
        }
        Path scratch = null;
        try {
            Map<String, Plugin> plugins = new LinkedHashMap<>();
            for (var e : installing.entrySet()) {
                if (scratch == null) {
                    Files.createDirectories(store.dir());
                    scratch = TempPaths.directory(store.dir(), ".prerequisites-");
                }
                Path dir = Files.createDirectory(scratch.resolve(Integer.toString(plugins.size())));
                fromArchive(e.getValue(), dir).ifPresent(pl -> plugins.put(e.getKey(), pl));
            }
            enabling.forEach((id, dir) -> load(dir).ifPresent(pl -> plugins.put(id, pl)));
            plugins.forEach((id, pl) -> policy.accept(byId.get(id), pl));
            return MissingPrerequisites.check(plugins, env, callerDir);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write to the store " + store.dir() + ": " + e.getMessage(),
                    "check free space and permissions, or point CXPM_STORE elsewhere", e);
        } finally {
            if (scratch != null) {
                Trees.delete(scratch);
            }
        }
    }

    /**
     * The plugin as far as its prerequisites go: only its manifest and MCP configuration are taken out of the archive
     * (the rest, up to the pack limits, is unpacked once, by phase 3, where it belongs).
     */
    private static Optional<Plugin> fromArchive(Path tgz, Path dir) throws IOException {
        Unpacker unpacker = new Unpacker();
        Set<String> wanted = new HashSet<>(Set.of(".mcp.json", "hooks/hooks.json")); // hooks: for the policy
        for (ManifestKind k : ManifestKind.values()) {
            wanted.add(k.relativePath());
        }
        write(dir, unpacker.read(tgz, wanted));
        Optional<Plugin> plugin = load(dir);
        JsonNode declared = plugin.map(p -> p.manifestJson().root().path("mcpServers")).orElse(null);
        if (declared != null && declared.isTextual() && PluginPaths.ruleViolation(declared.asText()).isEmpty()) {
            write(dir, unpacker.read(tgz, Set.of(Path.of(declared.asText().substring(2)).normalize().toString())));
            plugin = load(dir);
        }
        JsonNode hooks = plugin.map(p -> p.manifestJson().root().path("hooks")).orElse(null);
        if (hooks != null) {
            Set<String> files = new HashSet<>();
            for (JsonNode h : hooks.isArray() ? hooks : List.of(hooks)) {
                if (h.isTextual() && PluginPaths.ruleViolation(h.asText()).isEmpty()) {
                    files.add(Path.of(h.asText().substring(2)).normalize().toString());
                }
            }
            if (!files.isEmpty()) {
                write(dir, unpacker.read(tgz, files));
                plugin = load(dir);
            }
        }
        return plugin;
    }

    /** Writes archive entries (paths the unpacker already found safe) under dir. */
    private static void write(Path dir, Map<String, byte[]> files) throws IOException {
        for (var f : files.entrySet()) {
            Path target = dir.resolve(f.getKey()).normalize();
            if (!target.startsWith(dir) || target.equals(dir)) {
                continue;
            }
            Files.createDirectories(target.getParent());
            Files.write(target, f.getValue());
        }
    }

    /** A plugin whose manifest cannot be read declares nothing to check; what reads it for Codex reports why. */
    private static Optional<Plugin> load(Path dir) {
        try {
            return Optional.of(Plugin.load(dir));
        } catch (UserError e) {
            return Optional.empty();
        }
    }
}
