package dev.cxpm.core.install;

import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.core.codexhome.VersionDir;
import dev.cxpm.core.codexhome.VersionDirOrder;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Codex's plugin cache ({@code plugins/cache/<marketplace>/<plugin>/<version>/}) as install and sync
 * change it, crash-safely. Every change is prepared in a work directory under
 * {@code plugins/.cxpm-staging/} (same filesystem, so moves are renames): a new version directory is
 * renamed in beside the old ones (Codex shows the highest, so a reader sees the old or the new plugin,
 * never a half-copied one); a version being replaced by itself is first moved into the work directory
 * with a marker naming its place, and {@link #recover()} puts it back if the run died right there;
 * what is removed is renamed into the work directory before it is deleted. Callers hold the home lock.
 */
public final class PluginCache {
    private static final String WORK_PREFIX = "install-";
    private static final String REPLACED_PREFIX = "replaced-";
    private static final String TARGET_MARKER = "target";
    private static final String TREE = "tree";

    private final CodexHome home;
    /** The marketplace directories {@link #putNew} made or found this pass (they are not made again for each plugin). */
    private final Set<Path> marketplaces = ConcurrentHashMap.newKeySet();
    /** The marketplace directories {@link #putNew} made this pass: what is in one is what this pass renamed in. */
    private final Set<Path> madeMarketplaces = ConcurrentHashMap.newKeySet();

    public PluginCache(CodexHome home) {
        this.home = home;
    }

    /** A fresh work directory; delete it with {@link #discard} once the change is complete. */
    public Path newWork() {
        Path work = home.installStaging();
        try {
            Files.createDirectories(work);
            for (int attempt = 0; ; attempt++) {
                work = home.installStaging(WORK_PREFIX + unique());
                try {
                    return Files.createDirectory(work);
                } catch (FileAlreadyExistsException taken) {
                    if (attempt == 100) {
                        throw taken;
                    }
                }
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot create " + work + ": " + e.getMessage(),
                    "check free space and permissions of the Codex home", e);
        }
    }

    private static final AtomicLong SEQUENCE = new AtomicLong();

    /**
     * A name unique in this process and unlikely in any other (the time, a random number, a counter); a directory is
     * made with it atomically and another name tried if it exists. Not a random UUID: seeding its SecureRandom was
     * ~4 ms of a cold install (docs/BENCHMARKS.md).
     */
    static String unique() {
        return Long.toHexString(System.nanoTime()) + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4) + "-"
                + SEQUENCE.incrementAndGet();
    }

    public void discard(Path work) {
        Trees.delete(work);
    }

    /**
     * Renames a staged tree (inside work) to its version directory, moving a previous copy of that version aside. True when
     * the plugin had no directory before (made here): then it holds this version alone, and has no other to remove.
     */
    public boolean put(Path staged, Path target, Path work) {
        Path versionDir = home.pluginPath(target, 3);
        boolean made;
        try {
            made = makeDirectory(versionDir.getParent());
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot create " + versionDir.getParent() + ": " + e.getMessage(),
                    "check free space and permissions of the Codex home", e);
        }
        if (Files.exists(versionDir, LinkOption.NOFOLLOW_LINKS)) { // a link too (even dangling): moved aside, never written through
            Path aside = work.resolve(REPLACED_PREFIX + unique());
            try {
                Files.createDirectories(aside);
                Files.writeString(aside.resolve(TARGET_MARKER), versionDir.toString());
            } catch (IOException e) {
                throw new UserError(UserError.Kind.IO, "cannot write " + aside.resolve(TARGET_MARKER) + ": " + e.getMessage(),
                        "check free space and permissions of the Codex home", e);
            }
            move(versionDir, aside.resolve(TREE));
        }
        rename(staged, versionDir); // its parent was made above: not asked for again (one mkdir less per plugin in a sync)
        return made;
    }

    /**
     * Renames a staged plugin directory (inside work, holding one version directory) to pluginDir, which was not there when
     * looked at: one rename into the marketplace's directory (made once per pass when missing) instead of making the
     * plugin's directory there and renaming the version into it (a mkdir is several times a rename's cost). Codex sees the
     * plugin with its version, or no plugin. False, having changed nothing, when pluginDir is there after all (made
     * meanwhile, or a link or a file): the caller then {@link #put}s the version, which refuses what is not a directory.
     */
    public boolean putNew(Path stagedPlugin, Path pluginDir) {
        Path target = home.pluginPath(pluginDir, 2);
        Path marketplace = target.getParent();
        if (!marketplaces.contains(marketplace)) {
            synchronized (marketplaces) { // placed from several threads: one makes it, the others find it made
                if (!marketplaces.contains(marketplace)) {
                    try {
                        if (makeDirectory(marketplace)) {
                            madeMarketplaces.add(marketplace);
                        }
                    } catch (IOException e) {
                        throw new UserError(UserError.Kind.IO, "cannot create " + marketplace + ": " + e.getMessage(),
                                "check free space and permissions of the Codex home", e);
                    }
                    home.pluginPath(target, 2); // the marketplace's directory, made or there, proven a directory and not a link
                    marketplaces.add(marketplace);
                }
            }
        }
        try {
            Files.move(stagedPlugin, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException there) {
            return false; // rename(2) replaces only an empty directory: a plugin's versions are never replaced here
        }
    }

    /**
     * False when pluginDir cannot be there yet: its marketplace's directory was made by this pass, and a plugin is placed
     * once a pass, so nothing there is it (not looked at: an lstat of a missing path costs an exception in the JDK, for each
     * plugin of a sync into an empty home). True otherwise: look. Only a hint: {@link #putNew} still refuses a plugin
     * directory made meanwhile, as it refuses one it was told about.
     */
    public boolean mayHold(Path pluginDir) {
        return !madeMarketplaces.contains(pluginDir.getParent());
    }

    /** Makes dir (its parents when missing); true when dir itself was made here, false when it was there. */
    private static boolean makeDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
            return true;
        } catch (FileAlreadyExistsException there) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw there;
            }
            return false;
        } catch (java.nio.file.NoSuchFileException noParent) {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir);
            return true;
        }
    }

    /** Moves every version directory of the plugin but {@code keep} into work (deleted with it). */
    public void removeOtherVersions(Path plugin, String keep, Path work) {
        Path pluginDir = home.pluginPath(plugin, 2);
        if (!Files.isDirectory(pluginDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.list(pluginDir)) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals(keep)) {
                    move(p, work.resolve("old-" + unique()));
                }
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot list " + pluginDir + ": " + e.getMessage(), null, e);
        }
    }

    /** Removes a plugin's whole directory: one rename out of Codex's sight, then the delete. True when there was one. */
    public boolean remove(Path plugin) {
        Path pluginDir = home.pluginPath(plugin, 2);
        if (!Files.exists(pluginDir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path work = home.installStaging(WORK_PREFIX + "removed-" + unique());
        move(pluginDir, work);
        Trees.delete(work);
        return true;
    }

    /** Whether a killed run left anything in the staging area for {@link #recover()} (one directory read). */
    public boolean hasLeftovers() {
        try (Stream<Path> s = Files.list(home.installStaging())) {
            return s.findAny().isPresent();
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException none) {
            return false;
        } catch (IOException e) {
            return true; // unreadable: let recover() under the lock say why
        }
    }

    /**
     * Cleans up after runs that were killed. Called with the lock held, so no live run owns these dirs.
     * A version replaced by itself was moved aside for an instant; if the run died right there, it is put
     * back. Everything else left in the work directories is garbage.
     */
    public void recover() {
        Path staging = home.installStaging();
        if (!Files.isDirectory(staging)) {
            return;
        }
        try (Stream<Path> s = Files.list(staging)) {
            for (Path listed : s.toList()) {
                Path work = home.installStaging(listed.getFileName().toString()); // refused when the staging area is a link
                if (Files.isDirectory(work, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> children = Files.list(work)) {
                        for (Path aside : children.filter(c -> c.getFileName().toString().startsWith(REPLACED_PREFIX)).toList()) {
                            putBack(aside);
                        }
                    }
                }
                Trees.delete(work);
            }
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot clean " + staging + ": " + e.getMessage(), null, e);
        }
    }

    /** The version directory Codex shows when there are several: {@code local} first, then the highest in {@link VersionDirOrder}. */
    public static Optional<String> shownVersion(Path pluginDir) {
        // java.io.File's one native listing and a loop, not a Files.list stream: list runs this once per installed
        // plugin, and on a fresh JVM each stream pipeline is interpreted lambdas (its first one also sets up core
        // reflection's method handles for an EnumMap); an unreadable directory lists as null, as it showed nothing
        File dir = pluginDir.toFile();
        String[] names = dir.isDirectory() ? dir.list() : null;
        if (names == null) {
            return Optional.empty();
        }
        String shown = null;
        for (String n : names) {
            // a link is not a version directory: Codex takes the entry's own type (a link to a directory shows nothing)
            if (!n.startsWith(".") && VersionDir.problem(n).isEmpty() && Files.isDirectory(pluginDir.resolve(n), LinkOption.NOFOLLOW_LINKS)
                    && (shown == null || compareVersions(shown, n) < 0)) { // the first of equals, as Stream.max
                shown = n;
            }
        }
        return Optional.ofNullable(shown);
    }

    static int compareVersions(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        if (a.equals(Installer.LOCAL_VERSION)) {
            return 1;
        }
        if (b.equals(Installer.LOCAL_VERSION)) {
            return -1;
        }
        return VersionDirOrder.compare(a, b);
    }

    private void putBack(Path aside) throws IOException {
        Path marker = aside.resolve(TARGET_MARKER);
        Path tree = aside.resolve(TREE);
        if (Files.isRegularFile(marker) && Files.isDirectory(tree)) {
            Path target = Path.of(dev.cxpm.core.FileText.read(marker, 64 * 1024).strip()).normalize(); // a path: never larger
            Optional<Path> place;
            try {
                place = Optional.of(home.pluginPath(target, 3));
            } catch (UserError notAPlaceWeBuild) {
                place = Optional.empty(); // the marker was not written by cxpm: the tree goes with the work directory
            }
            if (place.isPresent() && !Files.exists(place.get(), LinkOption.NOFOLLOW_LINKS)) {
                move(tree, place.get());
            }
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot move " + from + " to " + to + ": " + e.getMessage(),
                    "check free space and permissions of the Codex home", e);
        }
        rename(from, to);
    }

    private static void rename(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot move " + from + " to " + to + ": " + e.getMessage(),
                    "check free space and permissions of the Codex home", e);
        }
    }
}
