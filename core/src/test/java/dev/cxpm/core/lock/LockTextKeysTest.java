package dev.cxpm.core.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names a TOML lexer may take for something other than a bare key ({@code inf}, {@code true}, a date, {@code 1e3},
 * {@code 0x10}), as plugin names and as the keys of {@code dependencies}: the text reader must take them as the full read
 * (Jackson's TOML tree) does, or leave them to it, never take what it refuses.
 */
class LockTextKeysTest {
    @TempDir
    Path dir;

    @Test
    void namesThatLookLikeOtherTomlValuesAreReadAsTheFullReadReadsThem() {
        List<String> names = List.of("inf", "nan", "true", "false", "1979-05-27", "1979-05-27T07", "07:32:00", "1e3", "1E3",
                "0x10", "0b1", "0o7", "1_000", "123", "0", "-1", "+1", "07", "1-2", "a-", "_", "-", "--", "-inf", "a_b", "A", "x1e3");
        List<String> disagreements = new ArrayList<>();
        List<String> taken = new ArrayList<>();
        for (String name : names) {
            String text = LockfileTest.sample().toText()
                    .replace("dependencies = { util = \"~2.0\" }", "dependencies = { " + name + " = \"~2.0\" }")
                    .replace("name = \"util\"", "name = \"" + name + "\"");
            if (!text.contains(name + " = \"~2.0\"")) {
                throw new AssertionError("the sample changed: " + text);
            }
            Lockfile fast = LockText.read(text);
            String full;
            try {
                full = Lockfile.parse(dir.resolve("cxpm.lock"), text + "# the full read\n").toText();
            } catch (RuntimeException e) {
                full = "refused: " + e.getMessage();
            }
            if (fast != null) {
                taken.add(name);
            }
            if (fast != null && !fast.toText().equals(full)) {
                disagreements.add(name + ": the text reader took it, the full read " + (full.startsWith("refused") ? full : "read otherwise"));
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(taken).as("names the text reader takes").contains("inf", "true", "1979-05-27", "1e3", "0x10", "123");
    }
}
