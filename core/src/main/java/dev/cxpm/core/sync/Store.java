package dev.cxpm.core.sync;

import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Packer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Packed plugins addressed by their content integrity ({@code sha512/<hex>.tgz}, the sha512 of their
 * files' paths, executable bits and contents: {@link Packer.Result#contentIntegrity}), shared by every
 * project and Codex home of the user: a plugin whose content is already here is installed from here,
 * offline. The address does not depend on how the bytes were compressed, so lockfiles made on a JDK
 * with another zlib agree. Blobs are written to a temp file and renamed, so a blob present is a blob complete.
 */
public record Store(Path dir) {

    /** {@code $CXPM_STORE}, else {@code $XDG_CACHE_HOME/cxpm/store}, else {@code ~/.cache/cxpm/store}. */
    public static Store resolve(Map<String, String> env, Path cwd) {
        String s = env.get("CXPM_STORE");
        if (s != null && !s.isBlank()) {
            return new Store(cwd.resolve(s).toAbsolutePath().normalize());
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return new Store(Path.of(xdg).resolve("cxpm").resolve("store"));
        }
        String home = env.getOrDefault("HOME", cwd.toString());
        return new Store(Path.of(home).resolve(".cache").resolve("cxpm").resolve("store"));
    }

    public Path blob(Integrity integrity) {
        byte[] digest = Base64.getDecoder().decode(integrity.base64());
        return dir.resolve(integrity.algorithm()).resolve(HexFormat.of().formatHex(digest) + ".tgz");
    }

    public boolean has(Integrity integrity) {
        return Files.isRegularFile(blob(integrity));
    }

    /** True when the blob is here and its content still hashes to its address. */
    public boolean holds(Integrity integrity) {
        if (!has(integrity)) {
            return false;
        }
        try {
            return Packer.contentIntegrityOfArchive(blob(integrity)).equals(integrity);
        } catch (UserError damaged) {
            return false;
        }
    }

    /** Keeps a copy of a packed plugin (a registry's blob, already checked against its own integrity); returns its content integrity. */
    public Integrity addArchive(Path tgz) {
        Integrity integrity = Packer.contentIntegrityOfArchive(tgz);
        if (holds(integrity)) {
            return integrity;
        }
        return write(tmp -> {
            Files.copy(tgz, tmp, StandardCopyOption.REPLACE_EXISTING);
            return integrity;
        });
    }

    /** Packs the plugin directory (deterministically) into the store; returns its content integrity. */
    public Integrity add(Path pluginDir) {
        return write(tmp -> new Packer().pack(pluginDir, tmp).contentIntegrity());
    }

    /** As {@link #add(Path)}, also writing each packed file under copyInto ({@link Packer#pack(Path, Path, Path)}). */
    Integrity add(Path pluginDir, Path copyInto) {
        return write(tmp -> new Packer().pack(pluginDir, tmp, copyInto).contentIntegrity());
    }

    private interface Fill {
        Integrity into(Path tmp) throws IOException;
    }

    /** Fills a temp file in the store, then renames it to the address the filling returned. */
    private Integrity write(Fill fill) {
        try {
            Files.createDirectories(dir);
            Path tmp = TempPaths.file(dir, ".blob", ".tgz");
            try {
                Integrity integrity = fill.into(tmp);
                Path target = blob(integrity);
                Files.createDirectories(target.getParent());
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return integrity;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write to the store " + dir + ": " + e.getMessage(),
                    "check free space and permissions, or point CXPM_STORE elsewhere", e);
        }
    }
}
