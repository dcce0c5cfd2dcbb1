package dev.cxpm.core.format.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Where each value of a JSON file is (for a message's line, or an edit) must cost memory in proportion to the text,
 * whatever a plugin's or marketplace's author wrote: each value's span was kept under its whole JSON Pointer, so values
 * below a long path of keys held that path once each.
 */
class JsonSpansMemoryTest {

    /** {"name": 5, "x": {"0kkk...": {"1kkk...": ... VALUES}}AFTER}: depth keys of keyLength above the values. */
    private static String longPathAbove(int depth, int keyLength, String values, String after) {
        StringBuilder b = new StringBuilder("{\"name\": 5, \"x\": ");
        for (int i = 0; i < depth; i++) {
            b.append("{\"").append(i).append("k".repeat(keyLength)).append("\": ");
        }
        return b.append(values).append("}".repeat(depth)).append(after).append('}').toString();
    }

    private static long allocatedBy(Runnable r) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        r.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /** A 110 KB marketplace.json of this shape took 385 MB for its first message's line; 8 MiB: out of memory, exit 70. */
    @Test
    void theLinesOfValuesBelowALongPathAreFoundInMemoryOfTheTextsSize() {
        StringBuilder values = new StringBuilder("{");
        for (int i = 0; i < 10_000; i++) {
            values.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":0");
        }
        String text = longPathAbove(10, 1_000, values.append('}').toString(), "");
        for (String reader : new String[] {"plain", "jackson"}) {
            String read = reader.equals("plain") ? text : text.replace("\"a9999\":0", "\"a9999\":0.5"); // a fraction: Jackson's
            JsonFile json = JsonFile.parse(Path.of("marketplace.json"), read);
            int[] line = new int[1];
            long allocated = allocatedBy(() -> line[0] = json.lineOf("/x/0" + "k".repeat(1_000) + "/1" + "k".repeat(1_000)));
            assertThat(line[0]).isEqualTo(1);
            assertThat(allocated).as("%s: bytes allocated for the spans of a text of %d bytes", reader, read.length())
                    .isLessThan(64L * read.length());
        }
    }

    /**
     * Each repeated key is named by its pointer (validate warns of each): 10,000 repeats below a path of 10 KB named it
     * 10,000 times. The pointers named are bounded by the text's size, and a repeated key at the top (which Codex refuses)
     * is always among them.
     */
    @Test
    void repeatedKeysBelowALongPathAreNamedWithinTheTextsSizeAndOneAtTheTopAlways() {
        String values = "{" + "\"a\":0,".repeat(10_000) + "\"a\":0}";
        for (String text : new String[] {longPathAbove(10, 1_000, values, ", \"name\": 6"),
                longPathAbove(10, 1_000, values, ", \"name\": 6").replace("\"a\":0}", "\"a\":0.5}")}) {
            JsonFile json = JsonFile.parse(Path.of("plugin.json"), text);
            long named = json.duplicateKeys().stream().mapToLong(String::length).sum();
            assertThat(named).isLessThan(4L * text.length());
            assertThat(json.duplicateKeys()).contains("/name");
            assertThat(json.lineOf("/name")).isEqualTo(1);
        }
    }
}
