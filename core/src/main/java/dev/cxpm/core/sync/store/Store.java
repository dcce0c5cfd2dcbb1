package dev.cxpm.core.sync.store;

import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Packer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        return blobAt(address(integrity));
    }

    /** The archive of the content at this {@link #address}. */
    Path blobAt(String address) {
        return dir.resolve(address + ".tgz");
    }

    /**
     * {@code <algo>/<hex>}: where in the store the content of this integrity lies, its archive with {@code .tgz} after it
     * ({@link #blob}), its {@link StoreTree} with {@code .tree}; named once for both, not one taken from the other's name.
     */
    String address(Integrity integrity) {
        return integrity.algorithm() + "/" + integrity.hex();
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
        return write(out -> {
            Files.copy(tgz, out);
            return integrity;
        }, i -> i);
    }

    /** Packs the plugin directory (deterministically) into the store; returns its content integrity. */
    public Integrity add(Path pluginDir) {
        return add(pluginDir, null).contentIntegrity();
    }

    /**
     * As {@link #add(Path)}, also writing each packed file under copyInto (unless null: {@link Packer#pack(Path, Path, Path)}),
     * and returning what was packed: its listing says what was left out, without listing the plugin again, and its
     * manifests ({@link LockedContent#MANIFESTS}) are kept, for the lock to be checked against without reading them back.
     */
    Packer.Stored add(Path pluginDir, Path copyInto) {
        return add(new Packer().list(pluginDir), copyInto);
    }

    /** As {@link #add(Path, Path)}, of a plugin directory {@link Packer#list} listed (not listed again). */
    Packer.Stored add(Packer.Listing listing, Path copyInto) {
        return write(out -> new Packer().packInto(listing, out, copyInto, LockedContent.MANIFESTS), Packer.Stored::contentIntegrity);
    }

    private interface Fill<T> {
        /** Writes the blob to out (the temp file's, closed by the caller). */
        T into(java.io.OutputStream out) throws IOException;
    }

    /**
     * Fills a temp file in the store, then renames it to the address the filling gave. The store's directories are made
     * when missing, not asked for before each blob (a mkdir that fails and a stat, twice per plugin).
     */
    private <T> T write(Fill<T> fill, java.util.function.Function<T, Integrity> address) {
        try {
            TempPaths.Opened opened;
            try {
                opened = TempPaths.open(dir, ".blob", ".tgz");
            } catch (NoSuchFileException noStoreYet) {
                Files.createDirectories(dir);
                opened = TempPaths.open(dir, ".blob", ".tgz");
            }
            Path tmp = opened.path();
            boolean moved = false;
            try {
                T filled;
                try (java.io.OutputStream out = opened.out()) {
                    filled = fill.into(out);
                }
                Path target = blob(address.apply(filled));
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (NoSuchFileException noAlgorithmDirYet) {
                    Files.createDirectories(target.getParent());
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                moved = true;
                return filled;
            } finally {
                if (!moved) {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write to the store " + dir + ": " + e.getMessage(),
                    "check free space and permissions, or point CXPM_STORE elsewhere", e);
        }
    }
}
