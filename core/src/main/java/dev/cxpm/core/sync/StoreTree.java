package dev.cxpm.core.sync;

import dev.cxpm.core.TempPaths;
import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.Trees;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
record StoreTree(Path files, List<String> dirs, List<File> entries) {

    private static final String HEADER = "cxpm-tree 1";
    private static final String FILES = "files";
    private static final String INDEX = "index";
    /** Far above any index the unpacker's limits allow; a bigger one is not ours. */
    private static final long MAX_INDEX_BYTES = 64L * 1024 * 1024;

    /** One file as the tree made it. fileKey is the file system's identity of the inode ("-" where it has none). */
    record File(String path, boolean executable, long size, long mtimeNanos, String fileKey) {
    }

    static Path dir(Store store, Integrity integrity) {
        return dirOf(store.blob(integrity));
    }

    /** The tree beside a stored archive ({@link Store#blob}): {@code <hex>.tree} beside {@code <hex>.tgz}. */
    static Path dirOf(Path blob) {
        String name = blob.getFileName().toString();
        return blob.resolveSibling(name.substring(0, name.length() - ".tgz".length()) + ".tree");
    }

    /** The stored tree of this content, when it is there and every file is as it was made; a damaged one is removed. */
    static Optional<StoreTree> checked(Store store, Integrity integrity) {
        return checked(store, dir(store, integrity));
    }

