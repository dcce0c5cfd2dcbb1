package dev.cxpm.core.toml;

import static dev.cxpm.core.HandReaderTexts.pick;
import static dev.cxpm.core.HandReaderTexts.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.cxpm.core.HandReaderTexts;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TomlTree} reads the plain shapes of TOML by hand and leaves the rest to Jackson's TOML module: on every text
 * it reads itself, the tree must be the one Jackson makes (same keys in the same order, same node types, same values),
 * and it must never accept a text Jackson refuses. Checked on hand-picked texts, then on many generated and mutated
 * ones (a fixed seed, so a failure can be replayed).
 */
class TomlTreeTest {
    private static final TomlMapper JACKSON = new TomlMapper();

    private static final String LOCKFILE = """
            # This file is written by cxpm (`cxpm sync`, `cxpm update`, `cxpm add`): do not edit it by hand.
            version = 2

            [[plugin]]
            name = "app"
            version = "1.2.0"
            marketplace = "fx"
            source = "path+./plugins/app"
            integrity = "sha512-iZNb4UDBrGyPqzuWaF23VjFuh+7Z/rYwYfVsmP10EeiAP9Eb4SVNQyJfXQa0AzFbPhyfk/N0b89QAVX0x3K6tA=="
            approved = "sha256-VmJt27HD3IwbpA5ceUsYuXbe/jYvrIiAcqKbjh5OvsQ="
            dependencies = { dep = "1.0.0" }

            [[plugin]]
            name = "dep"
            version = "1.0.0"
            marketplace = "fx"
            source = "git+https://example.com/x.git#0123456789abcdef0123456789abcdef01234567"
            integrity = "sha512-zYv9tiX5erSBKJMbUWGRa8poPd6ovWCJ3IQPSjb/VtcLwW8ec49FK8c/m88eC00ESVK6QNnjZuw/NfE2KZ36Zw=="
            dependencies = {}
            """;

