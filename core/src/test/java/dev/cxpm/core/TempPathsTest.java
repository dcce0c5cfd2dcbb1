package dev.cxpm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempPathsTest {
    @TempDir
    Path dir;

    /** The store writes each blob through the stream of the file open made: that file, new, beside nothing it replaced. */
    @Test
    void textIsWrittenAsTheStrictEncoderWritesItAndInvalidTextIsRefused() throws IOException {
        for (String text : new String[] {"", "plain ascii\n", "latin-1 \u00e9\u00ff", "bmp \u20ac \u4e2d", "astral \ud83d\ude00 end",
                "\ud83d\ude00", "x".repeat(100_000) + "\u00e9"}) {
            java.nio.ByteBuffer strict = StandardCharsets.UTF_8.newEncoder().encode(java.nio.CharBuffer.wrap(text));
            byte[] expected = new byte[strict.remaining()];
            strict.get(expected);
            assertThat(TempPaths.utf8(text)).as(text.length() > 40 ? "long text" : text).isEqualTo(expected);
            Path f = dir.resolve("t.txt");
            TempPaths.replace(f, ".t", text);
            assertThat(Files.readAllBytes(f)).isEqualTo(expected);
        }
        for (String invalid : new String[] {"lone high \ud83d", "\ude00 lone low", "reversed \ude00\ud83d", "end \ud83d"}) {
            assertThatThrownBy(() -> TempPaths.utf8(invalid)).isInstanceOf(java.nio.charset.CharacterCodingException.class);
            assertThatThrownBy(() -> TempPaths.replace(dir.resolve("bad.txt"), ".t", invalid)).isInstanceOf(IOException.class);
            assertThat(dir.resolve("bad.txt")).doesNotExist();
        }
    }

    @Test
    void openMakesANewFileAndWritesIt() throws IOException {
        Set<Path> made = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            TempPaths.Opened t = TempPaths.open(dir, ".blob", ".tgz");
            try (OutputStream out = t.out()) {
                out.write(("blob " + i).getBytes(StandardCharsets.UTF_8));
            }
            assertThat(t.path().getParent()).isEqualTo(dir);
            assertThat(t.path().getFileName().toString()).startsWith(".blob").endsWith(".tgz");
            assertThat(made.add(t.path())).as("a new file each time").isTrue();
            assertThat(Files.readString(t.path())).isEqualTo("blob " + i);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(50);
        }
    }
    @Test
    void replaceLeavesTheNewFileOrTheOldOneAndNoTempFileEitherWay() throws IOException {
        Path file = dir.resolve("cxpm.lock");
        TempPaths.replace(file, ".cxpm.lock", "one\n");
        TempPaths.replace(file, ".cxpm.lock", "två\n");
        assertThat(Files.readString(file)).isEqualTo("två\n");
        assertThatThrownBy(() -> TempPaths.replace(file, ".cxpm.lock", "half \ud800 a character")).isInstanceOf(IOException.class);
        assertThat(Files.readString(file)).as("text that is no Unicode is refused, not written as '?'").isEqualTo("två\n");
        Path busy = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(busy.resolve("inside"), "x");
        assertThatThrownBy(() -> TempPaths.replace(busy, ".busy", new byte[] {1})).isInstanceOf(IOException.class);
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("cxpm.lock", "busy");
        }
    }
}
