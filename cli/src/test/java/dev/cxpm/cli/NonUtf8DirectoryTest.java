package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A directory whose name is not UTF-8 (byte 0xff) cannot be named by a JVM: it reads the name as
 * U+FFFD, which is another directory. cxpm, run as its own process in such a directory (made and
 * entered by bash, since Java cannot name it), refuses with a clear message and writes nothing, under a
 * UTF-8 locale and under the C locale alike.
 */
class NonUtf8DirectoryTest {

    @TempDir
    Path tmp;

    private record Run(int exitCode, String output) {
    }

    /** cxpm in its own JVM in bashDir (made first), both given as bash words, under LANG=locale. */
    private Run cxpmIn(String bashDir, String locale, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        StringBuilder cmd = new StringBuilder("mkdir -p " + bashDir + " && cd " + bashDir + " && exec \"$0\" -cp \"$1\" dev.cxpm.cli.Main");
        for (String a : args) {
            cmd.append(' ').append(a); // bash words: $'\xff' makes the byte
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd.toString(), java, System.getProperty("java.class.path"))
                .directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
        pb.environment().put("LANG", locale);
        pb.environment().put("HOME", tmp.resolve("home").toString());
        pb.environment().put("CODEX_HOME", tmp.resolve("codex-home").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    /** What bash sees in tmp: names as bytes printed with escapes, so 0xff and a U+FFFD sibling differ. */
    private String tree() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", "find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r f; do printf '%q\\n' \"$f\"; done")
                .directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @ParameterizedTest(name = "LANG={0}")
    @ValueSource(strings = {"C.UTF-8", "C"})
    void initInADirectoryNamedWithByteFFIsRefusedAndWritesNothingAnywhere(String locale) throws Exception {
        Run r = cxpmIn("$'\\xff'", locale, "init", "--name", "demo");

        assertThat(r.exitCode()).as(r.output()).isEqualTo(7);
        assertThat(r.output()).contains("error: the working directory", "is not valid UTF-8").doesNotContain("Exception");
        assertThat(tree()).isEqualTo("$'./\\377'\n");
    }

    @ParameterizedTest(name = "LANG={0}")
    @ValueSource(strings = {"C.UTF-8", "C"})
    void anArgumentNamingANonUtf8DirectoryIsRefused(String locale) throws Exception {
        Run r = cxpmIn("ok", locale, "init", "$'bad\\xffdir'");

        assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("is not valid UTF-8");
        assertThat(tree()).isEqualTo("./ok\n");
    }

    /**
     * Through the real ./cxpm launcher (on a checkout in tmp whose jar runs the classes under test, no
     * daemon): under the C locale a UTF-8 directory works, because the launcher gives Java a UTF-8 one,
     * and a directory named with byte 0xff is refused all the same.
     */
    @Test
    void theLauncherNamesUtf8DirectoriesUnderTheCLocaleAndRefusesByteFF() throws Exception {
        Path checkout = Files.createDirectories(tmp.resolve("checkout"));
        Path launcher = checkout.resolve("cxpm");
        Files.copy(Path.of("..", "cxpm").toAbsolutePath().normalize(), launcher);
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.cxpm.cli.Main");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ",
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .map(e -> Path.of(e).toAbsolutePath().toUri().toString()).toList()));
        Path jar = Files.createDirectories(checkout.resolve("cli/target")).resolve("cxpm.jar");
        try (var out = Files.newOutputStream(jar); var j = new JarOutputStream(out, m)) {
            j.flush();
        }
        String javaHome = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent().toString();

        String script = "export JAVA_HOME=\"$1\" CXPM_DAEMON=0; mkdir work && cd work && mkdir café $'\\xff'"
                + " && (cd café && \"$0\" init --name demo) && (cd $'\\xff' && \"$0\" init --name demo)";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script, launcher.toString(), javaHome).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
        pb.environment().put("LANG", "C");
        pb.environment().put("HOME", tmp.resolve("home").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isEqualTo(7);
        assertThat(out).contains("Created plugin `demo`", "error: the working directory", "is not valid UTF-8");
        assertThat(tmp.resolve("work/café/.codex-plugin/plugin.json")).exists();
        assertThat(tmp.resolve("work").toFile().list()).hasSize(2); // café and the 0xff directory, no U+FFFD or ? sibling
    }

    /** The warm daemon gets the directory as bytes and decodes them as UTF-8: a 0xff there arrives as U+FFFD. */
    @Test
    void aDirectoryDecodedWithReplacementCharactersIsRefusedInProcess() throws Exception {
        CliRun r = CliRun.in(tmp.resolve("bad\uFFFDdir"), Map.of("HOME", tmp.resolve("home").toString()), "init", "--name", "demo");
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.stderr()).contains("is not valid UTF-8");
        assertThat(tmp.toFile().list()).isEmpty();
    }

    @Test
    void aUtf8DirectoryStillWorks() throws Exception {
        Run r = cxpmIn("café", "C.UTF-8", "init", "--name", "demo");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(tmp.resolve("café/.codex-plugin/plugin.json")).exists();
        assertThat(List.of(tmp.toFile().list())).containsExactly("café");
    }
}
