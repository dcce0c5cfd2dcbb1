package dev.cxpm.core.format.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileTest {
    private static final Path F = Path.of("plugin.json");

    @Test
    void remembersTheLineOfEveryValueByPointer() {
        JsonFile f = JsonFile.parse(F, """
                {
                  "name": "demo",
                  "interface": {
                    "displayName": "Demo",
                    "capabilities": ["a", "b"]
                  },
                  "a/b": 1
                }
                """);
        assertThat(f.lineOf("")).isEqualTo(1);
        assertThat(f.lineOf("/name")).isEqualTo(2);
        assertThat(f.lineOf("/interface/displayName")).isEqualTo(4);
        assertThat(f.lineOf("/interface/capabilities/1")).isEqualTo(5);
        assertThat(f.lineOf("/a~1b")).isEqualTo(7);
        assertThat(f.lineOf("/nope")).isZero();
        assertThat(f.lineNear("/interface/nope/deeper")).isEqualTo(3);
    }

    @Test
    void replacesOneValueAndKeepsEveryOtherCharacter() {
        String text = "{\n\t\"name\": \"demo\",  // x\n\t\"version\":   \"1.0.0\" ,\n\t\"n\": 12, \"o\": {\"k\": [1, 2]}\n}\n"
                .replace("  // x", "");
        JsonFile f = JsonFile.parse(F, text);
        String bumped = f.replace("/version", "\"1.1.0\"");
        assertThat(bumped).isEqualTo(text.replace("\"1.0.0\"", "\"1.1.0\""));
        assertThat(f.replace("/n", "13")).isEqualTo(text.replace("12", "13"));
        assertThat(f.replace("/o/k", "[]")).isEqualTo(text.replace("[1, 2]", "[]"));
        assertThat(f.with("/version", "\"2.0.0\"").root().path("version").asText()).isEqualTo("2.0.0");
    }

    @Test
    void rejectsATrailingCommaWithLineAndColumn() {
        assertThatThrownBy(() -> JsonFile.parse(F, "{\"name\": \"demo\",\n \"version\": \"1.0.0\",}"))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("plugin.json:2:21: invalid JSON: a comma before `}`");
    }

    @Test
    void acceptsPlainJsonAndRejectsCommentsTrailingContentAndBom() {
        assertThat(JsonFile.parse(F, "{\"a\": 1}").root().path("a").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> JsonFile.parse(F, "{\"a\": 1} // c")).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> JsonFile.parse(F, "{\"a\": 1} {}")).hasMessageContaining("trailing characters");
        assertThatThrownBy(() -> JsonFile.parse(F, "\uFEFF{\"a\": 1}")).hasMessageContaining("byte-order mark");
        assertThatThrownBy(() -> JsonFile.parse(F, "")).hasMessageContaining("the file is empty");
        assertThatThrownBy(() -> JsonFile.parse(F, "{\"a\": ")).hasMessageContaining("invalid JSON");
    }

    @Test
    void rejectsNestingDeeperThanCodexAccepts() {
        String ok = "[".repeat(JsonFile.MAX_DEPTH) + "]".repeat(JsonFile.MAX_DEPTH);
        assertThat(JsonFile.parse(F, ok).root().isArray()).isTrue();
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> JsonFile.parse(F, deep))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("nested deeper than 128");
    }

    @Test
    void rejectsHugeAndBinaryFilesWithAClearError(@TempDir Path dir) throws IOException {
        Path huge = dir.resolve("huge.json");
        Files.writeString(huge, "[\"" + "x".repeat(JsonFile.MAX_BYTES) + "\"]");
        assertThatThrownBy(() -> JsonFile.read(huge)).isInstanceOf(UserError.class).hasMessageContaining("larger than");
        Path junk = dir.resolve("junk.json");
        Files.write(junk, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80});
        assertThatThrownBy(() -> JsonFile.read(junk)).isInstanceOf(UserError.class).hasMessageContaining("not UTF-8");
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> JsonFile.read(missing)).isInstanceOf(UserError.class)
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.NOT_FOUND);
        assertThat(JsonFile.tryRead(junk)).isInstanceOf(JsonFile.Failed.class);
    }

    @Test
    void keepsTheLastOfDuplicateKeysAndRemembersThem() {
        JsonFile f = JsonFile.parse(F, "{\"name\": \"a\", \"name\": \"b\"}");
        assertThat(f.root().path("name").asText()).isEqualTo("b");
        assertThat(f.duplicateKeys()).containsExactly("/name");
    }

    @Test
    void unclosedObjectIsReportedWithoutJacksonInternals() {
        assertThatThrownBy(() -> JsonFile.parse(F, "{\"name\": \"x\", \"version\": 1"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("line 1 column 1")
                .hasMessageNotContaining("Source:")
                .hasMessageNotContaining("StreamReadFeature");
    }
}
