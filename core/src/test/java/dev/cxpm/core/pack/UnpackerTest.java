package dev.cxpm.core.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile archives, crafted entry by entry: each is refused and nothing appears on disk. */
class UnpackerTest {
    @TempDir
    Path tmp;

    interface Writer {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    Path archive(Writer w) throws IOException {
        Path tgz = Files.createTempFile(tmp, "a", ".tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            w.write(tar);
        }
        return tgz;
    }

    static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(b.length);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
    }

    static void special(TarArchiveOutputStream tar, String name, byte type, Consumer<TarArchiveEntry> setup) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        setup.accept(e);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    void assertRefusedAndNothingWritten(Path tgz, String messagePart) {
        Path dest = tmp.resolve("dest");
        assertThatThrownBy(() -> new Unpacker(new PackLimits(1024, 4096, 10)).unpack(tgz, dest))
                .isInstanceOf(UserError.class).hasMessageContaining(messagePart)
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
        assertThat(dest).doesNotExist();
        assertThat(tmp.resolve("evil")).doesNotExist();
        assertThat(tmp.toFile().list()).allMatch(n -> !n.startsWith(".cxpm-unpack-"));
    }

    @Test
    void aWellFormedArchiveIsExtractedWithoutItsTopDirectory() throws IOException {
        Path tgz = archive(tar -> {
            file(tar, "package/a.txt", "a");
            file(tar, "package/sub/b.txt", "b");
        });
        new Unpacker().unpack(tgz, tmp.resolve("dest"));
        assertThat(tmp.resolve("dest/a.txt")).hasContent("a");
        assertThat(tmp.resolve("dest/sub/b.txt")).hasContent("b");
    }

