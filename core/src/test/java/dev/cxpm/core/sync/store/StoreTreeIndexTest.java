package dev.cxpm.core.sync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store tree's index is read back only when every line is one cxpm writes: each malformed one (a part empty, . or ..,
 * a path listed twice, a line of another shape) voids the tree, which is then thrown away and made again.
 */
class StoreTreeIndexTest {

    @TempDir
    Path tmp;
    Store store;
    Path dir;
    String fileLine;

    @BeforeEach
    void tree() throws Exception {
        store = new Store(tmp.resolve("store"));
        dir = Files.createDirectories(tmp.resolve("store/sha512/ab.tree"));
        Path file = Files.writeString(Files.createDirectories(dir.resolve("files/sub")).resolve("a.txt"), "hello");
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        fileLine = "f " + (a.permissions().contains(PosixFilePermission.OWNER_EXECUTE) ? "x" : "-") + " " + a.size() + " "
                + a.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " " + a.fileKey().toString().replace(' ', '_') + " sub/a.txt";
    }

    private boolean kept(String index) throws Exception {
        Files.writeString(Files.createDirectories(dir).resolve("index"), index);
        boolean kept = StoreTree.checked(store, dir).isPresent();
        if (!kept) {
            assertThat(dir).as("thrown away").doesNotExist();
            tree(); // made again for the next case
        }
        return kept;
    }

