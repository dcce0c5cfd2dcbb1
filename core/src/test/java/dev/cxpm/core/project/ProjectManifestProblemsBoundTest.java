package dev.cxpm.core.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cxpm.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cxpm.toml of many bad keys (a teammate's, or one made to be: 15 MiB of {@code "a1." = "1"}) was refused listing each,
 * 931,751 lines (21 s, 1.1 GB in a JVM of its own). The refusal lists the first 100 and says there are more.
 */
class ProjectManifestProblemsBoundTest {
    @TempDir
    Path dir;

    @Test
    void aManifestOfManyBadEntriesIsRefusedNamingItsFirstProblemsOnly() throws Exception {
        StringBuilder text = new StringBuilder("[plugins]\n");
        for (int i = 0; i < 20_000; i++) {
            text.append("\"a").append(i).append(".\" = \"1\"\n");
        }
        Files.writeString(dir.resolve("cxpm.toml"), text);
        UserError e = catchThrowableOfType(UserError.class, () -> ProjectManifest.read(dir));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("cxpm.toml:2: invalid plugin name `a0.`");
        assertThat(e.getMessage().lines().count()).as("lines in the refusal").isLessThanOrEqualTo(110);
        assertThat(e.hint()).contains("fix the lines named above");
    }
}
