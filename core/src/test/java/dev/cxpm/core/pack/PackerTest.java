package dev.cxpm.core.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackerTest {
    @TempDir
    Path tmp;

    static Path plugin(Path dir) throws IOException {
        write(dir.resolve(".codex-plugin/plugin.json"), "{\"name\":\"demo\",\"version\":\"1.0.0\"}\n");
        write(dir.resolve("skills/hello/SKILL.md"), "---\nname: hello\ndescription: says hello\n---\nHi\n");
        write(dir.resolve(".mcp.json"), "{\"mcpServers\":{}}\n");
        write(dir.resolve("bin/run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(dir.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    static void write(Path p, String s) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
    }

    static List<TarArchiveEntry> entries(Path tgz) throws IOException {
        List<TarArchiveEntry> list = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                list.add(e);
            }
        }
        return list;
    }

    @Test
    void packingTwiceGivesTheSameBytes() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        Packer.Result a = new Packer().pack(dir, tmp.resolve("a.tgz"));
        Packer.Result b = new Packer().pack(dir, tmp.resolve("b.tgz"));
        assertThat(Files.readAllBytes(a.file())).isEqualTo(Files.readAllBytes(b.file()));
        assertThat(a.integrity()).isEqualTo(b.integrity()).isEqualTo(Integrity.sha512(a.file()));
        assertThat(a.size()).isEqualTo(Files.size(a.file()));
    }

    @Test
    void contentIntegrityDoesNotDependOnHowTheArchiveWasCompressed() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        Packer.Result packed = new Packer().pack(dir, tmp.resolve("a.tgz"));
        // The same tar, gzipped by another compressor setting (as another zlib build would): other bytes, same content.
        Path other = tmp.resolve("b.tgz");
        byte[] tar;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(packed.file()))) {
            tar = in.readAllBytes();
        }
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(other)) {
            { def.setLevel(java.util.zip.Deflater.BEST_SPEED); }
        }) {
            out.write(tar);
        }
        assertThat(Integrity.sha512(other)).isNotEqualTo(packed.integrity());
        assertThat(Packer.contentIntegrityOfArchive(other)).isEqualTo(packed.contentIntegrity())
                .isEqualTo(Packer.contentIntegrityOfArchive(packed.file()))
                .isEqualTo(new Packer().contentIntegrity(dir));
    }

    @Test
    void contentIntegrityChangesWithAByteAPathOrAnExecutableBit() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        Integrity before = new Packer().contentIntegrity(dir);
        write(dir.resolve("skills/hello/SKILL.md"), "---\nname: hello\ndescription: says hello\n---\nHo\n");
        Integrity edited = new Packer().contentIntegrity(dir);
        Files.move(dir.resolve("bin/run.sh"), dir.resolve("bin/go.sh"));
        Integrity renamed = new Packer().contentIntegrity(dir);
        Files.setPosixFilePermissions(dir.resolve("bin/go.sh"), PosixFilePermissions.fromString("rw-r--r--"));
        Integrity notExecutable = new Packer().contentIntegrity(dir);
        assertThat(List.of(before, edited, renamed, notExecutable)).doesNotHaveDuplicates();
    }

    @Test
    void filesGivenInMemoryPackToTheSameBytesAsTheSameFilesOnDisk() throws IOException {
        java.util.Map<String, String> files = java.util.Map.of(".codex-plugin/plugin.json", "{\"name\": \"m\", \"version\": \"1.0.0\"}",
                "skills/hi/SKILL.md", "---\nname: hi\ndescription: Hi.\n---\nHi.\n");
        Path dir = tmp.resolve("m");
        files.forEach((k, v) -> {
            try {
                write(dir.resolve(k), v);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Packer.Result r = new Packer().pack(dir, tmp.resolve("m.tgz"));
        assertThat(Packer.archive(files)).isEqualTo(Files.readAllBytes(r.file()));
    }

    @Test
    void sameContentInDirectoriesWithDifferentTimesAndPermissionsGivesTheSameBytes() throws IOException {
        Path one = plugin(tmp.resolve("one"));
        Path two = plugin(tmp.resolve("two"));
        // Different mtimes, group/other bits (what a different umask gives) and creation order.
        try (var s = Files.walk(two)) {
            for (Path p : s.toList()) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
            }
        }
        Files.setPosixFilePermissions(two.resolve(".mcp.json"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(two.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwx------"));
        write(two.resolve("zz/late.txt"), "x");
        write(one.resolve("zz/late.txt"), "x");
        Packer.Result a = new Packer().pack(one, tmp.resolve("one.tgz"));
        Packer.Result b = new Packer().pack(two, tmp.resolve("two.tgz"));
        assertThat(a.integrity()).isEqualTo(b.integrity());
        assertThat(Files.readAllBytes(a.file())).isEqualTo(Files.readAllBytes(b.file()));
    }

    @Test
    void entriesAreSortedNormalisedAndUnderPackagePrefix() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        Packer.Result r = new Packer().pack(dir, tmp.resolve("p.tgz"));
        List<TarArchiveEntry> es = entries(r.file());
        assertThat(es).extracting(TarArchiveEntry::getName).containsExactly(
                "package/.codex-plugin/plugin.json", "package/.mcp.json", "package/bin/run.sh",
                "package/skills/hello/SKILL.md");
        for (TarArchiveEntry e : es) {
            assertThat(e.getModTime().toInstant()).isEqualTo(Packer.FIXED_TIME);
            assertThat(e.getLongUserId()).isZero();
            assertThat(e.getLongGroupId()).isZero();
            assertThat(e.getUserName()).isEmpty();
            assertThat(e.getGroupName()).isEmpty();
            assertThat(e.getMode() & 07777).isEqualTo(e.getName().endsWith(".sh") ? 0755 : 0644);
        }
    }

    @Test
    void gzipHeaderCarriesNoTimeNameOrOs() throws IOException {
        Packer.Result r = new Packer().pack(plugin(tmp.resolve("p")), tmp.resolve("p.tgz"));
        byte[] b = Files.readAllBytes(r.file());
        assertThat(new byte[] {b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9]})
                .containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
    }

    @Test
    void neverPacksGitAndHonoursTheIgnoreFile() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        write(dir.resolve(".git/config"), "[core]");
        write(dir.resolve("skills/hello/.git"), "gitdir: elsewhere");
        write(dir.resolve("notes/draft.md"), "draft");
        write(dir.resolve("skills/hello/debug.log"), "log");
        write(dir.resolve("skills/hello/keep.log"), "log");
        write(dir.resolve("old-0.9.0.tgz"), "old pack");
        write(dir.resolve(".cxpmignore"), "# comment\nnotes/\n*.log\n!keep.log\n.git\n");
        List<String> paths = new Packer().list(dir).entries().stream().map(Packer.Entry::path).toList();
        assertThat(paths).containsExactly(".codex-plugin/plugin.json", ".mcp.json", "bin/run.sh",
                "skills/hello/SKILL.md", "skills/hello/keep.log");
        assertThat(new Packer().list(dir).excluded()).extracting(Packer.Excluded::path)
                .contains(".git", "skills/hello/.git", "notes/", "skills/hello/debug.log", "old-0.9.0.tgz", ".cxpmignore");
    }

    @Test
    void gitCannotBeReincludedByTheIgnoreFile() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        write(dir.resolve(".git/HEAD"), "ref");
        write(dir.resolve(".cxpmignore"), "!.git\n!.git/**\n");
        assertThat(new Packer().list(dir).entries()).extracting(Packer.Entry::path).noneMatch(p -> p.contains(".git/"));
    }

    @Test
    void symlinksLeavingThePluginAreLeftOutAndInternalOnesBecomeFiles() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        write(tmp.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(dir.resolve("escape.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(dir.resolve("up"), Path.of(".."));
        Files.createSymbolicLink(dir.resolve("broken"), Path.of("nowhere"));
        Files.createSymbolicLink(dir.resolve("alias.md"), Path.of("skills/hello/SKILL.md"));
        Files.createSymbolicLink(dir.resolve("skills-link"), Path.of("skills"));
        write(dir.resolve(".git/config"), "[remote] url = https://token@example");
        Files.createSymbolicLink(dir.resolve("git-config"), Path.of(".git/config"));
        Packer.Listing l = new Packer().list(dir);
        assertThat(l.entries()).extracting(Packer.Entry::path).contains("alias.md")
                .doesNotContain("escape.txt", "up", "broken", "skills-link", "git-config");
        assertThat(l.excluded()).extracting(Packer.Excluded::path)
                .contains("escape.txt", "up", "broken", "skills-link", "git-config");
        Path out = new Packer().pack(dir, tmp.resolve("p.tgz")).file();
        assertThat(entries(out)).allMatch(TarArchiveEntry::isFile);
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedByName() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        Files.write(dir.resolve("big.bin"), new byte[2048]);
        Packer small = new Packer(new PackLimits(1024, 1 << 20, 100));
        assertThatThrownBy(() -> small.pack(dir, tmp.resolve("p.tgz")))
                .isInstanceOf(UserError.class).hasMessageContaining("big.bin").hasMessageContaining("1.0 KiB limit");
        assertThat(tmp.resolve("p.tgz")).doesNotExist();
        Files.write(dir.resolve(".cxpmignore"), "big.bin\n".getBytes());
        assertThat(small.pack(dir, tmp.resolve("p.tgz")).file()).exists();
    }

    @Test
    void aHugeIgnoreFileIsRefusedByNameNotReadWhole() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        try (java.io.RandomAccessFile ignore = new java.io.RandomAccessFile(dir.resolve(".cxpmignore").toFile(), "rw")) {
            ignore.setLength(3L << 30); // 3 GB (sparse), a plugin's own file: read whole, it was past the largest array a JVM makes
        }
        assertThatThrownBy(() -> new Packer().list(dir))
                .isInstanceOf(UserError.class).hasMessageContaining(".cxpmignore").hasMessageContaining("larger than");
    }

    @Test
    void tooManyFilesOrBytesAreRefused() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        assertThatThrownBy(() -> new Packer(new PackLimits(1 << 20, 1 << 20, 3)).list(dir))
                .isInstanceOf(UserError.class).hasMessageContaining("4 files");
        assertThatThrownBy(() -> new Packer(new PackLimits(1 << 20, 10, 100)).list(dir))
                .isInstanceOf(UserError.class).hasMessageContaining("total");
    }

    @Test
    void theCopyPackWritesBesideTheArchiveIsWhatUnpackWouldMake() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        Path copy = Files.createDirectory(tmp.resolve("copy"));
        Packer.Result packed = new Packer().pack(dir, tmp.resolve("p.tgz"), copy);
        Path out = tmp.resolve("out");
        new Unpacker().unpack(packed.file(), out);
        for (String f : List.of(".codex-plugin/plugin.json", "skills/hello/SKILL.md", ".mcp.json", "bin/run.sh")) {
            assertThat(copy.resolve(f)).hasSameBinaryContentAs(out.resolve(f));
            assertThat(Files.getPosixFilePermissions(copy.resolve(f))).as(f).isEqualTo(Files.getPosixFilePermissions(out.resolve(f)));
        }
        try (var walk = Files.walk(copy)) {
            assertThat(walk.count()).isEqualTo(9); // copy, 4 directories, 4 files: nothing else
        }
    }

    @Test
    void aNameTheUnpackerWouldRefuseIsNotCopied() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        write(dir.resolve("skills/back\\slash.md"), "x");
        Path copy = Files.createDirectory(tmp.resolve("copy"));
        assertThatThrownBy(() -> new Packer().pack(dir, tmp.resolve("p.tgz"), copy))
                .isInstanceOfSatisfying(UserError.class, e -> assertThat(e.kind()).isEqualTo(UserError.Kind.INVALID_INPUT));
        assertThat(tmp.resolve("p.tgz")).doesNotExist();
    }

    @Test
    void whatPackMakesUnpackRestores() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        Path tgz = new Packer().pack(dir, tmp.resolve("p.tgz")).file();
        Path out = tmp.resolve("out");
        new Unpacker().unpack(tgz, out);
        assertThat(out.resolve("skills/hello/SKILL.md")).hasSameTextualContentAs(dir.resolve("skills/hello/SKILL.md"));
        assertThat(Files.isExecutable(out.resolve("bin/run.sh"))).isTrue();
        assertThat(Files.getPosixFilePermissions(out.resolve(".mcp.json"))).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void thousandsOfFilesPackAndUnpack() throws IOException {
        Path dir = plugin(tmp.resolve("p"));
        for (int d = 0; d < 30; d++) {
            Files.createDirectories(dir.resolve("many/d" + d));
        }
        // 3,000 rather than 10,000: creating files is slow on the shared CI disk; the limit itself is tested above.
        for (int i = 0; i < 3_000; i++) {
            Files.writeString(dir.resolve("many/d" + (i % 30) + "/f" + i + ".txt"), "file " + i);
        }
        Packer.Result r = new Packer().pack(dir, tmp.resolve("p.tgz"));
        assertThat(r.listing().entries()).hasSize(3_004);
        assertThat(new Unpacker().unpack(r.file(), tmp.resolve("out"))).hasSize(3_004);
        assertThat(tmp.resolve("out/many/d2/f2942.txt")).hasContent("file 2942");
    }

    /**
     * The store's pack keeps the files it is asked for as it packs them (the manifests sync checks the lock against),
     * gives the content integrity pack gives, and writes the same archive bytes.
     */
    @Test
    void packIntoKeepsTheFilesAskedForAndPacksAsPackDoes() throws IOException {
        Path plugin = tmp.resolve("p");
        Files.createDirectories(plugin.resolve(".codex-plugin"));
        Files.writeString(plugin.resolve(".codex-plugin/plugin.json"), "{\"name\": \"p\", \"version\": \"1.0.0\"}");
        Files.writeString(plugin.resolve("big.json"), "x".repeat(Packer.MAX_KEPT_BYTES + 1));
        Files.writeString(plugin.resolve("other.txt"), "not kept");
        Packer.Result packed = new Packer().pack(plugin, tmp.resolve("p.tgz"));

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Packer.Stored stored = new Packer().packInto(plugin, out, null,
                java.util.Set.of(".codex-plugin/plugin.json", "big.json", "plugin.json"));

        assertThat(stored.contentIntegrity()).isEqualTo(packed.contentIntegrity());
        assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(tmp.resolve("p.tgz")));
        assertThat(stored.kept()).containsOnlyKeys(".codex-plugin/plugin.json", "big.json");
        assertThat(new String(stored.kept().get(".codex-plugin/plugin.json"), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"name\": \"p\", \"version\": \"1.0.0\"}");
        assertThat(stored.kept().get("big.json")).as("too big to keep: read from the tree").isNull();
    }
}
