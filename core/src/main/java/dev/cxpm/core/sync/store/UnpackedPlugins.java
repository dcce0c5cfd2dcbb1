package dev.cxpm.core.sync.store;

import dev.cxpm.core.UserError;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.ManifestKind;
import dev.cxpm.core.format.ManifestLocation;
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
public final class UnpackedPlugins {
    private final Map<String, Path> dirs;
    private final Map<String, Manifest> manifests;
    private final Map<String, Optional<Plugin>> loaded = new ConcurrentHashMap<>();

    /**
     * A plugin's manifest as phase 2 read it from the plugin's tree ({@link LockedContent#check}): which one, and its parse
     * when its bytes are UTF-8 (the checks after phase 2 do not parse the same bytes again; the parse holds their text, so
     * the bytes are not kept beside it: bytes null), else its bytes (parsed null: {@link #of} then refuses them as
     * Plugin.load does).
     */
    record Manifest(ManifestKind kind, byte[] bytes, JsonFile parsed) {
        Manifest(ManifestKind kind, byte[] bytes) {
            this(kind, bytes, null);
        }
    }

    /** The checked trees the plugins are read from (by id; none for one read from a directory): what is not indexed is not there. */
    private final Map<String, StoreTree> trees;

    /** manifests: what phase 2 read of some of them (by id), not read again; the others are read from their directory. */
    UnpackedPlugins(Map<String, Path> dirs, Map<String, Manifest> manifests) {
        this(Map.copyOf(dirs), Map.copyOf(manifests), Map.of());
    }

    /**
     * Maps no one else changes (copies, or made for this one from a finished fill's plan): held as they are, not hashed
     * again into immutable ones (three maps of every plugin of a sync, on the main thread).
     */
    private UnpackedPlugins(Map<String, Path> dirs, Map<String, Manifest> manifests, Map<String, StoreTree> trees) {
        this.dirs = java.util.Collections.unmodifiableMap(dirs);
        this.manifests = java.util.Collections.unmodifiableMap(manifests);
        this.trees = java.util.Collections.unmodifiableMap(trees);
    }

    /**
     * The plugins in the store's trees phase 2 checked (by id): each read with its tree's index as its listing
     * ({@link Plugin#listed}), so a file the checks look for and the index lacks (a plugin's hooks file, its apps file,
     * each word of an MCP command) is known absent without a look at the disk: only indexed files are placed.
     */
    static UnpackedPlugins ofTrees(Map<String, StoreTree> trees, Map<String, Manifest> manifests) {
        Map<String, Path> dirs = java.util.HashMap.newHashMap(trees.size());
        for (Map.Entry<String, StoreTree> e : trees.entrySet()) {
            dirs.put(e.getKey(), e.getValue().files());
        }
        return new UnpackedPlugins(dirs, manifests, trees);
    }

    /** Where each plugin's content was unpacked, by id. */
    public Map<String, Path> dirs() {
        return dirs;
    }

    /** The plugin in dir (one of {@link #dirs}); empty when it has no readable manifest (Codex would not load it). */
    public Optional<Plugin> plugin(String id) {
        return loaded.computeIfAbsent(id, i -> {
            Optional<Plugin> read = manifests.containsKey(i) ? of(dirs.get(i), manifests.get(i)) : load(dirs.get(i));
            StoreTree tree = trees.get(i);
            return tree == null ? read : read.map(p -> p.listed(listing(tree)));
        });
    }

    /**
     * What a checked tree holds, as {@link Plugin#listed} takes it: its directories and files (made when its plugin is
     * read), as an unmodifiable set made once (listed keeps it as it is, where a set built and then copied made two). A checked
     * index lists no name twice ({@link StoreTreeIndex#read} refuses one that does, or a file that is also a directory).
     */
    private static java.util.Set<String> listing(StoreTree tree) {
        String[] names = new String[tree.dirs().size() + tree.entries().size()];
        int i = 0;
        for (String d : tree.dirs()) {
            names[i++] = d;
        }
        for (StoreTree.File f : tree.entries()) {
            names[i++] = f.path();
        }
        try {
            return java.util.Set.of(names);
        } catch (IllegalArgumentException listedTwice) { // not from a checked index; the set it was before
            return new java.util.HashSet<>(java.util.Arrays.asList(names));
        }
    }

    /**
     * The plugin in dir whose manifest phase 2 read: what {@link #load} makes of it (the same file, named and decoded as
     * Plugin.load reads it), without looking for it and reading it again.
     */
    static Optional<Plugin> of(Path dir, Manifest manifest) {
        Path root = dir.toAbsolutePath().normalize();
        Path file = root.resolve(manifest.kind().relativePath());
        try {
            JsonFile json = manifest.parsed() != null ? manifest.parsed().at(file) : JsonFile.parse(file, manifest.bytes());
            return Optional.of(Plugin.of(root, new ManifestLocation(manifest.kind(), file), json));
        } catch (UserError e) {
            return Optional.empty(); // not UTF-8, or not JSON: Plugin.load refuses it, so it declares nothing
        }
    }

    /** A plugin whose manifest cannot be read declares nothing to check; what reads it for Codex reports why. */
    public static Optional<Plugin> load(Path dir) {
        try {
            return Optional.of(Plugin.load(dir));
        } catch (UserError e) {
            return Optional.empty();
        }
    }
}
