package dev.cxpm.core.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonParseException;
import dev.cxpm.core.UserError;
import dev.cxpm.core.lock.Lockfile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TOML file's tree costs ~250 bytes a table, which three characters can bring in: a 16 MiB cxpm.lock of 650,000
 * {@code [[plugin]] name = "."} ran the warm daemon's 256 MB out of memory (exit 70) where a JVM of its own refused it
 * (exit 1). Past {@link TomlTree#MAX_NODES} keys, values and tables, the file is refused at a line, whichever reader read
 * it, and a file at the limit is read.
 */
class TomlTreeBudgetTest {
    @TempDir
    Path dir;

    @Test
    void aTextOfMoreTablesThanTheLimitIsRefusedAtALine() {
        StringBuilder text = new StringBuilder(24 * 200_000);
        for (int i = 0; i < 200_000; i++) {
            text.append("[[plugin]]\nname = \".\"\n");
        }
        JsonParseException e = catchThrowableOfType(JsonParseException.class, () -> TomlTree.read(text.toString()));
        assertThat(e).isNotNull();
        assertThat(e.getOriginalMessage()).startsWith(TomlTree.TOO_MANY + "250,000 keys, values and tables");
        // 125,000 tables of one key; the scan counts `[`, `[`, `=` and `.` per table: past the limit in the 62,501st
        assertThat(e.getLocation().getLineNr()).isEqualTo(2 * 62_501 - 1);
    }

    @Test
    void theSameRefusalOnTextTheOwnReaderLeavesToJackson() {
        StringBuilder text = new StringBuilder("when = 1979-05-27T07:32:00Z\n"); // a date: Jackson's
        for (int i = 0; i < 130_000; i++) {
            text.append("[[p]]\nn = 1\n");
        }
        JsonParseException e = catchThrowableOfType(JsonParseException.class, () -> TomlTree.read(text.toString()));
        assertThat(e).isNotNull();
        assertThat(e.getOriginalMessage()).startsWith(TomlTree.TOO_MANY);
    }

    @Test
    void aTextAtTheLimitIsRead() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < TomlTree.MAX_NODES - 1; i++) {
            text.append("[[p]]\n"); // the array p and one table each
        }
        assertThat(TomlTree.read(text.toString()).get("p").size()).isEqualTo(TomlTree.MAX_NODES - 1);
        text.append("[[p]]\n");
        assertThat(catchThrowableOfType(JsonParseException.class, () -> TomlTree.read(text.toString()))).isNotNull();
    }

    @Test
    void aLockfileTooBigToReadIsAUserErrorNamingItsLine() {
        StringBuilder text = new StringBuilder("version = 2\n");
        for (int i = 0; i < 130_000; i++) {
            text.append("\n[[plugin]]\nname = \"p\"\n");
        }
        UserError e = catchThrowableOfType(UserError.class, () -> Lockfile.parse(dir.resolve("cxpm.lock"), text.toString()));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("cxpm.lock:").contains(TomlTree.TOO_MANY + "250,000");
    }
}