    static final List<String> CORPUS = List.of(
            "",
            "# only a comment\n",
            "a = 1", "a = -0", "a = +5", "a = 0", "a = 123456789", "a = -999999999", "a = 1234567890", "a = 01",
            "a = 3000000000", "a = 9223372036854775807", "a = 1_000", "a = 0x1F", "a = 0o7", "a = 0b1", "a = 1.5", "a = 1e3",
            "a = inf", "a = nan", "a = -inf", "a = 1979-05-27", "a = 1979-05-27T07:32:00Z", "a = 07:32:00",
            "a = true", "a = false", "a = tru", "a = truex", "a = true1",
            "a = \"x\\u00e9\\U0001F600\"", "a = \"\\b\\t\\n\\f\\r\\\"\\\\\"", "a = \"\\e\"", "a = \"\\ud800\"", "a = \"\\U00110000\"",
            "a = \"\\u0000\"", "a = \"\\u001f\"", "a = \"\\u007F\"", "a = \"\u007f\"", "a = \"\u0001\"", "a = \"\t\"", "a = '\t'",
            "a = 'lit\\n'", "a = ''", "a = \"\"", "a = \"\"\"\nml\"\"\"", "a = '''\nml'''", "a = \"\"\"\"\"\"", "a = \"unclosed",
            "a = \"é ü 日本 😀\"", "é = 1", "\"é\" = 1", "'é' = 1", "\"\" = 1", "'' = 1", "1 = 2", "-a_b = 1", "true = 1",
            "a = [1, \"x\", [2]]", "a = [ ]", "a = []", "a = [1,]", "a = [,]", "a = [1 2]", "a = [\n 1, # c\n 2,\n]", "a = [\r\n1\r\n]",
            "a = {b = 1, c.d = 2}", "a = {}", "a = { }", "a = { b = 1, }", "a = { b = 1\n}", "a = {b = 1, b = 2}",
            "a = {b.c = 1, b.d = 2}", "a = {b = {c = 1}, b.d = 2}", "a = {b = [1,\n2]}", "a = { \"q k\" . 'l' = 1 }",
            "a.b = 1\na.c = 2", "a . b = 1", "a.b = 1\na = 2", "a = 1\na.b = 2", "a = 1\na = 2", "a = 1\n\"a\" = 2", "a = 1\n'a' = 2",
            "[a.b]\nx=1\n[a]\ny=2", "[a]\ny=2\n[a.b]\nx=1", "a.b=1\n[a]\nc=1", "[a]\nb.c=1\n[a.b]\nd=1", "[a]\nb.c=1\n[a.b.e]\nd=1",
            "[a.b]\n[a]\nb.c=1", "[a.b.c]\n[a]\nb.d=1", "[a]\nb=1\n[a.b]", "[[t]]\nx=1\n[[t]]\nx=2", "[a]\n[a]", "[a]\n[b]\n[a]",
            "[a]\n[a.b]\n[a.b.c]", "[a.b.c]\n[a.b]\n[a]", "[ a . \"b\" ] \n x = 1", "[a.\"b\".c]\nx=1", "a.\"b c\".'d' = 1",
            "[a]x=1", "[ [a] ]", "[a", "[a.]", "[.a]", "[]", "[a]]", "a=1\r\nb=2", "a=1\rb=2", "a=1\r", "a = 1 # c\r\n",
            "# c \u0001\na=1", "# c \u007f\na=1", "# c \r\na=1", "a = \"x\" # c", "a = 1 b = 2", "a = 1 # ok\n# ok\n\n\n",
            "\ta\t=\t1\t", "  [a]  # c\n  b = 1  ", "a =", "= 1", "a == 1", "a = 1\n=", "\uFEFFa = 1", "a = {b = 1}\n[a.c]",
            "a = {b = {c = 1}}\n[a.b]", "a = [{b = 1}]\n[a]", "x = [[1, 2], [\"a\"], [{b = 1}]]",
            "[[t]]", "[[t]]\n[[t]]", "[[t]]\n[t]", "[t]\n[[t]]", "[[t]]\n[t.x]", "[[t]]\nx=1\n[[t.x]]", "[[a.b]]\nx=1\n[[a.b]]\n[a]\ny=1",
            "[[a.b]]\n[a.c]\n[[a.b]]", "[a.b]\n[[a]]", "[a]\n[[a.b]]\n[[a.b]]", "a = []\n[[a]]", "a = [{x = 1}]\n[[a]]", "[[a]]\na = 1",
            "[[a]]\nx = 1\n[b]\n[[a]]\nx = 2", "[[ a ]]", "[[ a . 'b' ]]", "[[a] ]", "[ [a]]", "[[a]", "[[]]", "[[a]]]", "[[a]] # c\nx = 1",
            "[[a]]\nb.c = 1\nb.d = 2\n[[a]]\nb.c = 3", "[[a]]\nb.c = 1\n[a.b]", "[[a]]\nx = {}\n[[a]]\nx = [1]",
            "[[a]]\n[[a.b]]", "x.y = 1\n[[x]]", "x.y = 1\n[[x.z]]", "[[x.y]]\n[x]\nz = 1", "[[x.y]]\n[x]\ny = 1",
            """
            model = "gpt-5"
            approval_policy = "on-request"

            [mcp_servers.docs]
            command = "npx"
            args = ["-y", "@acme/docs-mcp", "--port", "8080"]
            env = { "API_KEY" = "k", DEBUG = "1" }

            [projects."/home/me/src/app"]
            trust_level = "trusted"

            [marketplaces.team]
            source_type = "git"
            source = "https://git.example.com/team/plugins.git"
            ref = "main"
            sparse_paths = ["plugins/a", "plugins/b"]

            [marketplaces."local-fx"]
            source_type = "local"
            source = "/tmp/fx"

            [plugins."demo@fx"]
            enabled = true

            [plugins."other@team"]
            enabled = false
            """,
            """
            [plugins]
            "demo@fx" = { enabled = true }
            "x@y".enabled = false
            """,
            """
            plugins."demo@fx".enabled = true
            plugins."demo@fx".note = "n"
            [plugins."other@fx"]
            enabled = true
            """,
            "[tui]\nnotifications = [\"agent-turn-complete\"]\n[profiles.fast]\nmodel = \"m\"\nmodel_reasoning_effort = \"low\"\n",
            LOCKFILE);

