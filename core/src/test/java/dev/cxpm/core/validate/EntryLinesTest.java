package dev.cxpm.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.format.json.JsonFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streamed pass gives every name the line the tree's entry-by-entry lookup gives, duplicated keys and odd names included. */
class EntryLinesTest {

    @Test
    void eachNameHasTheLineOfItsFirstEntryAsTheTreeReadsIt() {
        JsonFile json = JsonFile.parse(Path.of("marketplace.json"), """
                {"name": "m", "plugins": [{"name": "gone", "source": "./x"}],
                 "plugins": [
                  {"name": 5, "source": "./p/5"},
                  {"name": "5", "source": "./p/5"},
                  {"name": null, "name": "b", "source": "./p/b"},
                  {"name": "c", "name": {"x": [1]}, "source": "./p/c"},
                  {"name": "c", "source": "./p/c"},
                  [1, {"name": "nested"}],
                  {"name": true},
                  {"name": "d\\u0065", "source": {"source": "local", "path": "./p/d"}}
                 ]}
                """);
        var lines = EntryLines.of(json);
        for (String name : List.of("5", "b", "c", "", "true", "de", "gone", "nested")) {
            assertThat(lines.lineOf(name)).as(name).isEqualTo(PluginValidator.entryLine(json, name));
        }
        assertThat(List.of(lines.lineOf("5"), lines.lineOf("c"), lines.lineOf(""), lines.lineOf("de"), lines.lineOf("gone")))
                .containsExactly(3, 7, 6, 10, 0);
    }

    @Test
    void pluginsThatAreNotAListHaveNoLines() {
        assertThat(EntryLines.of(JsonFile.parse(Path.of("m.json"), "{\"name\": \"m\", \"plugins\": {\"a\": {\"name\": \"a\"}}}")).lineOf("a")).isZero();
        assertThat(EntryLines.of(JsonFile.parse(Path.of("m.json"), "[]")).lineOf("a")).isZero();
    }
}
