package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    @Test
    void versionPrintsTheProjectVersion() {
        CliRun r = CliRun.in(dir, "--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("cxpm 0.");
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCode2() {
        CliRun r = CliRun.in(dir, "--no-such-option");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("Unknown option: '--no-such-option'").contains("--help");
    }
}
