package dev.cxpm.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchTest {

    /** Now, for every test: a leftover's age is read against this clock, not the machine's. */
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path root;

    @Test
    void whatAKilledCommandLeftOverAnHourAgoIsRemovedAndWhatARunningOneUsesIsKept() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "mine");
        Path tmp = Scratch.under(root.resolve("store"), CLOCK);
        assertThat(tmp).isEqualTo(root.resolve("store/tmp")).isDirectory();

        Path old = Files.createDirectories(tmp.resolve("surface-old/plugin/.codex-plugin"));
        Files.writeString(old.resolve("plugin.json"), "{}");
        Path oldFile = Files.writeString(tmp.resolve("publish-old.tgz"), "x");
        Path oldLink = Files.createSymbolicLink(tmp.resolve("surface-link"), outside);
        Path young = Files.createDirectories(tmp.resolve("surface-young"));
        FileTime overAnHourAgo = FileTime.from(NOW.minusSeconds(3601));
        Files.setLastModifiedTime(tmp.resolve("surface-old"), overAnHourAgo);
        Files.setLastModifiedTime(oldFile, overAnHourAgo);
        Files.getFileAttributeView(oldLink, java.nio.file.attribute.PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                .setTimes(overAnHourAgo, null, null);
        Files.setLastModifiedTime(young, FileTime.from(NOW.minusSeconds(3599)));

        Scratch.under(root.resolve("store"), CLOCK);
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("surface-young");
        }
        assertThat(young).isDirectory();
        assertThat(outside.resolve("keep.txt")).as("a link is removed, never followed").hasContent("mine");
    }

    @Test
    void aLeftoverIsAgedByTheClockPassedInNotTheMachines() throws Exception {
        Path tmp = Scratch.under(root.resolve("store"), CLOCK);
        Path leftover = Files.createDirectories(tmp.resolve("surface-a"));
        Files.setLastModifiedTime(leftover, FileTime.from(NOW));

        Scratch.under(root.resolve("store"), Clock.offset(CLOCK, java.time.Duration.ofMinutes(59)));
        assertThat(leftover).as("59 minutes old: a running command's").isDirectory();
        Scratch.under(root.resolve("store"), Clock.offset(CLOCK, java.time.Duration.ofMinutes(61)));
        assertThat(leftover).as("61 minutes old: a killed command's").doesNotExist();
    }

    @Test
    void aScratchDirectoryThatIsALinkIsRefusedNamingItAndNothingLandsWhereItPoints() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Path store = Files.createDirectories(root.resolve("store"));
        Files.createSymbolicLink(store.resolve("tmp"), outside);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Scratch.under(store, CLOCK))
                .isInstanceOf(UserError.class).hasMessageContaining(store.resolve("tmp").toString());
        try (var s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
    }
}
