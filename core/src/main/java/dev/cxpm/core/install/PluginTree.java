package dev.cxpm.core.install;

import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What of a plugin directory gets installed, and the copy that installs it. Nothing installed is a
 * symbolic link: the real Codex CLI (0.171.0) copies a plugin without any of its links, and cxpm never
 * follows one out of the plugin. A link to a regular file inside the plugin is installed as a regular
 * file with the target's bytes (exactly what {@code cxpm pack} puts in an archive, so a plugin installs
 * the same from a marketplace directory and from the store or a registry); every other link (leaving the
 * plugin, broken, looping, to a directory, into {@code .git}) and every special file is left out and
 * reported. The plugin directory itself may be a link only to a place inside its marketplace (or checkout).
 */
public final class PluginTree {

    /** A directory or regular file to install; source is the file whose bytes are copied (a link's target). */
    public record Entry(String path, Path source, boolean directory) {
    }

    /** Something in the plugin that is not installed, and why. */
    public record Dropped(String path, String reason) {
        @Override
        public String toString() {
            return path + " (" + reason + ")";
        }
    }

    public record Listing(Path root, List<Entry> entries, List<Dropped> dropped) {
        /** What the copy will hold: the entries alone. */
        public Listing installed() {
            return new Listing(root, entries, List.of());
        }
    }

    private PluginTree() {
    }

    /**
     * The plugin at root, refused (INVALID_INPUT) when root resolves outside boundary (its marketplace root, its
     * checkout): a plugin directory that is a link to elsewhere would install whatever it points to.
     */
    public static Listing list(Path root, Path boundary, Set<String> excludedTopLevel) {
        Path realRoot;
        try {
            realRoot = root.toRealPath();
            if (!inside(root, boundary)) {
                throw new UserError(UserError.Kind.INVALID_INPUT, "refusing to install " + root + ": it is a link to " + realRoot
                        + ", outside " + boundary, "a plugin directory must be inside its marketplace; copy the plugin there instead of linking it");
            }
            if (!Files.isDirectory(realRoot)) {
                throw new UserError(UserError.Kind.INVALID_INPUT, "missing plugin.json", root + " is not a directory");
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, "missing plugin.json", root + " cannot be read: " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        List<Dropped> dropped = new ArrayList<>();
        try {
            walk(realRoot, realRoot, "", excludedTopLevel, entries, dropped);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + root + ": " + e.getMessage(), null, e);
        }
        // not Comparator.comparing, whose serializable lambda a cold install spun at run time (the archive cannot hold it)
        entries.sort((a, b) -> a.path().compareTo(b.path()));
        dropped.sort((a, b) -> a.path().compareTo(b.path()));
        return new Listing(realRoot, List.copyOf(entries), List.copyOf(dropped));
    }

    /**
     * True when dir, links resolved, is inside boundary (links resolved too). Through PluginPaths, the one place that
     * decides it: a dir named below boundary with no link on the way is answered with an lstat per name, where resolving
     * both whole paths read every name from / (ten readlink calls a plugin, for each plugin a sync resolves).
     */
    public static boolean inside(Path dir, Path boundary) {
        return dev.cxpm.core.format.PluginPaths.isInside(boundary, dir);
    }

    /** Copies the listing's entries to dst (which must not exist) as directories and regular files, keeping modes. */
    public static void copy(Listing listing, Path dst) {
        try {
            Files.createDirectories(dst);
            for (Entry e : listing.entries()) {
                Path target = dst.resolve(e.path());
                if (e.directory()) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(e.source(), target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot copy " + listing.root() + " to " + dst + ": " + e.getMessage(), null, e);
        }
    }

    private static void walk(Path dir, Path realRoot, String relDir, Set<String> excludedTopLevel, List<Entry> entries,
            List<Dropped> dropped) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        }
        for (Path child : children) {
            String rel = relDir + child.getFileName();
            if (relDir.isEmpty() && excludedTopLevel.contains(rel)) {
                continue;
            }
            BasicFileAttributes attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) {
                link(child, realRoot, rel, entries, dropped);
            } else if (attrs.isDirectory()) {
                entries.add(new Entry(rel, child, true));
                walk(child, realRoot, rel + "/", excludedTopLevel, entries, dropped);
            } else if (attrs.isRegularFile()) {
                entries.add(new Entry(rel, child, false));
            } else {
                dropped.add(new Dropped(rel, "not a regular file (fifo, socket or device)"));
            }
        }
    }

    private static void link(Path link, Path realRoot, String rel, List<Entry> entries, List<Dropped> dropped) throws IOException {
        Path real;
        try {
            real = link.toRealPath();
        } catch (IOException e) {
            dropped.add(new Dropped(rel, "broken or looping link"));
            return;
        }
        if (!real.startsWith(realRoot)) {
            dropped.add(new Dropped(rel, "link leaves the plugin (-> " + Files.readSymbolicLink(link) + ")"));
        } else if (Files.isDirectory(real)) {
            dropped.add(new Dropped(rel, "link to a directory is not followed"));
        } else if (realRoot.relativize(real).toString().equals(".git") || realRoot.relativize(real).startsWith(".git")) {
            dropped.add(new Dropped(rel, "link into .git"));
        } else if (!Files.isRegularFile(real)) {
            dropped.add(new Dropped(rel, "link to something other than a file"));
        } else {
            entries.add(new Entry(rel, real, false));
        }
    }
}
