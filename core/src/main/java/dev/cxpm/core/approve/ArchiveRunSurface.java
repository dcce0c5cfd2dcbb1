package dev.cxpm.core.approve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.ManifestKind;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.format.PluginPaths;
import dev.cxpm.core.pack.Unpacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The run surface of a packed plugin (a store entry) without unpacking all of it: the manifests, the default MCP, app
 * and hooks files, then the files the manifest names for {@code mcpServers}, {@code apps} and {@code hooks} and those the
 * command lines name, are taken out into a scratch directory and read as any installed plugin is ({@link RunSurface#of}). The files are the archive's
 * exact bytes, so the surface is the one the unpacked tree will have.
 */
public final class ArchiveRunSurface {
    private ArchiveRunSurface() {
    }

    /** scratch: an empty directory the caller deletes afterwards. */
    public static RunSurface of(Path tgz, Path scratchDir) {
        Path scratch = scratchDir.toAbsolutePath().normalize();
        Unpacker unpacker = new Unpacker();
        Set<String> wanted = new HashSet<>(Set.of(".mcp.json", ".app.json", "hooks/hooks.json"));
        for (ManifestKind k : ManifestKind.values()) {
            wanted.add(k.relativePath());
        }
        try {
            write(scratch, unpacker.read(tgz, wanted));
            Plugin plugin;
            try {
                plugin = Plugin.load(scratch);
            } catch (UserError e) {
                return RunSurface.none(); // no readable manifest: nothing Codex would install, so nothing that runs
            }
            Set<String> declared = new HashSet<>();
            JsonNode root = plugin.manifestJson().root();
            for (String field : new String[] {"mcpServers", "apps", "hooks"}) {
                JsonNode v = root.path(field);
                for (JsonNode p : v.isArray() ? v : java.util.List.of(v)) {
                    if (p.isTextual() && PluginPaths.ruleViolation(p.asText()).isEmpty()) {
                        declared.add(Path.of(p.asText().substring(2)).normalize().toString());
                    }
                }
            }
            // then, in one more pass, those files and the files the commands read so far name (hashed from the archive's
            // bytes); a third pass only when a declared file names files of its own
            declared.addAll(RunSurface.of(plugin).fileCandidates());
            declared.removeAll(wanted);
            if (!declared.isEmpty()) {
                write(scratch, unpacker.read(tgz, declared));
                plugin = Plugin.load(scratch);
                Set<String> named = new HashSet<>(RunSurface.of(plugin).fileCandidates());
                named.removeAll(wanted);
                named.removeAll(declared);
                if (!named.isEmpty()) {
                    write(scratch, unpacker.read(tgz, named));
                    plugin = Plugin.load(scratch);
                }
            }
            return RunSurface.of(plugin);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + tgz + " into " + scratch + ": " + e.getMessage(), null, e);
        }
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
}
