package dev.cxpm.core.sync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory of a store tree swapped for a link to a directory elsewhere (by whatever writes in the store) must not
 * make sync link the files found there into a Codex home: each indexed file was looked at through the link, so a file
 * outside the store with the index's size, time and inode passed as the tree's own.
 */
class StoreTreeLinksTest {

    @TempDir
    Path tmp;

    @Test
    void aTreeWhoseDirectoryIsALinkOutOfTheStoreIsThrownAwayWithoutTouchingWhereItPointed() throws Exception {
        Store store = new Store(tmp.resolve("store"));
        Path dir = Files.createDirectories(tmp.resolve("store/sha512/ab.tree"));
        Path elsewhere = Files.createDirectories(tmp.resolve("home/.ssh"));
        Path secret = Files.writeString(elsewhere.resolve("id_ed25519"), "PRIVATE KEY");
        Files.createDirectories(dir.resolve("files"));
        Files.createSymbolicLink(dir.resolve("files/skills"), elsewhere);
        PosixFileAttributes a = Files.readAttributes(secret, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Files.writeString(dir.resolve("index"), "cxpm-tree 1\nd skills\nf " + (a.permissions().contains(PosixFilePermission.OWNER_EXECUTE) ? "x" : "-")
                + " " + a.size() + " " + a.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " " + a.fileKey().toString().replace(' ', '_')
                + " skills/id_ed25519\n");

        assertThat(StoreTree.checked(store, dir)).as("a tree with a link in it is damaged").isEmpty();
        assertThat(dir).as("thrown away").doesNotExist();
        assertThat(secret).hasContent("PRIVATE KEY");
    }
}
