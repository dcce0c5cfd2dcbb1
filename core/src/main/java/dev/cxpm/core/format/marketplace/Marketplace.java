package dev.cxpm.core.format.marketplace;

import static dev.cxpm.core.format.OptionalFields.text;

import dev.cxpm.core.FileText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.Finding;
import dev.cxpm.core.format.PluginSource;
import dev.cxpm.core.format.json.JsonFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A marketplace manifest read as the real Codex CLI reads it (SPEC.md §3). Codex rejects a whole file for
 * some problems (bad JSON, missing {@code name}, a missing entry {@code source}, an unknown install policy,
 * an invalid or reserved name…) and only skips the entry for others (a local path without {@code ./}, an
 * unknown source type, an invalid plugin name, a duplicate). {@link #read} keeps both kinds as
 * {@link Finding}s so validation can report all of them at once; {@link #load} throws on the first
 * whole-file error, as {@code codex plugin marketplace add} does. Each entry is read by {@link MarketplaceEntries}.
 */
public final class Marketplace {
    /** First existing wins (SPEC.md §3); a root {@code marketplace.json} is not read. */
    public static final List<String> MANIFEST_PATHS = List.of(
            ".agents/plugins/marketplace.json",
            ".agents/plugins/api_marketplace.json",
            ".claude-plugin/marketplace.json",
            ".cursor-plugin/marketplace.json");
    static final Set<String> RESERVED_NAMES = Set.of("openai-curated");

    private final Path root;
    /**
     * Not the parsed file ({@link JsonFile}: its text and tree, several times the manifest's size), which a marketplace
     * of 100,000 entries would keep for every holder (a search, a sync's index) though no caller reads it after
     * {@link #read}: only what they ask for.
     */
    private final Path manifestFile;
    private final Optional<String> displayName;
    private final String name;
    /** The valid entries, held; null when they are read again from {@link #bytes} at each walk ({@link #open}). */
    private final List<MarketplaceEntry> plugins;
    private final List<Finding> fileErrors;
    private final List<Finding> skipped;
    /** The manifest's bytes (at most {@link JsonFile#MAX_BYTES}), checked, when the entries are not held; else null. */
    private final byte[] bytes;
    /**
     * When the entries are not all held: the sorted {@link #nameHash}es of the valid entries' names (what
     * {@link #mayList} answers from, 8 bytes an entry), and those of them met more than once (a walk tells each such
     * name's first entry by its name).
     */
    private final long[] names;
    private final long[] repeated;

    private Marketplace(Path root, Path manifestFile, Optional<String> displayName, String name, List<MarketplaceEntry> plugins,
            List<Finding> fileErrors, List<Finding> skipped, byte[] bytes, long[] names, long[] repeated) {
        this.root = root;
        this.manifestFile = manifestFile;
        this.displayName = displayName;
        this.name = name;
        this.plugins = plugins;
        this.fileErrors = fileErrors;
        this.skipped = skipped;
        this.bytes = bytes;
        this.names = names;
        this.repeated = repeated;
    }

    Marketplace(Path root, JsonFile json, String name, List<MarketplaceEntry> plugins,
            List<Finding> fileErrors, List<Finding> skipped) {
        this(root, json.path(), text(json.root().path("interface").path("displayName")), name, plugins, fileErrors, skipped,
                null, null, null);
    }

    public static Optional<Path> findManifest(Path marketplaceRoot) {
        for (String p : MANIFEST_PATHS) {
            Path f = marketplaceRoot.resolve(p);
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * Why a root has no manifest, for the error: naming a manifest path that is there but not a regular file (a named
     * pipe, a directory), which {@link #findManifest} passes over as Codex does, so that its user learns what to fix.
     */
    public static String noManifest(Path marketplaceRoot) {
        String none = "marketplace root does not contain a supported manifest";
        for (String p : MANIFEST_PATHS) {
            Path f = marketplaceRoot.resolve(p);
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class); // following links, as findManifest
                if (!a.isRegularFile()) {
                    return none + " (" + f + " is " + FileText.what(a) + ", not a regular file)";
                }
            } catch (IOException absent) {
                // not there (or a link to nothing): the next path
            }
        }
        return none;
    }

    /** The marketplace root a manifest file belongs to (two levels up: {@code <root>/.agents/plugins/x.json} is three). */
    public static Path rootOf(Path manifestFile) {
        Path abs = manifestFile.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir.getFileName() != null && dir.getFileName().toString().equals("plugins")
                && dir.getParent() != null && dir.getParent().getFileName() != null
                && dir.getParent().getFileName().toString().equals(".agents")) {
            return dir.getParent().getParent();
        }
        return dir.getParent();
    }

    /** Loads as {@code codex plugin marketplace add} does: INVALID_INPUT on any whole-file error. */
    public static Marketplace load(Path marketplaceRoot) {
        Path root = marketplaceRoot.toAbsolutePath().normalize();
        return load(root, manifestOf(root));
    }

    private static Path manifestOf(Path root) {
        return findManifest(root).orElseThrow(() -> new UserError(UserError.Kind.INVALID_INPUT,
                "invalid marketplace file `" + root + "`: " + noManifest(root),
                "create .agents/plugins/marketplace.json"));
    }

    /**
     * What {@link #load} accepts and refuses, with the same errors, but the entries not held: each walk
     * ({@link #forEachPlugin}, {@link #plugin}) reads them again from the manifest's bytes, one entry's tree at a time, so
     * one marketplace of 100,000 entries costs its bytes, not their text, tree and entries at once. The manifest is read
     * once; one that is not accepted is refused with {@link #load}'s error (file, line, hint), found from its bytes as a
     * stream ({@link MarketplaceRefusal}), not by reading it whole; but for one that writes a top-level key load reads
     * twice (load keeps the last), which is read whole by load up to {@link #HELD_UP_TO} bytes and refused past it.
     * One of at most {@link #HELD_UP_TO} bytes is read as load reads it, its entries held (its tree is a few MB at most):
     * a cold command over the marketplaces most homes have sets up no Jackson parser (~10 ms of a fresh JVM's
     * start-up, see {@code PlainJson}).
     */
    public static Marketplace open(Path marketplaceRoot) {
        return open(marketplaceRoot, HELD_UP_TO);
    }

    /** A manifest of at most this many bytes is read whole, as {@link #load} reads it (~12,000 entries). */
    static final int HELD_UP_TO = 1 << 20;

    /** {@link #open}, streaming a manifest of more than heldUpTo bytes. */
    static Marketplace open(Path marketplaceRoot, int heldUpTo) {
        Path root = marketplaceRoot.toAbsolutePath().normalize();
        Path file = manifestOf(root);
        byte[] bytes = JsonFile.bytesIfReadable(file);
        if (bytes != null && bytes.length <= heldUpTo) {
            return checked(root, file, read(root, JsonFile.parse(file, bytes)));
        }
        Marketplace m = bytes == null ? null : MarketplaceEntries.check(root, file, bytes);
        if (m != null) {
            return m;
        }
        if (bytes != null) { // refused: why, from the bytes as a stream, not from the whole text, tree and spans
            java.util.Optional<UserError> refused = MarketplaceRefusal.of(file, bytes);
            if (refused.isPresent()) {
                throw refused.get();
            }
            if (bytes.length > HELD_UP_TO) {
                throw new UserError(UserError.Kind.INVALID_INPUT, "marketplace file `" + file + "` writes a top-level key (`name`, "
                        + "`interface` or `plugins`) twice, which cxpm reads only in a manifest of at most " + HELD_UP_TO
                        + " bytes; this one is " + bytes.length, "write each of them once");
            }
        }
        return load(root, file);
    }

    static Marketplace streamed(Path root, Path file, Optional<String> displayName, String name, byte[] bytes, long[] names,
            long[] repeated) {
        return new Marketplace(root, file, displayName, name, null, List.of(), List.of(), bytes, names, repeated);
    }

    private static Marketplace load(Path root, Path file) {
        return checked(root, file, read(root, JsonFile.read(file)));
    }

    /** m, when Codex accepts the whole file; else its first whole-file error, as {@code codex plugin marketplace add} says it. */
    private static Marketplace checked(Path root, Path file, Marketplace m) {
        if (!m.fileErrors.isEmpty()) {
            throw invalid(file, m.fileErrors.getFirst());
        }
        return m;
    }

    /** The error {@link #load} throws for a whole-file finding f of file. */
    static UserError invalid(Path file, Finding f) {
        return new UserError(UserError.Kind.INVALID_INPUT, "invalid marketplace file `" + file + "`: " + f.message()
                + (f.line() > 0 ? " at line " + f.line() : ""), f.hint());
    }

    /** Reads a parsed manifest without throwing: whole-file errors and skipped entries are collected ({@link ManifestTree}). */
    public static Marketplace read(Path marketplaceRoot, JsonFile json) {
        return ManifestTree.read(marketplaceRoot, json);
    }

    public Path root() {
        return root;
    }

    public Path manifestFile() {
        return manifestFile;
    }

    /** The marketplace name ({@code ""} when the manifest has none, which is a whole-file error). */
    public String name() {
        return name;
    }

    public Optional<String> displayName() {
        return displayName;
    }

    /** Valid entries only, first of duplicates wins (Codex behaviour); for an {@link #open}ed one, read into a list here. */
    public List<MarketplaceEntry> plugins() {
        if (plugins != null) {
            return plugins;
        }
        List<MarketplaceEntry> all = new ArrayList<>();
        forEachPlugin(all::add);
        return List.copyOf(all);
    }

    /** Each valid entry in turn, in the manifest's order, first of duplicates only; an {@link #open}ed one holds one at a time. */
    public void forEachPlugin(java.util.function.Consumer<MarketplaceEntry> visit) {
        if (plugins != null) {
            plugins.forEach(visit);
        } else {
            MarketplaceEntries.walk(this, bytes, repeated, e -> {
                visit.accept(e);
                return true;
            });
        }
    }

    /** The names of the first limit valid entries, in order: an {@link #open}ed one is read no further than them. */
    public List<String> names(int limit) {
        List<String> out = new ArrayList<>();
        if (plugins != null) {
            for (int i = 0; i < plugins.size() && i < limit; i++) {
                out.add(plugins.get(i).name());
            }
        } else if (limit > 0) {
            MarketplaceEntries.walk(this, bytes, repeated, e -> {
                out.add(e.name());
                return out.size() < limit;
            });
        }
        return out;
    }

    /** How many valid entries (duplicates counted once). */
    public int pluginCount() {
        if (plugins != null) {
            return plugins.size();
        }
        int[] n = {0};
        forEachPlugin(e -> n[0]++);
        return n[0];
    }

    /**
     * The first entry with this name, as Codex takes it; looked up, not scanned, as sync asks once per plugin (an
     * {@link #open}ed one is walked up to it, unless {@link #mayList} says it is not there).
     */
    public Optional<MarketplaceEntry> plugin(String pluginName) {
        if (plugins == null) {
            if (!mayList(pluginName)) {
                return Optional.empty();
            }
            MarketplaceEntry[] found = {null};
            MarketplaceEntries.walk(this, bytes, repeated, e -> {
                if (!e.name().equals(pluginName)) {
                    return true;
                }
                found[0] = e;
                return false;
            });
            return Optional.ofNullable(found[0]);
        }
        Map<String, MarketplaceEntry> index = byName;
        if (index == null) {
            index = new HashMap<>();
            for (MarketplaceEntry p : plugins) {
                index.putIfAbsent(p.name(), p);
            }
            byName = index;
        }
        return Optional.ofNullable(index.get(pluginName));
    }

    private volatile Map<String, MarketplaceEntry> byName;

    /** False when this marketplace surely lists no valid entry of that name; true when it may (or, held, does). */
    public boolean mayList(String pluginName) {
        if (names != null) {
            return java.util.Arrays.binarySearch(names, nameHash(pluginName)) >= 0;
        }
        return plugin(pluginName).isPresent();
    }

    /**
     * This marketplace holding the entries named in wanted only (the others let go as they are read), and still
     * answering {@link #mayList} for every name: what a caller that will look up a few names keeps of a large one.
     */
    public Marketplace keeping(java.util.Set<String> wanted) {
        List<MarketplaceEntry> kept = new ArrayList<>();
        long[] all = names;
        if (all == null) {
            all = new long[plugins.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = nameHash(plugins.get(i).name());
            }
            java.util.Arrays.sort(all);
        }
        forEachPlugin(e -> {
            if (wanted.contains(e.name())) {
                kept.add(e);
            }
        });
        return new Marketplace(root, manifestFile, displayName, name, List.copyOf(kept), fileErrors, skipped, null, all, null);
    }

    /** A 64-bit FNV-1a hash of a name's characters: {@link #mayList}'s filter and a walk's repeated names. */
    static long nameHash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    /** Why Codex would reject the whole file; empty when it accepts it. */
    public List<Finding> fileErrors() {
        return fileErrors;
    }

    /** Entries Codex skips, with file, line and code. */
    public List<Finding> skipped() {
        return skipped;
    }

    /** Human messages for entries Codex would skip. */
    public List<String> skippedEntries() {
        return skipped.stream().map(Finding::message).toList();
    }

    /** The plugin directory a local entry points to (not checked for existence). */
    public Path localPluginDir(PluginSource.Local source) {
        return localPluginDir(root, source);
    }

    /** The plugin directory a local entry of the marketplace at root points to (not checked for existence). */
    public static Path localPluginDir(Path root, PluginSource.Local source) {
        return root.resolve(source.path().substring(2)).normalize();
    }
}
