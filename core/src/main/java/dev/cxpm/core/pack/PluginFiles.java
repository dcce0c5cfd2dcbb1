package dev.cxpm.core.pack;

import dev.cxpm.core.FileText;
import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.Packer.Entry;
import dev.cxpm.core.pack.Packer.Excluded;
import dev.cxpm.core.pack.Packer.Listing;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which files of a plugin directory a pack holds, and which it leaves out and why (see {@link Packer}): the walk of the
 * tree, apart from writing the archive. Links are never followed out of the plugin, into .git, or to a directory; what
 * Codex never installs ({@link CodexCopy}) is left out.
 */
final class PluginFiles {
    private static final String IGNORE_FILE = Packer.IGNORE_FILE;
    private static final int MAX_IGNORE_BYTES = 1 << 20;

    private PluginFiles() {
    }

    /** What {@link Packer#list} gives, without refusing oversized content. */
    static Listing scan(Path pluginRoot) {
        Path root = pluginRoot.toAbsolutePath().normalize();
        try {
            RealRoot realRoot = new RealRoot(root);
            Path ignoreFile = root.resolve(IGNORE_FILE);
            IgnoreRules rules = IgnoreRules.parse(Files.isRegularFile(ignoreFile) ? ignoreText(ignoreFile) : null);
            List<Entry> entries = new ArrayList<>();
            List<Excluded> excluded = new ArrayList<>();
            walk(root, realRoot, "", rules, entries, excluded);
            // not Comparator.comparing, whose serializable lambda a cold validate spun at run time (the archive cannot hold it)
            entries.sort((a, b) -> a.path().compareTo(b.path()));
            excluded.sort((a, b) -> a.path().compareTo(b.path()));
            return new Listing(root, List.copyOf(entries), List.copyOf(excluded));
        } catch (IOException e) {
            throw new UserError(UserError.Kind.IO, "cannot read " + root + ": " + e.getMessage(), null, e);
        }
    }

    /** A plugin's .cxpmignore: a few lines, and the plugin's author decides its size. */
    private static String ignoreText(Path ignoreFile) throws IOException {
        try {
            return FileText.read(ignoreFile, MAX_IGNORE_BYTES);
        } catch (FileText.TooLarge e) {
            throw new UserError(UserError.Kind.INVALID_INPUT, ignoreFile + " is larger than the " + MAX_IGNORE_BYTES + " bytes cxpm reads",
                    "a .cxpmignore holds a few patterns, one per line");
        }
    }

    private static void walk(Path dir, RealRoot realRoot, String relDir, IgnoreRules rules, List<Entry> entries,
                      List<Excluded> excluded) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            String rel = relDir + name;
            BasicFileAttributes attrs = lstat(child);
            if (name.equals(".git")) {
                excluded.add(new Excluded(rel, ".git is never packed"));
                continue;
            }
            Optional<String> notInCodexCopy = CodexCopy.leftOut(rel, attrs.isSymbolicLink());
            if (notInCodexCopy.isPresent()) {
                excluded.add(new Excluded(rel, notInCodexCopy.get()));
                continue;
            }
            if (GitReservedNames.isReserved(name) && !rules.ignores(rel, attrs.isDirectory())) {
                excluded.add(new Excluded(rel, GitReservedNames.LEFT_OUT));
                continue;
            }
            if (attrs.isSymbolicLink()) {
                symlink(child, realRoot, rel, rules, entries, excluded);
            } else if (attrs.isDirectory()) {
                if (rules.ignores(rel, true)) {
                    excluded.add(new Excluded(rel + "/", "ignored by " + IGNORE_FILE + " or defaults"));
                } else {
                    walk(child, realRoot, rel + "/", rules, entries, excluded);
                }
            } else if (attrs.isRegularFile()) {
                if (rules.ignores(rel, false)) {
                    excluded.add(new Excluded(rel, "ignored by " + IGNORE_FILE + " or defaults"));
                } else {
                    entries.add(new Entry(rel, child, attrs.size(), attrs instanceof PosixFileAttributes px
                            ? px.permissions().contains(PosixFilePermission.OWNER_EXECUTE) : ownerExecutable(child)));
                }
            } else {
                excluded.add(new Excluded(rel, Packer.NOT_A_FILE));
            }
        }
    }

    private static void symlink(Path link, RealRoot realRootOf, String rel, IgnoreRules rules, List<Entry> entries,
                                List<Excluded> excluded) throws IOException {
        Path real;
        try {
            real = link.toRealPath();
        } catch (IOException e) {
            excluded.add(new Excluded(rel, "broken or looping symlink"));
            return;
        }
        Path realRoot = realRootOf.get();
        if (!real.startsWith(realRoot)) {
            excluded.add(new Excluded(rel, "symlink leaves the plugin (-> " + Files.readSymbolicLink(link) + ")"));
        } else if (Files.isDirectory(real)) {
            excluded.add(new Excluded(rel, "symlink to a directory is not followed"));
        } else if (insideGit(realRoot.relativize(real))) {
            excluded.add(new Excluded(rel, "symlink into .git"));
        } else if (!Files.isRegularFile(real)) {
            excluded.add(new Excluded(rel, "symlink to something other than a file"));
        } else if (rules.ignores(rel, false)) {
            excluded.add(new Excluded(rel, "ignored by " + IGNORE_FILE + " or defaults"));
        } else {
            entries.add(new Entry(rel, real, Files.size(real), ownerExecutable(real)));
        }
    }

    /** The root's real path, resolved at the first symlink: a plugin without links (most) needs none (a readlink per part of its path). */
    private static final class RealRoot {
        private final Path root;
        private Path real;

        RealRoot(Path root) {
            this.root = root;
        }

        Path get() throws IOException {
            if (real == null) {
                real = root.toRealPath();
            }
            return real;
        }
    }

    private static boolean insideGit(Path relative) {
        for (Path part : relative) {
            if (GitReservedNames.isReserved(part.toString())) {
                return true;
            }
        }
        return false;
    }

    /** The entry's own attributes, with its mode where the file system has one: a file's executable bit without a second stat. */
    private static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException notPosix) {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static boolean ownerExecutable(Path file) throws IOException {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class).permissions()
                    .contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(file);
        }
    }
}
