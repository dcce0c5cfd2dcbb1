package dev.cxpm.core.install;

import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.FileText;
import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Unpacker;
import dev.cxpm.core.sync.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Remote plugin sources (git, npm) through the content-addressed {@link Store} shared with sync: every
 * fetched plugin is packed into the store by the sha512 of its deterministic pack, and the source that
 * gave it is remembered ({@code sources/<sha256 of the source>}). A source that cannot change (an npm
 * version, a git commit id) is then installed from the store without any network; any other source is
 * fetched, and falls back to the store's last copy when the network fails.
 */
final class SourceCache {

    /** Where the plugin directory came from, for messages and JSON. */
    enum Origin { SOURCE, STORE, STORE_OFFLINE }

    record Fetched(Path dir, Origin origin) {
    }

    interface Fetch {
        Path fetch();
    }

    private final Store store;

    SourceCache(Store store) {
        this.store = store;
    }

    Fetched get(PluginSource source, Path work, Fetch fetch) {
        String key = key(source);
        Optional<Integrity> known = lookup(key).filter(store::has);
        if (known.isPresent() && immutable(source)) {
            return new Fetched(unpack(known.get(), work), Origin.STORE);
        }
        Path dir;
        try {
            dir = fetch.fetch();
        } catch (UserError e) {
            if (e.kind() == UserError.Kind.NETWORK && known.isPresent()) {
                return new Fetched(unpack(known.get(), work), Origin.STORE_OFFLINE);
            }
            throw e;
        }
        try {
            record(key, store.add(dir));
        } catch (UserError e) {
            // too big or unpackable for the store: install it anyway, just without the offline copy
        }
        return new Fetched(dir, Origin.SOURCE);
    }

    static String key(PluginSource source) {
        return switch (source) {
            case PluginSource.Local l -> "local " + l.path();
            case PluginSource.Git g -> "git " + g.url() + " " + g.ref().orElse("");
            case PluginSource.GitSubdir g -> "git-subdir " + g.url() + " " + g.path() + " " + g.ref().orElse("");
            case PluginSource.Npm n -> "npm " + n.registry().orElse("") + " " + n.packageName() + " " + n.version().orElse("");
        };
    }

    /** npm versions are immutable once published; a full commit id names one tree. */
    static boolean immutable(PluginSource source) {
        return switch (source) {
            case PluginSource.Npm n -> n.version().filter(v -> org.semver4j.Semver.parse(v) != null).isPresent();
            case PluginSource.Git g -> g.ref().filter(r -> Patterns.COMMIT.matcher(r).matches()).isPresent();
            case PluginSource.GitSubdir g -> g.ref().filter(r -> Patterns.COMMIT.matcher(r).matches()).isPresent();
            case PluginSource.Local l -> false;
        };
    }

    private Path record(String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return store.dir().resolve("sources").resolve(HexFormat.of().formatHex(h));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Integrity> lookup(String key) {
        Path f = record(key);
        try {
            return Files.isRegularFile(f) ? Optional.of(Integrity.parse(FileText.read(f, JsonFile.MAX_BYTES).strip())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private void record(String key, Integrity integrity) {
        Path f = record(key);
        try {
            Files.createDirectories(f.getParent());
            TempPaths.replace(f, ".source", integrity + "\n");
        } catch (IOException e) {
            // the store is a cache: failing to remember a source only costs a later fetch
        }
    }

    /** The stored pack, checked against its address, unpacked with the archive safety rules. */
    private Path unpack(Integrity integrity, Path work) {
        Path blob = store.blob(integrity);
        if (!store.holds(integrity)) {
            throw new UserError(UserError.Kind.INTEGRITY, "the store's copy " + blob + " does not match its address " + integrity,
                    "delete it (the store is a cache) and retry with the network");
        }
        Path dir = work.resolve("from-store");
        new Unpacker().unpack(blob, dir);
        return dir;
    }

    /** Compiled on first use (only for a git source), not when the class loads: a few ms of a cold command. */
    private static final class Patterns {
        static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    }
}
