package dev.cxpm.core.format.json;

import static dev.cxpm.core.HandReaderTexts.pick;
import static dev.cxpm.core.HandReaderTexts.shape;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import dev.cxpm.core.HandReaderTexts;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PlainJson} reads the plain shapes of JSON by hand and leaves the rest to Jackson: on every text it reads
 * itself, the tree (keys in order, node types, values), every value's span (line, column, start, end) and the repeated
 * keys must be what {@link JsonFile}'s Jackson pass gives, and it must never accept a text Jackson refuses. Checked on
 * hand-picked texts, then on many generated and mutated ones (a fixed seed, so a failure can be replayed).
 */
class PlainJsonTest {
    static final List<String> CORPUS = List.of(
            "", " ", "{}", "[]", "{ }", "[ ]", "1", "-0", "0", "-", "01", "-01", "123456789", "-999999999", "1234567890",
            "2147483648", "1.5", "1e3", "1E3", "-1.0e-2", "true", "false", "null", "tru", "truex", "nul", "NaN", "Infinity",
            "\"\"", "\"a\"", "\"\\u00e9\\uD83D\\ude00\"", "\"\\uD800\"", "\"\\u00G0\"", "\"\\u00\"", "\"\\b\\f\\n\\r\\t\\/\\\\\\\"\"",
            "\"\\x\"", "\"\\'\"", "\"a\tb\"", "\"a\nb\"", "\"\u0001\"", "\"\u007f\"", "\"é ü 日本 😀\"", "\"unclosed", "\"\\",
            "{\"a\": 1}", "{\"a\": 1,}", "[1,]", "[,]", "[1 2]", "{\"a\" 1}", "{\"a\":}", "{a: 1}", "{'a': 1}", "{\"a\": 1} x",
            "{\"a\": 1}{}", "{\"a\": 1, \"a\": 2}", "{\"a\": {\"b\": 1}, \"a\": {\"c\": [1]}}", "{\"a/b~c\": 1, \"\": 2}",
            "\r\n{\r\n  \"a\": [\r\n 1,\r  2\n]\r}\r\n", "\t[\t1\t]\t", "// c\n{}", "/* c */ {}", "{} // c", "# c\n{}",
            "\u00a0{}", "\u000b{}", "\f{}", "[\"\\u0000\"]", "[-]", "[-a]", "[+1]", "[.5]", "[1.]", "[0x10]", "[00]", "[1-2]",
            "[[[[[[[[[[1]]]]]]]]]]", "[" .repeat(70) + "]".repeat(70), "[".repeat(140) + "]".repeat(140), "[".repeat(20),
            """
            {
              "name": "demo",
              "version": "1.0.0",
              "description": "A plugin",
              "author": {"name": "Ann", "email": "ann@example.com"},
              "keywords": ["a", "b"],
              "skills": "./skills/",
              "interface": {"displayName": "Demo", "capabilities": ["Read"], "defaultPrompt": ["x"], "brandColor": "#10A37F"}
            }
            """,
            """
            {"name": "fx", "interface": {"displayName": "FX"}, "plugins": [
              {"name": "demo", "source": {"source": "local", "path": "./plugins/demo"}, "policy": {"installation": "AVAILABLE"}},
              {"name": "n", "source": {"source": "npm", "package": "@a/b", "version": "1.2.3"}, "category": "Coding"}
            ]}
            """);

    @Test
    void everyTextItReadsItselfIsReadAsJacksonReadsItAndItReadsTheCommonShapes() {
        int readHere = 0;
        for (String text : CORPUS) {
            if (agrees(text)) {
                readHere++;
            }
        }
        assertThat(readHere).as("texts read without Jackson (most of the corpus is broken on purpose)").isGreaterThan(20);
        assertThat(PlainJson.read(CORPUS.get(CORPUS.size() - 1))).as("a marketplace.json").isNotNull();
        assertThat(PlainJson.read(CORPUS.get(CORPUS.size() - 2))).as("a plugin.json").isNotNull();
    }

