package dev.cxpm.cli.help;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxpm.cli.fixtures.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxpm completion SHELL} prints a script that the real shell loads and completes cxpm's commands, options
 * and option values with: bash always (the launcher needs it), zsh and fish when installed (CI installs them).
 */
class CompletionCommandTest {
    @TempDir
    Path dir;

    @Test
    void bashCompletesCommandsSubcommandsOptionsAndValues() throws Exception {
        Path script = script("bash");
        assertThat(bash(script, "cxpm", "ins")).contains("install").doesNotContain("list");
        assertThat(bash(script, "cxpm", "marketplace", "")).contains("add", "list", "update", "remove");
        assertThat(bash(script, "cxpm", "install", "--reg")).containsExactly("--registry");
        assertThat(bash(script, "cxpm", "completion", "")).containsExactlyInAnyOrder("bash", "zsh", "fish");
        assertThat(bash(script, "cxpm", "config", "")).containsExactlyInAnyOrder("get", "set", "unset");
        assertThat(bash(script, "cxpm", "version", "pa")).containsExactly("patch");
    }

    @Test
    void zshCompletesThroughBashcompinit() throws Exception {
        assumeTrue(installed("zsh"), "zsh is not installed");
        Path script = script("zsh");
        // what zsh's bashcompinit does before it calls a bash completion function: sh emulation, 0-based arrays
        String run = "autoload -U +X compinit && compinit -u -d " + dir.resolve("zcompdump") + "\n"
                + "source " + script + "\n"
                + "emulate -L sh; setopt kshglob noshglob braceexpand\n"
                + "COMP_WORDS=(cxpm marketplace up); COMP_CWORD=2; COMP_LINE='cxpm marketplace up'; COMP_POINT=${#COMP_LINE}\n"
                + "_complete_cxpm; printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        assertThat(shell(List.of("zsh", "-f", "-c", run))).contains("update", "upgrade");
    }

    @Test
    void fishCompletesCommandsOptionsAndValues() throws Exception {
        assumeTrue(installed("fish"), "fish is not installed");
        Path script = script("fish");
        assertThat(fish(script, "cxpm ins")).anyMatch(l -> l.startsWith("install\t"));
        assertThat(fish(script, "cxpm marketplace ")).anyMatch(l -> l.startsWith("add\t")).anyMatch(l -> l.startsWith("upgrade\t"));
        assertThat(fish(script, "cxpm marketplace add --")).anyMatch(l -> l.startsWith("--sparse\t"))
                .noneMatch(l -> l.startsWith("--registry")); // install's option, not marketplace add's
        assertThat(fish(script, "cxpm install --")).anyMatch(l -> l.startsWith("--registry\t"));
        assertThat(fish(script, "cxpm ls --")).anyMatch(l -> l.startsWith("--json\t")); // an alias
        assertThat(fish(script, "cxpm version p")).anyMatch(l -> l.startsWith("patch\t")).anyMatch(l -> l.startsWith("prerelease\t"));
        assertThat(fish(script, "cxpm completion ")).containsExactlyInAnyOrder("bash\tbash, zsh or fish.",
                "zsh\tbash, zsh or fish.", "fish\tbash, zsh or fish.");
    }

    @Test
    void fishScriptIsOneCompleteLinePerCandidate() throws Exception {
        String fish = Files.readString(script("fish"));
        assertThat(fish).contains("complete -c cxpm -n '__cxpm_is \\'\\'' -a 'install' -d 'Install a plugin");
        assertThat(fish).contains("complete -c cxpm -n '__cxpm_is \\'install\\'' -l registry -r -F -d 'Add this cxpm registry");
        assertThat(fish).contains("complete -c cxpm -n '__cxpm_is \\'list\\' \\'ls\\'' -l json -d 'Print a JSON object.'");
    }

    @Test
    void unknownShellIsAUsageError() {
        CliRun r = CliRun.in(dir, "completion", "powershell");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("bash, zsh, fish");
    }

    private Path script(String shell) throws IOException {
        CliRun r = CliRun.in(dir, "completion", shell);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Path file = dir.resolve("cxpm." + shell);
        Files.writeString(file, r.stdout(), StandardCharsets.UTF_8);
        return file;
    }

    /** COMPREPLY after bash calls cxpm's completion function with the cursor at the end of the last word. */
    private List<String> bash(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append(" '").append(w).append('\'');
        }
        String line = String.join(" ", words);
        String run = "source " + script + "\n"
                + "COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1) + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}\n"
                + "_complete_cxpm; printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        return shell(List.of("bash", "--norc", "--noprofile", "-c", run));
    }

    private List<String> fish(Path script, String line) throws Exception {
        return shell(List.of("fish", "--no-config", "-c", "source " + script + "; complete -C '" + line + "'"));
    }

    private List<String> shell(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(command + "\n" + err).isZero();
        return out.lines().filter(l -> !l.isEmpty()).toList();
    }

    private static boolean installed(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