    @Test
    void aTreeListingAFileTwiceCouldNotBePlaced() throws Exception {
        // why a file listed twice voids the index: its second link fails, every sync (the tree is not made again)
        StoreTree.File f = new StoreTree.File("sub/a.txt", false, 5, 0, "-");
        StoreTree twice = new StoreTree(dir.resolve("files"), java.util.List.of("sub"), java.util.List.of(f, f));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> twice.placeInto(tmp.resolve("placed")))
                .isInstanceOf(dev.cxpm.core.UserError.class).hasMessageContaining("cannot write");
    }

    @Test
    void anIndexUnderItsBoundIsReadWhateverTheBoundsSize() throws Exception {
        Files.writeString(dir.resolve("index"), "cxpm-tree 1\nd sub\n" + fileLine + "\n");
        long overInt = (1L << 32) + 16; // past an int: cut to one, it would be 16 bytes and refuse this index
        assertThat(StoreTreeIndex.read(dir, overInt)).as("a bound past an int's range").isPresent();
        assertThat(StoreTreeIndex.read(dir, Long.MAX_VALUE)).as("the largest bound").isPresent();
        assertThat(StoreTreeIndex.read(dir, 16)).as("an index over its bound is not ours").isEmpty();
    }

    @Test
    void everyMalformedIndexVoidsTheTree() throws Exception {
        assertThat(kept("cxpm-tree 1\nd sub\n" + fileLine + "\n")).as("well formed").isTrue();
        assertThat(kept("cxpm-tree 1\r\nd sub\r\n" + fileLine + "\r\n")).as("lines end at \\r\\n as String.lines ends them").isTrue();
        assertThat(kept("cxpm-tree 1\nd sub\n" + fileLine)).as("no break after the last line").isTrue();
        // each made from the file line of the tree as it now is (a tree thrown away is made again, its file anew)
        java.util.List<java.util.function.Function<String, String>> malformed = java.util.List.of(
            f -> "",
            f -> "\n",
            f -> "cxpm-tree 2\nd sub\n" + f + "\n",
            f -> "cxpm-tree 1\nd sub\n\n" + f + "\n",
            f -> "cxpm-tree 1\nd sub\nd sub\n" + f + "\n",
            f -> "cxpm-tree 1\nd sub\n" + f + "\n" + f + "\n",
            f -> "cxpm-tree 1\nd sub\n" + f.replace("sub/a.txt", "sub//a.txt") + "\n",
            f -> "cxpm-tree 1\nd sub\n" + f.replace("sub/a.txt", "sub/./a.txt") + "\n",
            f -> "cxpm-tree 1\nd sub\n" + f.replace("sub/a.txt", "sub/../sub/a.txt") + "\n",
            f -> "cxpm-tree 1\nd sub\n" + f.replace("sub/a.txt", "/sub/a.txt") + "\n",
            f -> "cxpm-tree 1\nd sub\n" + f.replace("sub/a.txt", "sub\\\\a.txt") + "\n",
            f -> "cxpm-tree 1\nd sub\n" + f.replace("sub/a.txt", "sub/a.txt\u0000") + "\n",
            f -> "cxpm-tree 1\nd sub/\n" + f + "\n",
            f -> "cxpm-tree 1\nd sub\nd sub/\n" + f + "\n",
            f -> "cxpm-tree 1\nd .\nd sub\n" + f + "\n",
            f -> "cxpm-tree 1\nd ..\nd sub\n" + f + "\n",
            f -> "cxpm-tree 1\nd \nd sub\n" + f + "\n",
            f -> "cxpm-tree 1\nd sub\nd sub/a.txt\n" + f + "\n",
            f -> "cxpm-tree 1\nd sub\r\n\r" + f + "\n",
            f -> "cxpm-tree 1\nd sub\n" + f.replace("f - ", "f ? ") + "\n",
            f -> "cxpm-tree 1\nd sub\n" + f.replace(" sub/a.txt", "") + "\n",
            f -> "cxpm-tree 1\n" + f + "\n"
        );
        for (var index : malformed) {
            assertThat(kept("cxpm-tree 1\nd sub\n" + fileLine + "\n")).as("the tree as it is now, well indexed").isTrue();
            String text = index.apply(fileLine);
            assertThat(kept(text)).as(text.replace("\u0000", "\\0")).isFalse();
        }
    }

    /**
     * The index is read in place, each line's fields found by their spaces: whatever the text, the tree read is the one
     * reading it as lines split into fields (String.lines, split(" ", 5), the reader this one replaced) gave, or none
     * where that gave none: checked on well-formed indexes mutated a character at a time.
     */
    @Test
    void anIndexReadInPlaceReadsAsSplittingItIntoLinesAndFieldsDid() throws Exception {
        String good = "cxpm-tree 1\nd sub\nd sub/x y\n" + fileLine + "\nf x 12 34 (dev=1,ino=2) sub/x y/b c\nf - 0 -7 - top\n";
        String alphabet = " \n\rfdx-0129/.a\\+";
        java.util.Random r = new java.util.Random(14);
        int kept = 0;
        for (int i = 0; i < 1500; i++) {
            StringBuilder b = new StringBuilder(good);
            for (int m = r.nextInt(3); m >= 0; m--) {
                int at = r.nextInt(b.length() + 1);
                char c = alphabet.charAt(r.nextInt(alphabet.length()));
                switch (r.nextInt(3)) {
                    case 0 -> b.insert(at, c);
                    case 1 -> { if (at < b.length()) b.deleteCharAt(at); }
                    default -> { if (at < b.length()) b.setCharAt(at, c); }
                }
            }
            String text = i == 0 ? good : b.toString();
            Files.writeString(dir.resolve("index"), text);
            java.util.Optional<StoreTree> read = StoreTreeIndex.read(dir);
            assertThat(read).as("[%s]", text).isEqualTo(bySplitting(text));
            kept += read.isPresent() ? 1 : 0;
        }
        assertThat(kept).as("mutated indexes read as trees").isGreaterThan(100);
    }

    /** The reader StoreTreeIndex had before it read lines in place (its index parsing, the same checks after). */
    private java.util.Optional<StoreTree> bySplitting(String text) {
        try {
            java.util.List<String> lines = text.lines().toList();
            if (lines.isEmpty() || !lines.get(0).equals("cxpm-tree 1")) {
                return java.util.Optional.empty();
            }
            java.util.List<String> dirs = new java.util.ArrayList<>();
            java.util.List<StoreTree.File> entries = new java.util.ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.startsWith("d ")) {
                    String d = line.substring(2).replace("\\n", "\n").replace("\\r", "\r");
                    if (!safe(d)) {
                        return java.util.Optional.empty();
                    }
                    dirs.add(d);
                } else if (line.startsWith("f ")) {
                    String[] f = line.substring(2).split(" ", 5);
                    if (f.length != 5 || !(f[0].equals("x") || f[0].equals("-"))) {
                        return java.util.Optional.empty();
                    }
                    String path = f[4].replace("\\n", "\n").replace("\\r", "\r");
                    if (!safe(path)) {
                        return java.util.Optional.empty();
                    }
                    entries.add(new StoreTree.File(path, f[0].equals("x"), Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]));
                } else {
                    return java.util.Optional.empty();
                }
            }
            java.util.Set<String> listed = new java.util.HashSet<>();
            for (String d : dirs) {
                int slash = d.lastIndexOf('/');
                if (slash >= 0 && !listed.contains(d.substring(0, slash)) || !listed.add(d)) {
                    return java.util.Optional.empty();
                }
            }
            java.util.Set<String> filesListed = new java.util.HashSet<>();
            for (StoreTree.File f : entries) {
                int slash = f.path().lastIndexOf('/');
                if (slash >= 0 && !listed.contains(f.path().substring(0, slash)) || listed.contains(f.path()) || !filesListed.add(f.path())) {
                    return java.util.Optional.empty();
                }
            }
            return java.util.Optional.of(new StoreTree(dir.resolve("files"), dirs, entries));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static boolean safe(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\u0000")) {
            return false;
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
