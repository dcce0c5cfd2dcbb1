package dev.cxpm.core.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cxpm.core.UserError;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-edited cxpm.lock of many broken entries (a teammate's, or a file made to be one: 15 MiB of {@code [[plugin]]
 * name = "."}) was refused with every problem of every entry, each with its line: 3.3 million lines, 56 s and 4.2 GB of
 * memory in a JVM of its own, and the daemon's 256 MB would run out. The refusal names the first problems and how many
 * entries are left unread, as a list a user can act on.
 */
class LockfileProblemsBoundTest {
    @TempDir
    Path dir;

    @Test
    void aLockOfManyBrokenEntriesIsRefusedNamingItsFirstProblemsOnly() {
        StringBuilder text = new StringBuilder(Lockfile.HEADER).append("version = 2\n");
        for (int i = 0; i < 20_000; i++) {
            text.append("\n[[plugin]]\nname = \".\"\n");
        }
        UserError e = catchThrowableOfType(UserError.class, () -> Lockfile.parse(dir.resolve("cxpm.lock"), text.toString()));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("cxpm.lock:6: `name`: invalid plugin name `.`");
        assertThat(e.getMessage().lines().count()).as("lines in the refusal").isLessThanOrEqualTo(110);
        assertThat(e.hint()).contains("git checkout -- cxpm.lock");
    }
}
