package dev.cxpm.core.sync.store;

import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.core.install.CommandSkills;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.core.pack.Unpacker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A stored plugin unpacked once ({@code <algo>/<hex>.tree/files/}, beside its archive {@code <hex>.tgz}), from which sync
 * places plugins by hard-linking each file into the Codex home: a placed file is a new name for the tree's inode, not
 * a new inode with its bytes written again. The tree is made only by cxpm's {@link Unpacker} from the archive, after
 * the archive's content integrity was checked, or by the packer as it packs a plugin directory into the store (the
 * bytes it hashes, at paths the unpacker's rules admit), into a temp directory renamed into place whole; its {@code index}
 * records each directory, and each file with its executable bit, size, modification time and inode as they were made.
 *
 * <p>A file installed by link is the tree's file: whoever edits it in the Codex home edits the tree too. So a tree is
 * used only after {@link #checked} found every indexed file with the size, time, inode and executable bit it was made
 * with (one lstat each), and only the indexed files are placed: anything else is a damaged tree, thrown away and made
 * again from the archive. What a check with one lstat cannot see (an edit that keeps the size and sets the time back)
 * is what {@code sync --verify} and {@code doctor} see: they hash the installed files against cxpm.lock.
 */
public record StoreTree(Path files, List<String> dirs, List<File> entries) {

    /** The tree's files, beside its {@link StoreTreeIndex index}. */
    static final String FILES = "files";

    /** One file as the tree made it. fileKey is the file system's identity of the inode ("-" where it has none). */
    record File(String path, boolean executable, long size, long mtimeNanos, String fileKey) {
    }

    static Path dir(Store store, Integrity integrity) {
        return dir(store, store.address(integrity));
    }

    /** The tree of the content at this {@link Store#address} (beside its archive, {@code <hex>.tgz}). */
    static Path dir(Store store, String address) {
        return store.dir().resolve(address + ".tree");
    }

    /** The stored tree of this content, when it is there and every file is as it was made; a damaged one is removed. */
    static Optional<StoreTree> checked(Store store, Integrity integrity) {
        return checked(store, dir(store, integrity));
    }

    /** {@link #checked(Store, Integrity)}, for the content whose tree is dir ({@link #dir}). */
    static Optional<StoreTree> checked(Store store, Path dir) {
        return seenIntact(store, dir).map(Seen::tree);
    }

    /**
     * A tree checked intact, with what the check saw of each of its files (in {@link #entries}'s order): a reader of one
     * of them takes that look as the one it makes before it opens a file (regular, not a link), not an lstat of its own.
     */
    record Seen(StoreTree tree, PosixFileAttributes[] files) {
    }

    /** {@link #checked(Store, Path)}, with what the check saw of each file. */
    static Optional<Seen> seenIntact(Store store, Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Optional<StoreTree> read = StoreTreeIndex.read(dir);
        PosixFileAttributes[] seen = read.isPresent() ? read.get().intact() : null;
        if (seen == null) {
            throwAway(store, dir);
            return Optional.empty();
        }
        return Optional.of(new Seen(read.get(), seen));
    }

    /**
     * Makes the tree of the stored archive of this integrity (removing a damaged one first): unpacked by the archive
     * rules and kept only when its content hashes to the integrity. Empty when the archive is not that content (or cut
     * short): the caller fetches it again. Another sync making the same tree at once is fine: the first rename wins.
     */
    static Optional<StoreTree> make(Store store, Integrity integrity) {
        Path dir = dir(store, integrity);
        Path tmp = null;
        try {
            tmp = tempDir(dir.getParent());
            Integrity found = null;
            try {
                found = new Unpacker().unpackHashingInto(store.blob(integrity), tmp.resolve(FILES)).contentIntegrity();
            } catch (UserError damaged) {
                if (damaged.kind() != UserError.Kind.INVALID_INPUT) {
                    throw damaged; // the disk, not the archive
                }
            }
            if (!integrity.equals(found)) {
                return Optional.empty();
            }
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                throwAway(store, dir);
            }
            Optional<StoreTree> kept = keep(store, integrity, tmp, dir, StoreTreeIndex.ofUnpacked(tmp.resolve(FILES)));
            tmp = null;
            return kept.isPresent() ? kept : make(store, integrity);
        } catch (IOException e) {
            throw cannotWrite(store, e);
        } finally {
            if (tmp != null) {
                Trees.delete(tmp);
            }
        }
    }

    /**
     * Packs a plugin directory into the store and keeps the files it packed as the tree of that content, so a first sync
     * places what it packed instead of unpacking it again: the files are the bytes the content integrity was computed
     * over, written as the unpacker would write them (a path it would refuse: no tree, the archive alone is kept).
     * Returns what was packed (its content integrity, and what the listing left out) with the tree kept, when there is one.
     * listing: the plugin directory as {@link Packer#list} listed it (the caller's look took it: not listed again).
     */
    static Packed packed(Store store, Packer.Listing listing) {
        Path tmp = null;
        try {
            tmp = tempDir(store.dir());
            Files.createDirectory(tmp.resolve(FILES));
            Packer.Stored result;
            try {
                result = store.add(listing, tmp.resolve(FILES));
            } catch (UserError notUnpackable) {
                if (notUnpackable.kind() != UserError.Kind.INVALID_INPUT) {
                    throw notUnpackable;
                }
                return new Packed(store.add(listing, null), Optional.empty());
            }
            Integrity integrity = result.contentIntegrity();
            // renamed into place without a look first: a tree is there already only when a sync of another project made
            // it (keep takes that one when it is intact); the look was a failed lstat of a name in a directory of 2N
            // names, and the exception for it, per plugin of a first sync
            Optional<StoreTree> kept = keep(store, integrity, tmp, dir(store, integrity), StoreTreeIndex.ofPacked(tmp.resolve(FILES), result.listing()));
            tmp = null;
            return new Packed(result, kept);
        } catch (IOException e) {
            throw cannotWrite(store, e);
        } finally {
            if (tmp != null) {
                Trees.delete(tmp);
            }
        }
    }

    /** What {@link #packed} packed, and the store's tree of that content (none when the packer could not write one). */
    record Packed(Packer.Stored result, Optional<StoreTree> tree) {
    }

    /**
     * Writes the index of the tree made in tmp (its files under {@code files/}) and renames it to dir: the tree kept, or,
     * when a tree of the same content is there already (another sync's, made before or meanwhile), theirs if it is
     * intact; a damaged one is thrown away and this one renamed in its place, once (empty when a damaged one is there
     * again). Anything else in the way (a file, a link) fails as the rename does. tmp is gone when it returns (the caller
     * deletes it when it throws).
     */
    private static Optional<StoreTree> keep(Store store, Integrity integrity, Path tmp, Path dir, StoreTree made) throws IOException {
        Files.writeString(tmp.resolve(StoreTreeIndex.INDEX), StoreTreeIndex.text(made), StandardCharsets.UTF_8);
        for (boolean again = false; ; again = true) {
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                return Optional.of(new StoreTree(dir.resolve(FILES), made.dirs, made.entries));
            } catch (FileSystemException inTheWay) { // ENOTEMPTY has no exception of its own: a FileSystemException
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw inTheWay;
                }
                Optional<StoreTree> theirs = checked(store, integrity); // a damaged one is thrown away
                if (theirs.isPresent() || again) {
                    Trees.delete(tmp);
                    return theirs;
                }
            }
        }
    }

    /** A new temp directory in parent, parent made first only when it is missing (not asked for each plugin). */
    private static Path tempDir(Path parent) throws IOException {
        try {
            return TempPaths.directory(parent, ".tree-");
        } catch (NoSuchFileException noParentYet) {
            Files.createDirectories(parent);
            return TempPaths.directory(parent, ".tree-");
        }
    }

    private static UserError cannotWrite(Store store, IOException e) {
        return new UserError(UserError.Kind.IO, "cannot write to the store " + store.dir() + ": " + e.getMessage(),
                "check free space and permissions, or point CXPM_STORE elsewhere", e);
    }

    /**
     * Places the tree at dest (absent; its parent exists): its directories made, each indexed file hard-linked, or
     * copied when the file system will not link there (the store on another file system, or one without hard links).
     */
    public void placeInto(Path dest) {
        Path at = dest;
        try {
            Files.createDirectory(dest);
            for (String d : dirs) {
                at = dest.resolve(d);
                Files.createDirectory(at);
            }
            boolean link = true;
            for (File f : entries) {
                Path from = files.resolve(f.path);
                at = dest.resolve(f.path);
                if (link) {
                    try {
                        Files.createLink(at, from);
                        continue;
                    } catch (NoSuchFileException | FileAlreadyExistsException notALinkProblem) {
                        throw notALinkProblem;
                    } catch (FileSystemException | UnsupportedOperationException cannotLinkHere) {
                        link = false; // EXDEV, EPERM, EMLINK or no links at all: the rest are copied too
                    }
                }
                Files.copy(from, at); // the new file takes the source's mode, under the umask
            }
        } catch (NoSuchFileException gone) {
            throw new UserError(UserError.Kind.IO, "the store's tree " + files.getParent() + " changed while it was being installed ("
                    + gone.getMessage() + " is missing); nothing was changed", "run the command again", gone);
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot write " + at + ": " + e.getMessage(),
                    "check free space and permissions of the Codex home", e);
        }
    }

    /**
     * The skills Codex makes of this plugin's commands when it installs it ({@link CommandSkills}), read from the tree's
     * files (not written there: they go into the placed copy); none, and nothing read, without a file under commands/.
     */
    public Map<String, String> commandSkills() {
        List<String> commands = null;
        for (File f : entries) {
            if (CommandSkills.isCommand(f.path)) {
                (commands == null ? commands = new ArrayList<>() : commands).add(f.path);
            }
        }
        return commands == null ? Map.of() : CommandSkills.of(files, commands);
    }

    /**
     * What one lstat of each indexed file saw, when every indexed directory is still a directory (not a link: a file is
     * looked at through its directories, so one swapped for a link to elsewhere passed off files outside the store as the
     * tree's) and every indexed file is still a regular file (not a link) with its recorded size, time, inode and
     * executable bit; else null.
     */
    private PosixFileAttributes[] intact() {
        for (String d : dirs) {
            if (!Files.isDirectory(files.resolve(d), LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
        }
        PosixFileAttributes[] seen = new PosixFileAttributes[entries.size()];
        int i = 0;
        for (File f : entries) {
            try {
                PosixFileAttributes a = Files.readAttributes(files.resolve(f.path), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isRegularFile() || a.size() != f.size || a.lastModifiedTime().to(TimeUnit.NANOSECONDS) != f.mtimeNanos
                        || !StoreTreeIndex.key(a).equals(f.fileKey) || a.permissions().contains(PosixFilePermission.OWNER_EXECUTE) != f.executable) {
                    return null;
                }
                seen[i++] = a;
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
        }
        return seen;
    }

    /** Renamed out of the way first (so no one links from half a tree), then deleted. */
    static void throwAway(Store store, Path dir) {
        try {
            Path trash = TempPaths.directory(dir.getParent(), ".trash-");
            Files.delete(trash);
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
            Trees.delete(trash);
        } catch (NoSuchFileException alreadyGone) {
            // another sync threw it away first
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot remove the damaged tree " + dir + " from the store: " + e.getMessage(),
                    "check permissions of the store, or point CXPM_STORE elsewhere", e);
        }
    }
}
