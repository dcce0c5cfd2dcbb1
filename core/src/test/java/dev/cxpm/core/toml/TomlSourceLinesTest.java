package dev.cxpm.core.toml;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Where a key was written is found by a scan of the text made when a message first asks for a line. The scan must hold
 * memory in proportion to the text, whatever a hostile file (a cxpm.toml from a cloned repository, a config.toml)
 * holds.
 */
class TomlSourceLinesTest {

    /**
     * Each key's line was kept under its whole path as one string: a header of 32 parts of 1,000 characters above 20,000
     * keys held the header's 32 KB 20,000 times (a 16 MiB file of that shape: tens of gigabytes, out of memory, exit 70).
     */
    @Test
    void aLongHeaderAboveManyKeysIsIndexedInMemoryOfTheTextsSize() {
        StringBuilder header = new StringBuilder("[t");
        for (int i = 0; i < 31; i++) {
            header.append(".p").append(i).append("x".repeat(1_000));
        }
        StringBuilder b = new StringBuilder(header).append("]\n");
        int keys = 20_000;
        for (int i = 0; i < keys; i++) {
            b.append('k').append(i).append(" = 1\n");
        }
        String text = b.toString();
        TomlSource toml = TomlSource.parse(Path.of("cxpm.toml"), text, "fix it");
        String[] last = new String[33];
        String[] inHeader = header.substring(1).split("\\.");
        System.arraycopy(inHeader, 0, last, 0, 32);
        last[32] = "k" + (keys - 1);

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        int line = toml.lineOf(last);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(line).isEqualTo(keys + 1);
        assertThat(allocated).as("bytes allocated to index a text of %d bytes", text.length()).isLessThan(64L * text.length());
    }

    /** The lines found stay those of each shape: keys, tables, arrays of tables by index, dotted keys, the nearest table. */
    @Test
    void eachKeyPathIsFoundOnItsLineOrItsNearestTables() {
        String text = """
                top = 1
                [a]
                b = 2
                c.d = 3
                [[p]]
                name = "x"
                [[p]]
                name = "y"
                [a.deep.er]
                "q.k" = { x = 1 }
                """;
        TomlSource toml = TomlSource.parse(Path.of("x.toml"), text, "fix");
        assertThat(toml.lineOf("top")).isEqualTo(1);
        assertThat(toml.lineOf("a")).isEqualTo(2);
        assertThat(toml.lineOf("a", "b")).isEqualTo(3);
        assertThat(toml.lineOf("a", "c", "d")).isEqualTo(4);
        assertThat(toml.lineOf("a", "c")).isEqualTo(2);
        assertThat(toml.lineOf("p")).isEqualTo(5);
        assertThat(toml.lineOf("p", "0")).isEqualTo(5);
        assertThat(toml.lineOf("p", "1", "name")).isEqualTo(8);
        assertThat(toml.lineOf("p", "1", "missing")).isEqualTo(7);
        assertThat(toml.lineOf("a", "deep", "er", "q.k", "x")).isEqualTo(10);
        assertThat(toml.lineOf("a", "deep")).isEqualTo(2);
        assertThat(toml.lineOf("nothing")).isEqualTo(0);
    }
}
