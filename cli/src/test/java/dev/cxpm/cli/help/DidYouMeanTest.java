package dev.cxpm.cli.help;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A typo in a command or an option gets the nearest real name, as cargo and git do; still a usage error (exit 2). */
class DidYouMeanTest {
    @TempDir
    Path dir;

    @Test
    void unknownCommandSuggestsTheNearestCommand() {
        CliRun r = CliRun.in(dir, "instal", "demo@local");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("no such command: `cxpm instal`").contains("did you mean `install`?")
                .doesNotContain("Unmatched argument");
    }

    @Test
    void unknownSubcommandSuggestsTheNearestSubcommand() {
        CliRun r = CliRun.in(dir, "marketplace", "lst");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("no such command: `cxpm marketplace lst`").contains("did you mean `list`?");
    }

    @Test
    void unknownOptionSuggestsTheNearestOptionOfThatCommand() {
        CliRun r = CliRun.in(dir, "sync", "--froze");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("Unknown option: '--froze'").contains("did you mean `--frozen`?");
        CliRun swapped = CliRun.in(dir, "validate", "--sritct");
        assertThat(swapped.stderr()).contains("did you mean `--strict`?");
    }

    @Test
    void nothingCloseMeansNoSuggestionButTheHelpPointer() {
        CliRun r = CliRun.in(dir, "frobnicate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("no such command: `cxpm frobnicate`").doesNotContain("did you mean")
                .contains("cxpm --help");
        CliRun option = CliRun.in(dir, "sync", "--zz");
        assertThat(option.exitCode()).isEqualTo(2);
        assertThat(option.stderr()).doesNotContain("did you mean").contains("cxpm sync --help");
    }

    @Test
    void distanceCountsASwapOfNeighboursAsOneEdit() {
        assertThat(DidYouMean.distance("isntall", "install")).isEqualTo(1);
        assertThat(DidYouMean.distance("instal", "install")).isEqualTo(1);
        assertThat(DidYouMean.distance("", "ab")).isEqualTo(2);
        assertThat(DidYouMean.nearest("isntal", List.of("install", "uninstall", "list"))).contains("install");
        assertThat(DidYouMean.nearest("xy", List.of("ls", "add"))).isEmpty();
    }

    @Test
    void whatTheUserTypedIsShownWithoutTerminalEscapes() {
        CliRun r = CliRun.in(dir, "inst\u001b[2Jall\r");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).doesNotContain("\u001b").doesNotContain("\r").contains("\\x1b[2J");
        CliRun option = CliRun.in(dir, "sync", "--fro\u001b]0;pwned\u0007");
        assertThat(option.stderr()).doesNotContain("\u001b").doesNotContain("\u0007");
        CliRun huge = CliRun.in(dir, "x".repeat(200_000));
        assertThat(huge.exitCode()).isEqualTo(2);
    }
}
