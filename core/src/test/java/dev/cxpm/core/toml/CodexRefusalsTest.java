package dev.cxpm.core.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The limits the real Codex CLI (0.171.0) puts on TOML, at the boundary: each shape at its limit is read (as Jackson
 * reads it) and one past it is refused naming the line, though Jackson reads it. The limits themselves were measured by
 * bisecting with {@code codex plugin list}; {@code CodexTomlLimitsInteropTest} holds them to the real CLI.
 */
public class CodexRefusalsTest {
    private static final TomlMapper JACKSON = new TomlMapper();

    /** A shape of TOML, its size n, and the line of the first thing Codex refuses once n is past the limit. */
    public record Shape(String name, int limit, IntFunction<String> text, int line) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String key(int parts, String part) {
        return part + ("." + part).repeat(parts - 1);
    }

    public static List<Shape> shapes() {
        return List.of(
                new Shape("dotted key", 80, n -> key(n, "a") + " = 1\n", 1),
                new Shape("dotted key in a table, after comments", 80, n -> "# c\n\n[t]\n" + key(n, "a") + " = 1\n", 4),
                new Shape("dotted key of quoted parts with spaces", 80, n -> "\"a\"" + " . \"a\"".repeat(n - 1) + " = 1\n", 1),
                new Shape("header", 80, n -> "x = 1\n[" + key(n, "a") + "]\nb = 1\n", 2),
                new Shape("array of tables header", 80, n -> "[[" + key(n, "a") + "]]\n", 1),
                new Shape("dotted key in an inline table", 80, n -> "x = { y = 1, " + key(n, "a") + " = 1 }\n", 1),
                new Shape("inline tables", 80, n -> "x = " + "{a = ".repeat(n) + "1" + "}".repeat(n) + "\n", 1),
                new Shape("arrays", 80, n -> "[t]\nx = " + "[".repeat(n) + "1" + "]".repeat(n) + "\n", 2),
                new Shape("arrays over lines", 80, n -> "x = [\n" + "[\n".repeat(n - 1) + "]".repeat(n) + "\n", 81),
                new Shape("arrays of inline tables", 40, n -> "x = " + "[{a = ".repeat(n) + "1" + "}]".repeat(n) + "\n", 1),
                new Shape("arrays after a multi-line string", 80, n -> "s = \"\"\"\n[\n\"\"\"\nx = " + "[".repeat(n) + "]".repeat(n) + "\n", 4));
    }

    @Test
    void eachShapeIsReadAtCodexsLimitAndRefusedOnePastItNamingTheLine() throws Exception {
        for (Shape s : shapes()) {
            String at = s.text().apply(s.limit());
            assertThat(TomlTree.read(at)).as(s.name()).isEqualTo(JACKSON.readTree(at));
            String past = s.text().apply(s.limit() + 1);
            JACKSON.readTree(past); // Jackson reads it
            assertThatThrownBy(() -> TomlTree.read(past)).as(s.name()).isInstanceOf(JsonParseException.class)
                    .hasMessageStartingWith("Codex refuses ")
                    .satisfies(e -> assertThat(((JsonParseException) e).getLocation().getLineNr()).as(s.name()).isEqualTo(s.line()));
        }
    }

    /** Each key and each value is counted alone: a header of 80 parts over a dotted key of 80 over a value 80 deep is read. */
    @Test
    void keysAndNestingAreCountedEachAlone() throws Exception {
        String text = "[" + key(80, "a") + "]\n" + key(80, "b") + " = " + "[".repeat(80) + "]".repeat(80) + "\n"
                + "y = " + "{a = ".repeat(79) + "{" + key(80, "c") + " = 1}" + "}".repeat(79) + "\n";
        assertThat(TomlTree.read(text)).isEqualTo(JACKSON.readTree(text));
    }

    /** Brackets, dots and quotes inside strings and comments are not structure. */
    @Test
    void stringsAndCommentsAreNotCounted() throws Exception {
        String deep = "[".repeat(200);
        String dots = key(200, "a");
        String text = "s = \"" + deep + dots + "\" # " + deep + "\nt = '" + deep + "'\nu = '''\n" + deep + "\n'''\nv = \"\"\"\n" + dots
                + " = 1\n\"\"\"\n# [" + dots + "]\nw = 1979-05-27 07:32:00Z\nz = [1.5, \"]\", ']', {a = \"}\"}]\n";
        assertThat(TomlTree.read(text)).isEqualTo(JACKSON.readTree(text));
    }

    /** TomlTree's own reader gives up before Codex's limits, so what it reads without Jackson is never past them. */
    @Test
    void theHandReaderStopsShortOfCodexsLimits() {
        assertThat(TomlCursor.MAX_DEPTH).isLessThanOrEqualTo(CodexRefusals.MAX_KEY_PARTS).isLessThanOrEqualTo(CodexRefusals.MAX_NESTING);
        for (Shape s : shapes()) {
            assertThat(TomlTree.readSimple(s.text().apply(s.limit() + 1))).as(s.name()).isNull();
        }
    }
}
