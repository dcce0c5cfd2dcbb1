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

    void assertRefusedByCheckAndUnpack(Path tgz, PackLimits limits, String messagePart) {
        Path dest = tmp.resolve("dest");
        for (Runnable read : new Runnable[] {() -> new Unpacker(limits).check(tgz), () -> new Unpacker(limits).unpack(tgz, dest)}) {
            assertThatThrownBy(read::run).isInstanceOf(UserError.class).hasMessageContaining(messagePart)
                    .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
        }
        assertThat(dest).doesNotExist();
        assertThat(tmp.toFile().list()).allMatch(n -> !n.startsWith(".cxpm-unpack-"));
    }

    @Test
    void directoriesPastTheEntryLimitAreRefusedWhetherListedOrImpliedByDeepPaths() throws IOException {
        // 10 files, each at the bottom of a chain of 9 directories no other file shares: 90 directories, so an archive
        // of a few KB cannot make a client create (and remember the paths of) ten million directories. Before, only
        // entries were counted: 20,000 such files of 1,000-character paths took 9 minutes and then ran out of memory.
        Path tgz = archive(tar -> {
            for (int i = 0; i < 10; i++) {
                file(tar, "package/" + i + "/a/b/c/d/e/f/g/h/file", "x");
            }
        });
        PackLimits limits = new PackLimits(1024, 4096, 50);
        assertRefusedByCheckAndUnpack(tgz, limits, "more than 50 directories");
        Path fewer = archive(tar -> {
            for (int i = 0; i < 5; i++) {
                file(tar, "package/" + i + "/a/b/c/d/e/f/g/h/file", "x");
            }
        });
        assertThat(new Unpacker(limits).check(fewer)).hasSize(5);
        assertThat(new Unpacker(limits).unpack(fewer, tmp.resolve("fewer"))).hasSize(5);
        assertThat(tmp.resolve("fewer/4/a/b/c/d/e/f/g/h/file")).hasContent("x");
    }

    @Test
    void aPathLongerThanTheRegistryAcceptsIsRefused() throws IOException {
        String deep = "d/".repeat(600) + "f"; // 1,201 characters: the registry refuses it, and a client holding each of
        // its 600 parents' paths would hold 360,000 characters for one entry
        assertRefusedByCheckAndUnpack(archive(tar -> file(tar, "package/" + deep, "x")), PackLimits.DEFAULT, "longer than 1024");
        String ok = "d/".repeat(100) + "f";
        assertThat(new Unpacker().check(archive(tar -> file(tar, "package/" + ok, "x")))).extracting(Unpacker.FileEntry::path)
                .containsExactly(ok);
    }

    @Test
    void aPaxHeaderOrLongNameOfMegabytesIsRefusedUnread() throws IOException {
        // commons-compress reads either whole into memory: 300 MiB of one, compressed to 300 KB, ended a client
        // with a 256 MiB heap in an OutOfMemoryError (exit 70)
        Path pax = archive(tar -> {
            TarArchiveEntry e = new TarArchiveEntry("package/a.txt", true);
            e.addPaxHeader("comment", "v".repeat(1 << 20));
            e.setSize(1);
            tar.putArchiveEntry(e);
            tar.write('a');
            tar.closeArchiveEntry();
        });
        assertRefusedByCheckAndUnpack(pax, PackLimits.DEFAULT, "a PAX header of");
        Path longName = Files.createTempFile(tmp, "a", ".tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(longName));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            file(tar, "package/" + "n".repeat(100_000), "x"); // past the 64 KiB read
        }
        assertRefusedByCheckAndUnpack(longName, PackLimits.DEFAULT, "a long name of");
    }

    @Test
    void aSparseFileIsRefusedAsNoPackerWritesOne() throws IOException {
        // GNU tar's PAX 1.0 sparse format: a map of a million holes made commons-compress recurse once per hole while
        // the file was read, a StackOverflowError (exit 70); cxpm pack and npm pack never write a sparse file
        byte[] map = "1\n0\n1\n".getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[1024];
        System.arraycopy(map, 0, data, 0, map.length);
        data[512] = 'x';
        StringBuilder records = new StringBuilder();
        for (String kv : new String[] {"GNU.sparse.major=1", "GNU.sparse.minor=0", "GNU.sparse.name=package/big", "GNU.sparse.realsize=1"}) {
            int n = kv.length() + 4; // " " + "\n" + a two-digit length
            records.append(n).append(' ').append(kv).append('\n');
        }
        byte[] pax = records.toString().getBytes(StandardCharsets.US_ASCII);
        Path tgz = archive(tar -> { // the extended header written by hand: commons-compress's writer keeps GNU.sparse.* to itself
            TarArchiveEntry h = new TarArchiveEntry("PaxHeaders/big", TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
            h.setSize(pax.length);
            tar.putArchiveEntry(h);
            tar.write(pax);
            tar.closeArchiveEntry();
            TarArchiveEntry e = new TarArchiveEntry("package/GNUSparseFile.0/big", true);
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        });
        assertRefusedByCheckAndUnpack(tgz, PackLimits.DEFAULT, "sparse");
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
