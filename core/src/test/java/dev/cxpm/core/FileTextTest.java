package dev.cxpm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.toml.TomlSource;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files cxpm reads whole from places a checkout, a plugin or a crash may leave anything: never read past a bound. */
class FileTextTest {
    @TempDir
    Path tmp;

    @Test
    void aFileIsReadNoFurtherThanItsBoundWhateverItsSizeSays() throws IOException {
        Path endless = Files.createSymbolicLink(tmp.resolve("endless"), Path.of("/dev/zero")); // size 0, never ends
        assertThatThrownBy(() -> FileText.bytes(endless, 1024)).isInstanceOf(FileText.NotRegularFile.class); // not even opened
        Path maps = Path.of("/proc/self/maps"); // a regular file that says it has 0 bytes and has thousands
        if (Files.isRegularFile(maps)) {
            assertThatThrownBy(() -> FileText.bytes(maps, 64)).isInstanceOf(FileText.TooLarge.class);
        }
        Path exact = Files.write(tmp.resolve("exact"), new byte[1024]);
        assertThat(FileText.bytes(exact, 1024)).hasSize(1024);
        assertThatThrownBy(() -> FileText.bytes(exact, 1023)).isInstanceOf(FileText.TooLarge.class);
    }

    @Test
    void aFileLongerThanTheFirstReadIsReadWholeAndALinkIsRefusedWhenAsked() throws IOException {
        byte[] long_ = new byte[70_000];
        for (int i = 0; i < long_.length; i++) {
            long_[i] = (byte) i;
        }
        Path file = Files.write(tmp.resolve("long"), long_);
        assertThat(FileText.bytes(file, 70_000)).isEqualTo(long_);
        assertThat(FileText.bytes(file, 1 << 20)).isEqualTo(long_);
        assertThatThrownBy(() -> FileText.bytes(file, 69_999)).isInstanceOf(FileText.TooLarge.class);
        assertThat(FileText.bytes(Files.write(tmp.resolve("empty"), new byte[0]), 10)).isEmpty();
        Path link = Files.createSymbolicLink(tmp.resolve("link"), file);
        assertThat(FileText.bytes(link, 1 << 20)).isEqualTo(long_);
        assertThatThrownBy(() -> FileText.bytes(link, 1 << 20, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isInstanceOf(IOException.class);
    }

    @Test
    void aSizeHintThatNoLongerHoldsStillReadsTheWholeFileAndTheBoundStillHolds() throws IOException {
        byte[] some = new byte[3000];
        java.util.Arrays.fill(some, (byte) 'x');
        Path file = Files.write(tmp.resolve("some"), some);
        for (long hint : new long[] {-1, 0, 1, 2999, 3000, 3001, 100_000, Long.MAX_VALUE}) { // grew since, shrank since, as looked at
            assertThat(FileText.bytes(file, lookedAt(hint), 1 << 20)).as("hint %d", hint).isEqualTo(some);
            assertThatThrownBy(() -> FileText.bytes(file, lookedAt(hint), 2999)).as("hint %d", hint).isInstanceOf(FileText.TooLarge.class);
        }
        Path endless = Files.createSymbolicLink(tmp.resolve("endless"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> FileText.bytes(endless, lookedAt(0), 1024)).isInstanceOf(FileText.TooLarge.class);
        assertThat(FileText.bytes(Files.write(tmp.resolve("empty"), new byte[0]), lookedAt(0), 10)).isEmpty();
    }

    /** A look at a regular file that saw this size (the file may have changed since). */
    private static java.nio.file.attribute.BasicFileAttributes lookedAt(long size) {
        return new java.nio.file.attribute.BasicFileAttributes() {
            public java.nio.file.attribute.FileTime lastModifiedTime() { return java.nio.file.attribute.FileTime.fromMillis(0); }
            public java.nio.file.attribute.FileTime lastAccessTime() { return lastModifiedTime(); }
            public java.nio.file.attribute.FileTime creationTime() { return lastModifiedTime(); }
            public boolean isRegularFile() { return true; }
            public boolean isDirectory() { return false; }
            public boolean isSymbolicLink() { return false; }
            public boolean isOther() { return false; }
            public long size() { return size; }
            public Object fileKey() { return null; }
        };
    }

    @Test
    void asciiAndOtherUtf8DecodeAsTheStrictDecoderDoes() throws IOException {
        for (String text : new String[] {"", "plain ascii\n\r\t{}\u0000\u007f", "h\u00e9llo", "\u65e5\u672c", "\ud83d\ude00 emoji", "a\u0080b"}) {
            byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(FileText.utf8(bytes)).isEqualTo(text).isEqualTo(java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        }
        assertThatThrownBy(() -> FileText.utf8(new byte[] {(byte) 0x80})).isInstanceOf(CharacterCodingException.class);
        assertThatThrownBy(() -> FileText.utf8(new byte[] {'a', (byte) 0xc3})).isInstanceOf(CharacterCodingException.class);
    }

    /**
     * Random bytes, mostly near UTF-8 (ASCII, lead and continuation bytes, U+FFFD's own encoding, encoded surrogates,
     * overlong forms, 0xF4 0x90 past U+10FFFF, 0xFF): FileText takes exactly what the strict decoder takes, as the same
     * text, and refuses the rest.
     */
    @Test
    void randomBytesAreTakenOrRefusedExactlyAsTheStrictDecoderDoes() {
        byte[][] parts = {{'a'}, {'\n'}, {0}, {0x7f}, {(byte) 0xc3, (byte) 0xa9}, {(byte) 0xef, (byte) 0xbf, (byte) 0xbd},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
            {(byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0x80}, {(byte) 0xc3}, {(byte) 0xe6, (byte) 0x97}, {(byte) 0xff}, {(byte) 0xfe}};
        java.util.Random random = new java.util.Random(12);
        int taken = 0;
        for (int i = 0; i < 20_000; i++) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            for (int j = random.nextInt(8); j > 0; j--) {
                byte[] part = parts[random.nextInt(i % 2 == 0 ? 6 : parts.length)];
                b.write(part, 0, part.length);
            }
            byte[] bytes = b.toByteArray();
            String strict;
            try {
                strict = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException refused) {
                strict = null;
            }
            String ours;
            try {
                ours = FileText.utf8(bytes);
                taken++;
            } catch (CharacterCodingException refused) {
                ours = null;
            }
            assertThat(ours).as(java.util.HexFormat.of().formatHex(bytes)).isEqualTo(strict);
        }
        assertThat(taken).as("both kinds were tried").isBetween(5_000, 19_000);
    }

    @Test
    void textThatIsNotUtf8IsRefusedNotReplaced() throws IOException {
        assertThat(FileText.utf8("héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo("héllo");
        assertThatThrownBy(() -> FileText.utf8(new byte[] {'a', (byte) 0xff})).isInstanceOf(CharacterCodingException.class);
    }

    @Test
    void aTomlFileThatNeverEndsOrIsHugeIsAUserErrorNotAnOutOfMemoryError() throws IOException {
        Path endless = Files.createSymbolicLink(tmp.resolve("cxpm.toml"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> TomlSource.read(endless, "fix it")).isInstanceOf(UserError.class)
                .hasMessageContaining(endless + " must be a regular file; it is a named pipe, socket or device");
        Path huge = tmp.resolve("cxpm.lock");
        try (var f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: more than one byte array can hold
        }
        assertThatThrownBy(() -> TomlSource.read(huge, "fix it")).isInstanceOf(UserError.class)
                .hasMessageContaining("larger than the 16 MiB cxpm reads");
    }

    /**
     * A bound as large as an int goes ({@code Integer.MAX_VALUE}, whose + 1 wraps): a file over 2 GiB was a
     * NegativeArraySizeException; it is {@link FileText.TooLarge} naming the file, and a small file reads as ever.
     */
    @Test
    void aBoundPastWhatAnArrayHoldsRefusesAFileLargerThanAnyArrayByNameNeverWithANegativeSize() throws IOException {
        Path huge = tmp.resolve("huge");
        try (var f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse
        }
        for (long bound : new long[] {Integer.MAX_VALUE, 3L << 30, Long.MAX_VALUE}) { // a long bound never wraps
            assertThatThrownBy(() -> FileText.bytes(huge, bound)).as("bound %d", bound).isInstanceOf(FileText.TooLarge.class)
                    .hasMessageContaining(huge.toString());
        }
        Path small = Files.write(tmp.resolve("small"), new byte[] {1, 2, 3});
        assertThat(FileText.bytes(small, Integer.MAX_VALUE)).containsExactly(1, 2, 3);
        assertThat(FileText.bytes(small, Long.MAX_VALUE)).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> FileText.bytes(small, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJsonManifestThatIsALinkToADeviceIsAUserError() throws IOException {
        Path endless = Files.createSymbolicLink(tmp.resolve("plugin.json"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> JsonFile.read(endless)).isInstanceOf(UserError.class)
                .hasMessageContaining("must be a regular file; it is a named pipe, socket or device");
    }
    @Test
    void theOtherFilesReadWholeAreReadNoFurtherThanTheirBound() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.createSymbolicLink(project.resolve("cxpm.toml"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> dev.cxpm.core.project.ProjectManifestEditor.open(project)).isInstanceOf(UserError.class);
        Path config = Files.createSymbolicLink(tmp.resolve("config.toml"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> dev.cxpm.core.codexhome.CodexConfig.read(config)).isInstanceOf(UserError.class);
        Path credentials = Files.createSymbolicLink(tmp.resolve("credentials.toml"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> dev.cxpm.core.registry.Credentials.load(credentials)).isInstanceOf(UserError.class);
        Path plugin = Files.createDirectories(tmp.resolve("plugin"));
        Path record = dev.cxpm.core.surface.LastRelease.fileOf(plugin);
        Files.createDirectories(record.getParent());
        try (var f = new RandomAccessFile(record.toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        assertThat(dev.cxpm.core.surface.LastRelease.read(plugin)).isEmpty();
    }

    @Test
    void aHugeUserConfigVoidsTheSyncStampsPolicyInputsInsteadOfRunningOutOfMemory() throws IOException {
        java.util.Map<String, String> vars = java.util.Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg").toString(),
                "HOME", tmp.resolve("home").toString());
        Path config = dev.cxpm.core.policy.Policies.configFile(vars);
        Files.createDirectories(config.getParent());
        try (var f = new RandomAccessFile(config.toFile(), "rw")) {
            f.setLength(3L << 30); // read whole to look for "policy", it was an OutOfMemoryError out of sync
        }
        assertThat(dev.cxpm.core.policy.Policies.stampInputs(vars, tmp.resolve("project"))).isEmpty();
    }
}
