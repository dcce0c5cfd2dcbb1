package dev.cxpm.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.testkit.TestFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A marketplace validated as its manifest streams says what the same manifest read whole says: the same problems
 * (code, severity, line, message, hint) in the same order. The whole read is forced by writing {@code interface} twice
 * on the first line (the stream leaves a repeated top-level key to it), which moves no line.
 */
class MarketplaceStreamTest {
    @TempDir
    Path dir;
    int n;

    private static final String BASE = """
            {"name": "fx", "plugins": [
              {"name": "a", "source": "./plugins/a", "policy": {"authentication": "NO",
                 "installation": "NEVER"}},
              {"name": 5, "source": "./plugins/5"}, {"name": "5", "source": "./plugins/5"},
              {"name": "x", "source": "plugins/x"},
              {"name": "x", "source": {"source": "local",
                 "path": "./plugins/x"}},
              {"name": "b", "source": {"source": "url", "url": "https://example.com/b.git"}},
              {"name": "a", "source": "./plugins/a-again"}, {"name": "Not Valid!", "source": "./plugins/n"},
              {"name": "f", "source": {"source": "svn"}}, [1, {"name": "nested"}], {"source": "./s"}, {"name": "m"},
              {"name": "mismatch", "name": "demo", "source": {"path": "./plugins/no", "source": "local", "path": "./plugins/demo"}},
              {"name": "g", "source": "./../out"}, {"name": "gone", "source": "./plugins/gone"}
            ]}
            """;

    @Test
    void theStreamSaysWhatTheWholeReadSaysOfEachTurn() {
        for (String t : List.of(BASE, "{\"name\": \"f x\", \"plugins\": [{\"name\": \"a\", \"source\": \"./plugins/a\"}]}",
                "{\"plugins\": [], \"name\": {\"n\": 1}}", "{\"name\": \"fx\", \"plugins\": {}}", "{\"name\": \"fx\"}", "{}",
                "{\"name\": \"fx\", \"plugins\": [{\"name\": \"a\", \"source\": \"./plugins/a\"}, {\"name\": \"b\", \"source\": \"/abs\"}]}")) {
            same(t);
        }
    }

    @Test
    void theStreamSaysWhatTheWholeReadSaysOfRandomMutations() {
        Random random = new Random(20261207);
        String alphabet = "{}[]\",: \n0123456789abcdefnrtlsux.-/";
        for (int i = 0; i < 150; i++) {
            StringBuilder t = new StringBuilder(BASE);
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                int at = 1 + random.nextInt(t.length() - 1); // not the first brace, where the whole read's keys go
                switch (random.nextInt(3)) {
                    case 0 -> t.deleteCharAt(at);
                    case 1 -> t.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> t.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            same(t.toString());
        }
    }

    private void same(String text) {
        List<String> streamed = problems(text);
        if (streamed.stream().anyMatch(p -> p.contains("marketplace.invalid-json"))) {
            return; // not JSON: both read it whole, and the column of its error moves
        }
        String whole = "{\"interface\": {}, \"interface\": {}" + (text.substring(1).strip().startsWith("}") ? "" : ", ") + text.substring(1);
        assertThat(problems(whole)).as(text).isEqualTo(streamed);
    }

    private List<String> problems(String manifest) {
        Path root = dir.resolve("m" + n++);
        TestFiles.write(root, ".agents/plugins/marketplace.json", manifest);
        TestFiles.write(root, "plugins/5/.codex-plugin/plugin.json", "{\"name\": \"5\"}");
        TestFiles.write(root, "plugins/demo/.codex-plugin/plugin.json", "{\"name\": \"other\"}");
        TestFiles.write(root, "plugins/a/README.md", "no manifest");
        return new ValidationReport(root, "marketplace", new MarketplaceValidator(false).validate(root)).problems().stream()
                .map(p -> p.severity() + " " + p.code() + " " + p.line() + ":" + p.column() + " " + p.message() + " / " + p.hint()).toList();
    }
}