    /** {@link #checked(Store, Integrity)}, for the content whose tree is dir ({@link #dirOf} its archive). */
    static Optional<StoreTree> checked(Store store, Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Optional<StoreTree> tree = read(dir).filter(StoreTree::intact);
        if (tree.isEmpty()) {
            throwAway(store, dir);
        }
        return tree;
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
            Optional<StoreTree> kept = keep(store, integrity, tmp, dir, index(tmp.resolve(FILES)));
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
     */
    static Packed packed(Store store, Path pluginDir) {
        Path tmp = null;
        try {
            tmp = tempDir(store.dir());
            Files.createDirectory(tmp.resolve(FILES));
            Packer.Stored result;
            try {
                result = store.add(pluginDir, tmp.resolve(FILES));
            } catch (UserError notUnpackable) {
                if (notUnpackable.kind() != UserError.Kind.INVALID_INPUT) {
                    throw notUnpackable;
                }
                return new Packed(store.add(pluginDir, null), Optional.empty());
            }
            Integrity integrity = result.contentIntegrity();
            // renamed into place without a look first: a tree is there already only when a sync of another project made
            // it (keep takes that one when it is intact); the look was a failed lstat of a name in a directory of 2N
            // names, and the exception for it, per plugin of a first sync
            Optional<StoreTree> kept = keep(store, integrity, tmp, dir(store, integrity), indexPacked(tmp.resolve(FILES), result.listing()));
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
        Files.writeString(tmp.resolve(INDEX), made.indexText(), StandardCharsets.UTF_8);
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
    void placeInto(Path dest) {
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

    /** Every indexed file still a regular file (not a link) with its recorded size, time, inode and executable bit. */
    private boolean intact() {
        for (File f : entries) {
            try {
                PosixFileAttributes a = Files.readAttributes(files.resolve(f.path), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isRegularFile() || a.size() != f.size || a.lastModifiedTime().to(TimeUnit.NANOSECONDS) != f.mtimeNanos
                        || !key(a).equals(f.fileKey) || a.permissions().contains(PosixFilePermission.OWNER_EXECUTE) != f.executable) {
                    return false;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return true;
    }

    private static String key(PosixFileAttributes a) {
        Object k = a.fileKey();
        return k == null ? "-" : k.toString().replace(' ', '_');
    }

    /** The directories and files of a tree just unpacked (the unpacker makes nothing else), parents first. */
    private static StoreTree index(Path root) throws IOException {
        List<String> dirs = new ArrayList<>();
        List<File> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString();
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isDirectory()) {
                    dirs.add(rel);
                } else if (a.isRegularFile()) {
                    entries.add(file(rel, a));
                } else {
                    throw new IOException(p + " is neither a file nor a directory");
                }
            }
        }
        return new StoreTree(root, dirs, entries);
    }

    /**
     * The index of a tree the packer just wrote under root: the listing's files (one lstat each: a file whose copy is not
     * a regular file fails) and their directories, parents first, without walking it (the packer makes nothing else).
     */
    private static StoreTree indexPacked(Path root, Packer.Listing listing) throws IOException {
        java.util.Set<String> dirs = new java.util.LinkedHashSet<>();
        List<File> entries = new ArrayList<>();
        for (Packer.Entry e : listing.entries()) {
            String rel = e.path();
            for (int i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
                dirs.add(rel.substring(0, i));
            }
            PosixFileAttributes a = Files.readAttributes(root.resolve(rel), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                throw new IOException(root.resolve(rel) + " is not a file");
            }
            entries.add(file(rel, a));
        }
        return new StoreTree(root, List.copyOf(dirs), entries);
    }

    private static File file(String rel, PosixFileAttributes a) {
        return new File(rel, a.permissions().contains(PosixFilePermission.OWNER_EXECUTE), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), key(a));
    }

    private String indexText() {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        dirs.forEach(d -> b.append("d ").append(escape(d)).append('\n'));
        entries.forEach(f -> b.append("f ").append(f.executable ? 'x' : '-').append(' ').append(f.size).append(' ').append(f.mtimeNanos)
                .append(' ').append(f.fileKey).append(' ').append(escape(f.path)).append('\n'));
        return b.toString();
    }

    /** The index of a tree, when it is one cxpm wrote: every path relative and inside, every line well formed. */
    private static Optional<StoreTree> read(Path dir) {
        return read(dir, MAX_INDEX_BYTES);
    }

    /** {@link #read(Path)}, refusing an index of more than maxIndexBytes (a test's bound; else {@link #MAX_INDEX_BYTES}). */
    static Optional<StoreTree> read(Path dir, long maxIndexBytes) {
        Path index = dir.resolve(INDEX);
        Path files = dir.resolve(FILES);
        try {
            // one lstat of the index says both that it is a file, not a link, and its size (a missing one throws: not ours)
            java.nio.file.attribute.BasicFileAttributes indexFile = Files.readAttributes(index,
                    java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!indexFile.isRegularFile() || indexFile.size() > maxIndexBytes || !Files.isDirectory(files, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            // read through no link, up to the bound (no size and position asked again, as readAllLines's stream did);
            // split where readAllLines split (\n, \r, \r\n), decoded as strictly
            List<String> lines = lines(dev.cxpm.core.FileText.utf8(dev.cxpm.core.FileText.bytes(index, indexFile, maxIndexBytes,
                    LinkOption.NOFOLLOW_LINKS)));
            if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
                return Optional.empty();
            }
            List<String> dirs = new ArrayList<>();
            List<File> entries = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.startsWith("d ")) {
                    String d = unescape(line.substring(2));
                    if (!safe(d)) {
                        return Optional.empty();
                    }
                    dirs.add(d);
                } else if (line.startsWith("f ")) {
                    String[] f = line.substring(2).split(" ", 5);
                    if (f.length != 5 || !(f[0].equals("x") || f[0].equals("-"))) {
                        return Optional.empty();
                    }
                    String path = unescape(f[4]);
                    if (!safe(path)) {
                        return Optional.empty();
                    }
                    entries.add(new File(path, f[0].equals("x"), Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]));
                } else {
                    return Optional.empty();
                }
            }
            // each directory after its parent, each file in a listed directory: else placing it would fail half-way
            java.util.Set<String> listed = new java.util.HashSet<>();
            for (String d : dirs) {
                if (!parentListed(d, listed) || !listed.add(d)) {
                    return Optional.empty();
                }
            }
            java.util.Set<String> filesListed = new java.util.HashSet<>(); // a file listed twice: its second link would fail
            for (File f : entries) {
                if (!parentListed(f.path(), listed) || listed.contains(f.path()) || !filesListed.add(f.path())) {
                    return Optional.empty();
                }
            }
            return Optional.of(new StoreTree(files, dirs, entries));
        } catch (IOException | RuntimeException notOurs) {
            return Optional.empty();
        }
    }

    /**
     * The text's lines as {@link String#lines} splits them (at \n, \r and \r\n; no empty line after a last break), without
     * a stream: an index is read for each plugin of each sync.
     */
    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                out.add(text.substring(start, i));
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < n) {
            out.add(text.substring(start));
        }
        return out;
    }

    private static boolean parentListed(String path, java.util.Set<String> listed) {
        int slash = path.lastIndexOf('/');
        return slash < 0 || listed.contains(path.substring(0, slash));
    }

    /** A path the unpacker could have made: relative, no empty, {@code .} or {@code ..} part, no backslash or NUL. */
    private static boolean safe(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            return false;
        }
        // each part between slashes (split("/", -1)'s, read in place): none empty, . or ..
        for (int start = 0; start <= path.length(); ) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int len = end - start;
            if (len == 0 || path.charAt(start) == '.' && (len == 1 || len == 2 && path.charAt(start + 1) == '.')) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /** Paths never hold a backslash (the unpacker refuses it), so it can escape line breaks. */
    private static String escape(String path) {
        return path.replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String path) {
        return path.replace("\\n", "\n").replace("\\r", "\r");
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