    @Test
    void everyTextItReadsItselfHasJacksonsTreeAndItReadsTheCommonShapes() {
        int readHere = 0;
        for (String text : CORPUS) {
            if (agrees(text)) {
                readHere++;
            }
        }
        assertThat(readHere).as("texts read without Jackson").isGreaterThan(CORPUS.size() / 3);
        assertThat(TomlTree.readSimple(CORPUS.get(CORPUS.size() - 5))).as("a Codex config.toml").isNotNull();
        assertThat(TomlTree.readSimple(LOCKFILE)).as("a cxpm.lock (a sync reads it first on a fresh JVM)").isNotNull();
        assertThat(TomlTree.readSimple("")).as("an empty file").isNotNull().isEmpty();
    }

    @Test
    void generatedAndMutatedTextsNeverGetADifferentTreeNorPassWhereJacksonFails() {
        int readHere = HandReaderTexts.readHere(CORPUS, TomlTreeTest::generated, NOISE, TomlTreeTest::agrees);
        assertThat(readHere).as("texts read without Jackson (about 1,000)").isGreaterThan(500);
    }

    @Test
    void aSyntaxErrorIsJacksonsOwn() {
        assertThatThrownBy(() -> TomlTree.read("a = 1\na = 2\n")).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("Duplicate key");
        assertThatThrownBy(() -> TomlTree.read("[a]\n[a]\n")).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("Table redefined");
    }

    /** Whether TomlTree read text itself; fails the test when it did and disagrees with Jackson. */
    private static boolean agrees(String text) {
        JsonNode here = TomlTree.readSimple(text);
        if (here == null) {
            return false;
        }
        JsonNode jackson;
        try {
            jackson = JACKSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("read a text Jackson refuses (" + e.getMessage().lines().findFirst().orElse("") + "):\n" + text);
        }
        if (jackson == null || jackson.isMissingNode()) {
            jackson = JACKSON.createObjectNode();
        }
        assertThat(shape(here)).as("the tree of:\n%s", text).isEqualTo(shape(jackson));
        return true;
    }

    private static final String[] KEYS = {"a", "b", "c", "\"a\"", "'b'", "\"q k\"", "\"\"", "x-1", "\"\\u0061\"", "é"};
    private static final String[] VALUES = {"1", "-7", "+0", "123456789", "1234567890", "0", "01", "1.0", "true", "false", "\"s\"",
        "'l'", "\"\\n\\t\\\"\"", "\"\\uD83D\"", "[]", "[1, 2,]", "[\"a\", [true]]", "{}", "{ k = 1 }", "{ k.j = 'v', m = [1] }",
        "1979-05-27", "\"\"\"m\"\"\"", "inf", "\"a\tb\"", "\"\\U0001F600\""};
    private static final String[] GAPS = {"", " ", "\t", " # c", "  "};

    private static String generated(Random r) {
        StringBuilder b = new StringBuilder();
        int lines = 1 + r.nextInt(8);
        for (int l = 0; l < lines; l++) {
            int kind = r.nextInt(10);
            if (kind < 3) {
                b.append(r.nextInt(6) == 0 ? "[[" : "[").append(dotted(r)).append(r.nextInt(6) == 0 ? "]]" : "]");
            } else if (kind < 9) {
                b.append(dotted(r)).append(r.nextBoolean() ? " = " : "=").append(pick(r, VALUES));
            } else {
                b.append("# note");
            }
            b.append(pick(r, GAPS)).append(r.nextInt(8) == 0 ? "\r\n" : "\n");
        }
        return b.toString();
    }

    private static String dotted(Random r) {
        StringBuilder b = new StringBuilder(pick(r, KEYS));
        while (r.nextInt(3) == 0) {
            b.append(r.nextBoolean() ? "." : " . ").append(pick(r, KEYS));
        }
        return b.toString();
    }

    private static final String NOISE = "\"'[]{}=,.#\n\r\t \\ua0-+_1e:\u0001\u007f\u0664\uFF14dD8";
}
