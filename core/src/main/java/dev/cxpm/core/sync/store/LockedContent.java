package dev.cxpm.core.sync.store;

import dev.cxpm.core.FileText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.format.ManifestKind;
import dev.cxpm.core.format.ManifestLocation;
import dev.cxpm.core.format.Plugin;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.ResolvedSource;
import dev.cxpm.core.pack.Sizes;
import dev.cxpm.core.sync.ProjectIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Whether a cxpm.lock entry tells the truth about the content its integrity names. The integrity is the
 * store's address, so it alone decides which bytes are installed; the entry's name and version decide
 * where (Codex's {@code cache/<marketplace>/<name>/<version>/}) and its source where they came from. A
 * hand-edited lockfile that changed only the version would put 1.1.0's files under {@code 1.0.0/}: so the
 * manifest inside the locked content must carry the entry's name and version, and a source cxpm fetched
 * from must be the entry's. Checked before the Codex home is touched, so a refused lockfile changes nothing.
 */
public final class LockedContent {
    private LockedContent() {
    }

    /** Where a plugin's manifest may be: what {@link #check} reads, and the packer keeps of a plugin it packs into the store. */
    static final java.util.Set<String> MANIFESTS = manifestPaths();

    private static java.util.Set<String> manifestPaths() {
        java.util.Set<String> paths = new java.util.HashSet<>();
        for (ManifestKind kind : ManifestKind.values()) {
            paths.add(kind.relativePath());
        }
        return java.util.Set.copyOf(paths);
    }

    /**
     * Refuses (INVALID_INPUT) an entry whose name or version is not its locked content's, unpacked (and verified) in dir.
     * Returns the manifest it read there, which the checks after phase 2 take instead of reading it again.
     */
    static UnpackedPlugins.Manifest check(LockedPlugin p, Path dir) {
        return check(p, dir, null);
    }

    /**
     * As {@link #check(LockedPlugin, Path)}, for a tree the packer wrote at dir a moment ago, from the manifests it kept
     * as it packed them ({@link dev.cxpm.core.pack.Packer.Stored#kept}: a path absent is no file in the tree, a null one
     * too big to keep, read from dir), not read back from the disk: the same bytes, those the integrity was computed over.
     * packed null: everything is read from dir.
     */
    static UnpackedPlugins.Manifest check(LockedPlugin p, Path dir, java.util.Map<String, byte[]> packed) {
        return check(p, rel -> packed == null || packed.containsKey(rel) && packed.get(rel) == null
                ? manifest(p, dir.resolve(rel)) : packed.get(rel));
    }

    /**
     * As {@link #check(LockedPlugin, Path)}, for a store tree just made ({@link StoreTree}): its index says which manifests
     * it holds, each a regular file (no link) of the size indexed, so an absent one is not looked for; each is looked at
     * once more as FileText opens it (one lstat, as for every file read whole: a manifest swapped for a named pipe since
     * would block the open forever).
     */
    static UnpackedPlugins.Manifest check(LockedPlugin p, StoreTree tree) {
        return check(p, tree, null);
    }

    /**
     * As {@link #check(LockedPlugin, StoreTree)}, for a tree just checked intact: seen holds the lstat that check took of
     * each of its files (in its entries' order), a regular file, no link, of the indexed size, which is the look a
     * manifest gets before it is opened (through no link), not a second lstat of its own a moment later. A manifest not
     * as indexed when read (changed since) is read as in any directory.
     */
    static UnpackedPlugins.Manifest check(LockedPlugin p, StoreTree tree, java.nio.file.attribute.BasicFileAttributes[] seen) {
        java.util.Map<String, Integer> at = new java.util.HashMap<>();
        java.util.List<StoreTree.File> entries = tree.entries();
        for (int i = 0; i < entries.size(); i++) {
            if (MANIFESTS.contains(entries.get(i).path())) {
                at.put(entries.get(i).path(), i);
            }
        }
        return check(p, rel -> {
            Integer i = at.get(rel);
            return i == null ? null : indexedManifest(p, tree.files().resolve(rel), entries.get(i).size(), seen == null ? null : seen[i]);
        });
    }

    private static UnpackedPlugins.Manifest check(LockedPlugin p, java.util.function.Function<String, byte[]> bytesOf) {
        Plugin plugin = null;
        UnpackedPlugins.Manifest read = null;
        for (ManifestKind kind : ManifestKind.values()) {
            String rel = kind.relativePath();
            byte[] bytes = bytesOf.apply(rel);
            if (bytes == null) {
                continue;
            }
            Path file = Path.of(kind.relativePath());
            String text;
            boolean utf8;
            try {
                text = FileText.utf8(bytes);
                utf8 = true;
            } catch (java.nio.charset.CharacterCodingException notUtf8) {
                text = new String(bytes, StandardCharsets.UTF_8); // its bad bytes replaced: checked here all the same
                utf8 = false;
            }
            JsonFile json = JsonFile.parse(file, text);
            Plugin candidate = Plugin.of(Path.of(p.name()), new ManifestLocation(kind, file), json);
            if (kind != ManifestKind.AGENT_PLUGINS_ROOT
                    || json.root().path("$schema").asText("").startsWith(ManifestLocation.AGENT_PLUGINS_SCHEMA)) {
                plugin = candidate;
                // the parse kept for the checks after phase 2 only when they would have parsed the same text (UTF-8); then
                // it holds the text, and the bytes are not kept beside it
                read = utf8 ? new UnpackedPlugins.Manifest(kind, null, json) : new UnpackedPlugins.Manifest(kind, bytes);
                break;
            }
        }
        if (plugin == null) {
            throw edited(p, "its locked content (" + p.integrity() + ") has no plugin manifest");
        }
        String name = plugin.effectiveName();
        String version = plugin.version().orElse("local");
        if (!name.equals(p.name())) {
            throw edited(p, "cxpm.lock names it `" + p.name() + "`, but its locked content (" + p.integrity() + ") is plugin `" + name + "`");
        }
        if (!version.equals(p.version().text())) {
            throw edited(p, "cxpm.lock says " + p.name() + " " + p.version() + ", but its locked content (" + p.integrity()
                    + ") is " + p.name() + " " + version);
        }
        return read;
    }

    /** The bytes of a manifest the unpacked content holds (null when it has none), up to the size any JSON file may have. */
    private static byte[] manifest(LockedPlugin p, Path file) {
        java.nio.file.attribute.BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException none) {
            return null; // what isRegularFile says of a path it cannot look at
        }
        if (!a.isRegularFile()) {
            return null;
        }
        try {
            if (a.size() > JsonFile.MAX_BYTES) { // one look for both (a regular file's size is the same through no link)
                throw edited(p, "its manifest " + file.getFileName() + " is over the " + Sizes.human(JsonFile.MAX_BYTES) + " limit");
            }
            // bounded: it may have grown since it was looked at; through no link, as it was looked at
            return FileText.bytes(file, a, JsonFile.MAX_BYTES, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    /**
     * A manifest of a checked tree, of the size its index gives, read through no link (else as {@link #manifest} reads it);
     * seen: the tree's check's lstat of it, taken as the look before it is opened (null: one is taken).
     */
    private static byte[] indexedManifest(LockedPlugin p, Path file, long size, java.nio.file.attribute.BasicFileAttributes seen) {
        if (size <= JsonFile.MAX_BYTES) {
            try {
                byte[] bytes = seen != null ? FileText.bytes(file, seen, JsonFile.MAX_BYTES, LinkOption.NOFOLLOW_LINKS)
                        : FileText.bytes(file, JsonFile.MAX_BYTES, LinkOption.NOFOLLOW_LINKS);
                if (bytes.length == size) {
                    return bytes;
                }
            } catch (IOException changedSince) {
                // read again below, as any directory's
            }
        }
        return manifest(p, file);
    }

    /** Refuses an entry whose source is not where its marketplace offers that version from. */
    static void checkSource(LockedPlugin p, ResolvedSource offered) {
        if (!sameSource(p, offered)) {
            throw edited(p, "cxpm.lock says " + p.id() + " comes from " + p.source() + ", but marketplace `" + p.marketplace()
                    + "` offers that version from " + offered);
        }
    }

    /** Whether offered is the source p's entry names. */
    public static boolean sameSource(LockedPlugin p, ResolvedSource offered) {
        // a git marketplace that moved on offers the same version from a newer commit: the integrity decides that one
        return offered instanceof ResolvedSource.GitCommit o && p.source() instanceof ResolvedSource.GitCommit l
                ? o.url().equals(l.url()) && o.subdir().equals(l.subdir())
                : offered.equals(p.source());
    }

    /**
     * Refuses an entry resolved from a registry under another key than the one this machine pinned for its
     * marketplace (nor one that key rotated away from): the lock's author and this machine are not talking to the
     * same registry, and one of them was answered by someone else when it pinned.
     */
    static void checkRegistryKey(LockedPlugin p, String lockedKey, ProjectIndex index) {
        if (!index.registryTrusts(p.marketplace(), lockedKey)) {
            throw new UserError(UserError.Kind.INTEGRITY, "cxpm.lock says " + p.id() + " was resolved from registry key " + lockedKey
                    + ", but marketplace `" + p.marketplace() + "` here pinned " + index.registryKey(p.marketplace()).orElse("another key")
                    + "; nothing was changed",
                    "check the registry's key id with its operators (cxpm marketplace add prints it) before trusting either");
        }
    }

    private static UserError edited(LockedPlugin p, String what) {
        return new UserError(UserError.Kind.INVALID_INPUT, "cxpm.lock does not describe " + p.name() + "@" + p.marketplace()
                + ": " + what + " (edited by hand?); nothing was changed",
                "restore cxpm.lock from version control, or delete its [[plugin]] entry for " + p.name() + " and run `cxpm sync`");
    }
}
