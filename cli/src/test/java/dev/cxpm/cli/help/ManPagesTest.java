package dev.cxpm.cli.help;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxpm.cli.fixtures.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The man pages the build writes: one per command, rendered by the real groff and man without a warning. */
class ManPagesTest {
    private static final Path README = Path.of("..", "README.md");

    @TempDir
    Path dir;

    @Test
    void onePagePerCommandAndSubcommand() throws Exception {
        ManPages.main(new String[] {dir.toString(), README.toString()});
        List<String> expected = new ArrayList<>();
        for (List<String> path : HelpEverywhereTest.commandPaths()) {
            List<String> words = new ArrayList<>(List.of("cxpm"));
            words.addAll(path);
            expected.add(String.join("-", words) + ".1");
        }
        try (Stream<Path> pages = Files.list(dir.resolve("man1"))) {
            assertThat(pages.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(expected);
        }
        // picocli's help command has a header: its one line, as in the command list, not its description's first
        assertThat(Files.readString(dir.resolve("man1/cxpm-help.1"))).contains("cxpm\\-help \\- Display help information");
    }

    @Test
    void groffRendersInstallsPageWithItsOptionsExamplesAndExitStatusWithoutWarnings() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "groff is not installed");
        ManPages.main(new String[] {dir.toString(), README.toString()});
        Path page = dir.resolve("man1/cxpm-install.1");
        Rendered r = run("groff", "-man", "-Tutf8", "-ww", "-P", "-cbou", page.toString());
        assertThat(r.err()).as("groff warnings").isEmpty();
        String text = r.out().replaceAll("\\s+", " "); // as read, whatever the line breaks
        assertThat(text).contains("NAME", "cxpm-install - Install a plugin from a configured marketplace");
        assertThat(text).contains("SYNOPSIS", "cxpm install [-h] [--debug]");
        assertThat(text).contains("--registry=URL", "Add this cxpm registry as a marketplace first");
        assertThat(text).contains("EXAMPLES", "cxpm install github-triage@team --version ^1.2",
                "Install the newest 1.x (at least 1.2) from the marketplace team.");
        assertThat(text).contains("EXIT STATUS", "(--json: not-found) not found", "70");
        assertThat(text).contains("SEE ALSO", "cxpm(1)");
    }

    @Test
    void everyPageRendersWithoutWarnings() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "groff is not installed");
        ManPages.main(new String[] {dir.toString(), README.toString()});
        try (Stream<Path> pages = Files.list(dir.resolve("man1"))) {
            for (Path page : pages.toList()) {
                Rendered r = run("groff", "-man", "-Tutf8", "-ww", "-z", page.toString());
                assertThat(r.err()).as(page.getFileName() + " groff warnings").isEmpty();
            }
        }
    }

    @Test
    void manReadsThePageByItsPath() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/man")), "man is not installed");
        ManPages.main(new String[] {dir.toString(), README.toString()});
        Rendered r = run("man", "-l", "-P", "cat", dir.resolve("man1/cxpm-marketplace-add.1").toString());
        assertThat(r.out()).contains("cxpm marketplace add acme/codex-plugins --ref v2");
    }

    @Test
    void exitStatusIsReadmesTableAndTheRootHelpNamesEachCode() throws Exception {
        List<String[]> codes = ManPages.exitCodes(Files.readString(README, StandardCharsets.UTF_8));
        assertThat(codes.stream().map(c -> c[0])).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "70", "141");
        String rootHelp = CliRun.in(dir, "--help").stdout();
        for (String[] code : codes) {
            assertThat(rootHelp).containsPattern("Exit codes:[\\s\\S]*\\b" + code[0] + " ");
        }
    }

    @Test
    void readmesCodeSpansBecomeBoldEvenAroundABacktick() {
        assertThat(ManPages.markdown("with ``did you mean `install`?`` and `x-y`"))
                .isEqualTo("with \\fBdid you mean `install`?\\fR and \\fBx\\-y\\fR");
    }

    @Test
    void troffRequestsInTextAreEscaped() {
        assertThat(ManPages.escape(".SH x\n'x\\y -z")).isEqualTo("\\&.SH x\n\\&'x\\ey \\-z");
    }

    record Rendered(String out, String err) {
    }

    private Rendered run(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("MANWIDTH", "200");
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + err).isZero();
        return new Rendered(out, err);
    }
}
