package dev.cxpm.core.sync.store;

import dev.cxpm.core.format.PluginPaths;
import dev.cxpm.core.pack.Packer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The index of a {@link StoreTree} ({@code <hex>.tree/index}): a header line, a {@code d PATH} line per directory (parents
 * first), an {@code f X SIZE MTIME-NANOS FILE-KEY PATH} line per file, as the tree was made; line breaks in a path escaped.
 * Made from a tree just unpacked or packed, and read back only when every line is one cxpm writes (a tree whose index is
 * not is damaged: thrown away and made again).
 */
final class StoreTreeIndex {

    static final String INDEX = "index";
    private static final String HEADER = "cxpm-tree 1";
    /** Far above any index the unpacker's limits allow; a bigger one is not ours. */
    private static final long MAX_INDEX_BYTES = 64L * 1024 * 1024;

    private StoreTreeIndex() {
    }

    /** The file system's identity of a file's inode as an index line holds it ("-" where it has none). */
    static String key(PosixFileAttributes a) {
        Object k = a.fileKey();
        return k == null ? "-" : k.toString().replace(' ', '_');
    }

    /** The directories and files of a tree just unpacked (the unpacker makes nothing else), parents first. */
    static StoreTree ofUnpacked(Path root) throws IOException {
        List<String> dirs = new ArrayList<>();
        List<StoreTree.File> entries = new ArrayList<>();
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
    static StoreTree ofPacked(Path root, Packer.Listing listing) throws IOException {
        java.util.Set<String> dirs = new java.util.LinkedHashSet<>();
        List<StoreTree.File> entries = new ArrayList<>();
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

    private static StoreTree.File file(String rel, PosixFileAttributes a) {
        return new StoreTree.File(rel, a.permissions().contains(PosixFilePermission.OWNER_EXECUTE), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), key(a));
    }

    /** The index of tree as {@link #read} reads it back. */
    static String text(StoreTree tree) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        tree.dirs().forEach(d -> b.append("d ").append(escape(d)).append('\n'));
        tree.entries().forEach(f -> b.append("f ").append(f.executable() ? 'x' : '-').append(' ').append(f.size()).append(' ').append(f.mtimeNanos())
                .append(' ').append(f.fileKey()).append(' ').append(escape(f.path())).append('\n'));
        return b.toString();
    }

    /** The index of a tree, when it is one cxpm wrote: every path relative and inside, every line well formed. */
    static Optional<StoreTree> read(Path dir) {
        return read(dir, MAX_INDEX_BYTES);
    }

    /** {@link #read(Path)}, refusing an index of more than maxIndexBytes (a test's bound; else {@link #MAX_INDEX_BYTES}). */
    static Optional<StoreTree> read(Path dir, long maxIndexBytes) {
        Path index = dir.resolve(INDEX);
        Path files = dir.resolve(StoreTree.FILES);
        try {
            // one lstat of the index says both that it is a file, not a link, and its size (a missing one throws: not ours)
            java.nio.file.attribute.BasicFileAttributes indexFile = Files.readAttributes(index,
                    java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!indexFile.isRegularFile() || indexFile.size() > maxIndexBytes || !Files.isDirectory(files, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            // read through no link, up to the bound (no size and position asked again, as readAllLines's stream did);
            // lines split where readAllLines split (\n, \r, \r\n), decoded as strictly, each read in place (a String
            // made only for what the tree keeps: a path, a file key)
            String text = dev.cxpm.core.FileText.utf8(dev.cxpm.core.FileText.bytes(index, indexFile, maxIndexBytes,
                    LinkOption.NOFOLLOW_LINKS));
            int n = text.length();
            int end = lineEnd(text, 0);
            if (n == 0 || end != HEADER.length() || !text.startsWith(HEADER)) {
                return Optional.empty();
            }
            List<String> dirs = new ArrayList<>();
            List<StoreTree.File> entries = new ArrayList<>();
            for (int start = next(text, end); start < n; start = next(text, end)) {
                end = lineEnd(text, start);
                if (end - start < 2 || text.charAt(start + 1) != ' ') {
                    return Optional.empty();
                }
                char kind = text.charAt(start);
                if (kind == 'd') {
                    String d = unescape(text.substring(start + 2, end));
                    if (!safe(d)) {
                        return Optional.empty();
                    }
                    dirs.add(d);
                } else if (kind == 'f') {
                    // the line after "f " as split(" ", 5) splits it: four fields, each up to the next space, then the path
                    int x = start + 2;
                    int sizeAt = text.indexOf(' ', x, end) + 1;
                    int mtimeAt = sizeAt == 0 ? 0 : text.indexOf(' ', sizeAt, end) + 1;
                    int keyAt = mtimeAt == 0 ? 0 : text.indexOf(' ', mtimeAt, end) + 1;
                    int pathAt = keyAt == 0 ? 0 : text.indexOf(' ', keyAt, end) + 1;
                    if (pathAt == 0 || sizeAt - x != 2 || !(text.charAt(x) == 'x' || text.charAt(x) == '-')) {
                        return Optional.empty();
                    }
                    String path = unescape(text.substring(pathAt, end));
                    if (!safe(path)) {
                        return Optional.empty();
                    }
                    entries.add(new StoreTree.File(path, text.charAt(x) == 'x', Long.parseLong(text, sizeAt, mtimeAt - 1, 10),
                            Long.parseLong(text, mtimeAt, keyAt - 1, 10), text.substring(keyAt, pathAt - 1)));
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
            for (StoreTree.File f : entries) {
                if (!parentListed(f.path(), listed) || listed.contains(f.path()) || !filesListed.add(f.path())) {
                    return Optional.empty();
                }
            }
            return Optional.of(new StoreTree(files, dirs, entries));
        } catch (IOException | RuntimeException notOurs) {
            return Optional.empty();
        }
    }

    /** Where the line from start ends: its first \n or \r, else the text's end. */
    private static int lineEnd(String text, int start) {
        int n = text.length();
        int i = start;
        while (i < n && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    /**
     * Where the line after the one ending at end starts: past its \n, \r or \r\n, as {@link String#lines} splits (the
     * text's length when it ends there: no empty line after a last break).
     */
    private static int next(String text, int end) {
        if (end >= text.length()) {
            return end;
        }
        return text.charAt(end) == '\r' && end + 1 < text.length() && text.charAt(end + 1) == '\n' ? end + 2 : end + 1;
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
        return PluginPaths.eachPartIsAName(path);
    }

    /** Paths never hold a backslash (the unpacker refuses it), so it can escape line breaks. */
    private static String escape(String path) {
        return path.replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String path) {
        return path.replace("\\n", "\n").replace("\\r", "\r");
    }
}
