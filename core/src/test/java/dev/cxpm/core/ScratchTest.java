package dev.cxpm.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchTest {

    @TempDir
    Path root;

    @Test
    void whatAKilledCommandLeftOverAnHourAgoIsRemovedAndWhatARunningOneUsesIsKept() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "mine");
        Path tmp = Scratch.under(root.resolve("store"));
        assertThat(tmp).isEqualTo(root.resolve("store/tmp")).isDirectory();

        Path old = Files.createDirectories(tmp.resolve("surface-old/plugin/.codex-plugin"));
        Files.writeString(old.resolve("plugin.json"), "{}");
        Path oldFile = Files.writeString(tmp.resolve("publish-old.tgz"), "x");
        Path oldLink = Files.createSymbolicLink(tmp.resolve("surface-link"), outside);
        Path young = Files.createDirectories(tmp.resolve("surface-young"));
        FileTime twoHoursAgo = FileTime.from(Instant.now().minusSeconds(7200));
        Files.setLastModifiedTime(tmp.resolve("surface-old"), twoHoursAgo);
        Files.setLastModifiedTime(oldFile, twoHoursAgo);
        Files.getFileAttributeView(oldLink, java.nio.file.attribute.PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                .setTimes(twoHoursAgo, null, null);

        Scratch.under(root.resolve("store"));
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("surface-young");
        }
        assertThat(young).isDirectory();
        assertThat(outside.resolve("keep.txt")).as("a link is removed, never followed").hasContent("mine");
    }

    @Test
    void aScratchDirectoryThatIsALinkIsRefusedNamingItAndNothingLandsWhereItPoints() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Path store = Files.createDirectories(root.resolve("store"));
        Files.createSymbolicLink(store.resolve("tmp"), outside);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Scratch.under(store))
                .isInstanceOf(UserError.class).hasMessageContaining(store.resolve("tmp").toString());
        try (var s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
    }
}
