package dev.cxpm.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxpm serve --release-dir DIR}: a directory with no release in it is refused before the server starts, rather
 * than a registry whose page never shows the install line (serving one: dist/'s InstallScriptTest).
 */
class ServeReleaseDirTest {

    @TempDir
    Path tmp;

    @Test
    void aReleaseDirWithNoReleaseIsAUsageErrorSayingWhatItNeeds() throws Exception {
        Files.createDirectories(tmp.resolve("releases"));
        Files.writeString(tmp.resolve("releases/cxpm-1.0.0-linux-x64.tar.gz"), "no .sha512 beside it");
        CliRun r = CliRun.in(tmp, Map.of(), "serve", "--port", "0", "--data", "d", "--release-dir", "releases");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("--release-dir releases holds no cxpm release", ".sha512", "./mvnw -Prelease package");
        assertThat(tmp.resolve("d")).as("nothing was started").doesNotExist();
    }
}