    @Test
    void unpackingStraightIntoANewDirectoryMakesEachDirectoryOnceInAnyEntryOrderAndNothingBesideIt() throws IOException {
        Path tgz = archive(tar -> {
            file(tar, "package/x/y/z/deep.txt", "deep");
            special(tar, "package/x/y/", TarConstants.LF_DIR, e -> { }); // a directory listed after a file inside it
            special(tar, "package/empty/dir/", TarConstants.LF_DIR, e -> { });
            file(tar, "package/x/top.txt", "top");
            file(tar, "package/a.txt", "a");
        });
        Files.createDirectories(tmp.resolve("scratch"));
        Unpacker.Unpacked u = new Unpacker().unpackHashingInto(tgz, tmp.resolve("scratch/0"));
        assertThat(u.contentIntegrity()).isEqualTo(Packer.contentIntegrityOfArchive(tgz));
        assertThat(tmp.resolve("scratch/0/x/y/z/deep.txt")).hasContent("deep");
        assertThat(tmp.resolve("scratch/0/x/top.txt")).hasContent("top");
        assertThat(tmp.resolve("scratch/0/a.txt")).hasContent("a");
        assertThat(tmp.resolve("scratch/0/empty/dir")).isDirectory();
        assertThat(tmp.resolve("scratch").toFile().list()).containsExactly("0");
        // the same archive through the temp-directory path gives the same tree
        new Unpacker().unpack(tgz, tmp.resolve("dest"));
        assertThat(tmp.resolve("dest/x/y/z/deep.txt")).hasContent("deep");
        assertThat(tmp.resolve("dest/empty/dir")).isDirectory();
        // and a destination that exists is refused, not merged into
        assertThatThrownBy(() -> new Unpacker().unpackHashingInto(tgz, tmp.resolve("scratch/0")))
                .isInstanceOf(UserError.class).extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.CONFLICT);
    }

    @Test
    void hostileArchivesUnpackedStraightIntoADirectoryWriteNothingOutsideIt() throws IOException {
        Path tgz = archive(tar -> {
            file(tar, "package/ok.txt", "ok");
            file(tar, "package/../../evil", "x");
        });
        Files.createDirectories(tmp.resolve("scratch"));
        assertThatThrownBy(() -> new Unpacker().unpackHashingInto(tgz, tmp.resolve("scratch/0")))
                .isInstanceOf(UserError.class).hasMessageContaining("'..'")
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
        assertThat(tmp.resolve("evil")).doesNotExist();
        Path clash = archive(tar -> {
            file(tar, "package/a", "1");
            special(tar, "package/a/b/", TarConstants.LF_DIR, e -> { });
        });
        assertThatThrownBy(() -> new Unpacker().unpackHashingInto(clash, tmp.resolve("scratch/1")))
                .isInstanceOf(UserError.class).hasMessageContaining("both a file and a directory")
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
    }

    @Test
    void dotDotIsRefused() throws IOException {
        assertRefusedAndNothingWritten(archive(tar -> {
            file(tar, "package/ok.txt", "ok");
            file(tar, "package/../../evil", "x");
        }), "'..'");
    }

    @Test
    void absolutePathsAreRefused() throws IOException {
        assertRefusedAndNothingWritten(archive(tar -> file(tar, tmp.resolve("evil").toString(), "x")), "absolute");
    }

    @Test
    void symlinksOutOfTheRootAreRefused() throws IOException {
        assertRefusedAndNothingWritten(archive(tar -> {
            special(tar, "package/link", TarConstants.LF_SYMLINK, e -> e.setLinkName("../../etc"));
            file(tar, "package/link/passwd", "x");
        }), "symbolic link");
    }

    @Test
    void hardLinksAreRefused() throws IOException {
        assertRefusedAndNothingWritten(archive(tar -> special(tar, "package/h", TarConstants.LF_LINK,
                e -> e.setLinkName("/etc/passwd"))), "hard link");
    }

    @Test
    void deviceFilesAndFifosAreRefused() throws IOException {
        assertRefusedAndNothingWritten(archive(tar -> special(tar, "package/dev", TarConstants.LF_CHR, e -> {
            e.setDevMajor(1);
            e.setDevMinor(3);
        })), "device");
        assertRefusedAndNothingWritten(archive(tar -> special(tar, "package/fifo", TarConstants.LF_FIFO, e -> { })), "fifo");
    }

    @Test
    void tooManyFilesAreRefused() throws IOException {
        assertRefusedAndNothingWritten(archive(tar -> {
            for (int i = 0; i < 11; i++) {
                file(tar, "package/f" + i, "x");
            }
        }), "more than 10 entries");
    }

    @Test
    void tooManyBytesAreRefused() throws IOException {
        assertRefusedAndNothingWritten(archive(tar -> {
            for (int i = 0; i < 5; i++) {
                file(tar, "package/f" + i, "x".repeat(1000));
            }
        }), "total more than");
        assertRefusedAndNothingWritten(archive(tar -> file(tar, "package/big", "x".repeat(2000))), "limit for one file");
    }

    @Test
    void duplicateEntriesAndFileDirectoryClashesAreRefused() throws IOException {
        assertRefusedAndNothingWritten(archive(tar -> {
            file(tar, "package/a", "1");
            file(tar, "package/a", "2");
        }), "twice");
        assertRefusedAndNothingWritten(archive(tar -> {
            file(tar, "package/a", "1");
            file(tar, "package/a/b", "2");
        }), "both a file and a directory");
    }

    @Test
    void garbageIsRefusedAsNotATarGz() throws IOException {
        Path junk = tmp.resolve("junk.tgz");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5});
        assertRefusedAndNothingWritten(junk, "not a readable tar.gz");
        Path empty = tmp.resolve("empty.tgz");
        Files.write(empty, new byte[0]);
        assertRefusedAndNothingWritten(empty, "not a readable tar.gz");
    }

    @Test
    void anExistingDestinationIsNotOverwritten() throws IOException {
        Path tgz = archive(tar -> file(tar, "package/a.txt", "a"));
        Files.createDirectories(tmp.resolve("dest"));
        Files.writeString(tmp.resolve("dest/keep"), "keep");
        assertThatThrownBy(() -> new Unpacker().unpack(tgz, tmp.resolve("dest"))).isInstanceOf(UserError.class);
        assertThat(tmp.resolve("dest/keep")).hasContent("keep");
    }

    @Test
    void oneReadWritesTheFilesAndGivesTheContentIntegrityPackRecorded() throws IOException {
        Path plugin = tmp.resolve("plugin");
        Files.createDirectories(plugin.resolve(".codex-plugin"));
        Files.writeString(plugin.resolve(".codex-plugin/plugin.json"), "{\"name\": \"p\", \"version\": \"1.0.0\"}");
        Files.writeString(plugin.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        plugin.resolve("run.sh").toFile().setExecutable(true);
        Path tgz = tmp.resolve("p.tgz");
        Integrity packed = new Packer().pack(plugin, tgz).contentIntegrity();

        Unpacker.Unpacked u = new Unpacker().unpackHashing(tgz, tmp.resolve("dest"));
        assertThat(u.contentIntegrity()).isEqualTo(packed).isEqualTo(Packer.contentIntegrityOfArchive(tgz));
        assertThat(tmp.resolve("dest/.codex-plugin/plugin.json")).hasSameTextualContentAs(plugin.resolve(".codex-plugin/plugin.json"));
        assertThat(Files.isExecutable(tmp.resolve("dest/run.sh"))).isTrue();
        assertThat(u.files()).extracting(Unpacker.FileEntry::path).containsExactlyInAnyOrder(".codex-plugin/plugin.json", "run.sh");
    }

    @Test
    void clashesAreRefusedInEitherOrderAndATruncatedArchiveLeavesNothing() throws IOException {
        assertRefusedAndNothingWritten(archive(tar -> {
            file(tar, "package/a/b", "2");
            file(tar, "package/a", "1");
        }), "both a file and a directory");
        assertRefusedAndNothingWritten(archive(tar -> {
            file(tar, "package/a", "1");
            special(tar, "package/a/", TarConstants.LF_DIR, e -> { });
        }), "both a file and a directory");
        assertRefusedAndNothingWritten(archive(tar -> {
            special(tar, "package/a/", TarConstants.LF_DIR, e -> { });
            file(tar, "package/a", "1");
        }), "both a file and a directory");
        Path whole = archive(tar -> {
            for (int i = 0; i < 3; i++) {
                file(tar, "package/f" + i, "x".repeat(300) + i);
            }
        });
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = tmp.resolve("cut.tgz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertRefusedAndNothingWritten(cut, "not a readable tar.gz");
    }
}