    @Test
    void generatedAndMutatedTextsNeverGetADifferentTreeOrSpanNorPassWhereJacksonFails() {
        int readHere = HandReaderTexts.readHere(CORPUS, r -> generated(r, 0), NOISE, PlainJsonTest::agrees);
        assertThat(readHere).as("texts read without Jackson").isGreaterThan(3000);
    }

    @Test
    void aSyntaxErrorIsStillJacksonsWithItsLineAndColumn() {
        assertThat(JsonFile.syntaxError("p.json", "{\n  \"a\": 1,\n}")).get().extracting(SyntaxError::line).isEqualTo(3);
        assertThat(JsonFile.syntaxError("p.json", "{\"a\": 1}")).isEmpty();
    }

    /** Whether PlainJson read text itself; fails the test when it did and disagrees with Jackson. */
    private static boolean agrees(String text) {
        PlainJson.Tree here = PlainJson.read(text);
        if (here == null) {
            return false;
        }
        JsonFile jackson;
        try {
            jackson = JacksonJson.read(Path.of("t.json"), text);
        } catch (RuntimeException e) {
            throw new AssertionError("read a text Jackson refuses (" + e.getMessage() + "):\n" + text);
        }
        assertThat(shape(here.root)).as("the tree of:\n%s", text).isEqualTo(shape(jackson.root()));
        assertThat(here.spans).as("the spans of:\n%s", text).isEqualTo(jackson.spans());
        assertThat(here.duplicates).as("the repeated keys of:\n%s", text).isEqualTo(jackson.duplicateKeys());
        // read as a tree alone (how a file is parsed), its spans made only when asked: the same tree, keys and spans
        PlainJson.Tree alone = PlainJson.tree(text);
        assertThat(shape(alone.root)).as("the tree alone of:\n%s", text).isEqualTo(shape(jackson.root()));
        assertThat(alone.duplicates).as("the repeated keys, tree alone, of:\n%s", text).isEqualTo(jackson.duplicateKeys());
        JsonFile parsed = JsonFile.parse(Path.of("t.json"), text);
        assertThat(parsed.duplicateKeys()).as("a parse's repeated keys of:\n%s", text).isEqualTo(jackson.duplicateKeys());
        assertThat(parsed.spans()).as("a parse's spans, made when asked, of:\n%s", text).isEqualTo(jackson.spans());
        return true;
    }

    private static final String[] KEYS = {"\"a\"", "\"b\"", "\"name\"", "\"\"", "\"a/b\"", "\"~\"", "\"\\u0061\"", "\"é\"", "\"q k\""};
    private static final String[] SCALARS = {"1", "-7", "0", "-0", "123456789", "1234567890", "1.0", "1e2", "true", "false",
        "null", "\"s\"", "\"\\n\\t\\\"\"", "\"\\uD83D\"", "\"a\\/b\"", "\"😀\"", "\"\""};
    private static final String[] GAPS = {"", " ", "\t", "\n", "\r\n", "\r", "  \n  "};

    private static String generated(Random r, int depth) {
        int kind = depth > 4 ? 2 : r.nextInt(5);
        StringBuilder b = new StringBuilder(pick(r, GAPS));
        if (kind == 0) {
            b.append('{');
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                b.append(i > 0 ? "," : "").append(pick(r, GAPS)).append(pick(r, KEYS)).append(pick(r, GAPS)).append(':')
                        .append(generated(r, depth + 1));
            }
            b.append(pick(r, GAPS)).append('}');
        } else if (kind == 1) {
            b.append('[');
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                b.append(i > 0 ? "," : "").append(generated(r, depth + 1));
            }
            b.append(pick(r, GAPS)).append(']');
        } else {
            b.append(pick(r, SCALARS));
        }
        return b.append(pick(r, GAPS)).toString();
    }

    private static final String NOISE = "\"'[]{}:,.\n\r\t \\u0-+1eE/\u0001\u007f\u00a0";
}
