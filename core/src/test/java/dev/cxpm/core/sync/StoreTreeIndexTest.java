package dev.cxpm.core.sync;

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
}
