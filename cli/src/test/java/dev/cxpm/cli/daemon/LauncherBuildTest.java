package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.ExitCodes;
import dev.cxpm.cli.daemon.LauncherCheckout.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The launcher's first build (issue 11: half a minute or more of Maven): it says what it is doing and about how
 * long, module by module, in plain lines when its output is not a terminal, and a failed build shows Maven's errors.
 * Maven is played by a script in the checkout that prints what Maven prints.
 */
@ExtendWith(LauncherCheckout.Extension.class)
class LauncherBuildTest {

    Path tmp;
    LauncherCheckout c;

    @BeforeEach
    void checkout(LauncherCheckout checkout) throws IOException {
        c = checkout;
        tmp = c.tmp;
        Path source = Files.createDirectories(c.root.resolve("cli/src/main/java")).resolve("Changed.java");
        Files.writeString(source, "class Changed {}\n"); // newer than the jar: the launcher builds first
    }

    @Test
    void aBuildSaysWhatItDoesModuleByModuleInPlainLines() throws Exception {
        maven("""
                echo '[INFO] Scanning for projects...'
                for m in 'cxpm core' 'cxpm cli'; do
                  echo "[INFO] Building $m 0.1.0-SNAPSHOT                                 [$((++i))/2]"
                  echo '[INFO] --- compiler:3.13.0:compile (default-compile) ---'
                done
                touch cli/target/cxpm.jar
                echo '[INFO] BUILD SUCCESS'
                """);
        Run run = c.cxpm(withoutCi(), "--version");
        assertThat(run.err()).contains(
                "cxpm: building from source with Maven (first use or sources changed), about 30 s...\n",
                "cxpm: [1/2] cxpm core (", "cxpm: [2/2] cxpm cli (", "cxpm: built in ");
        assertThat(run.err()).as("no terminal: no spinner, no escapes").doesNotContain("\r", "\033", "compiler:");
        assertThat(c.cxpm(withoutCi(), "--version").err()).as("the second run does not build").doesNotContain("building");
    }

    @Test
    void aFailedBuildShowsMavensErrorsAndWhereItsOutputIs() throws Exception {
        maven("""
                echo '[INFO] Building cxpm cli 0.1.0-SNAPSHOT                                 [1/1]'
                echo '[ERROR] /src/cli/Foo.java:[3,5] cannot find symbol'
                echo '[ERROR] -> [Help 1]'
                exit 1
                """);
        Run run = c.cxpm(withoutCi(), "--version");
        assertThat(run.code()).isEqualTo(ExitCodes.INTERNAL);
        assertThat(run.err()).contains("cxpm: the build failed after ", "[ERROR] /src/cli/Foo.java:[3,5] cannot find symbol",
                c.root.resolve("cli/target/build.log").toString());
        assertThat(run.err()).doesNotContain("[Help 1]");
        assertThat(c.coldMark).as("nothing ran").doesNotExist();
    }

    /**
     * Maven runs on the JDK the launcher chose, where no toolchain is selected (it already matches), so the man pages'
     * step forks {@code java} from PATH: an older default java first on PATH (Debian's 17) failed the first build.
     */
    @Test
    void theBuildFindsTheLaunchersJdkOnPathBeforeAnOlderDefaultJava() throws Exception {
        Path old = Files.createDirectories(tmp.resolve("old-jdk/bin"));
        Files.writeString(old.resolve("java"), "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(old.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        maven("""
                if [ "$(command -v java)" != "$JAVA_HOME/bin/java" ]; then
                  echo "[ERROR] java on PATH is $(command -v java), not $JAVA_HOME/bin/java"; exit 1
                fi
                touch cli/target/cxpm.jar
                echo '[INFO] BUILD SUCCESS'
                """);
        Map<String, String> vars = withoutCi();
        vars.put("PATH", old + ":" + vars.get("PATH"));
        Run run = c.cxpm(vars, "--version");
        assertThat(run.err()).contains("cxpm: built in ").doesNotContain("[ERROR]");
    }

    /**
     * The launcher decides whether to build from the modification times of the sources, read by bash itself (no find):
     * an edited source, a new one and a deleted one (its directory's time) each build again; nothing changed, no build.
     */
    @Test
    void anEditedAddedOrDeletedSourceBuildsAgainAndNothingChangedBuildsNothing() throws Exception {
        maven("""
                echo '[INFO] Building cxpm cli 0.1.0-SNAPSHOT                                 [1/1]'
                touch cli/target/cxpm.jar
                echo '[INFO] BUILD SUCCESS'
                """);
        Path sources = c.root.resolve("cli/src/main/java");
        Path nested = Files.createDirectories(sources.resolve("dev/cxpm/deep"));
        Path kept = Files.writeString(nested.resolve("Kept.java"), "class Kept {}\n");
        assertThat(c.cxpm(withoutCi(), "--version").err()).contains("cxpm: built in ");
        assertThat(c.cxpm(withoutCi(), "--version").err()).as("nothing changed").doesNotContain("building");

        aMinuteOld(c.jar, sources, nested, kept);
        Files.writeString(kept, "class Kept { int edited; }\n"); // an edit in place changes no directory
        assertThat(c.cxpm(withoutCi(), "--version").err()).as("edited").contains("cxpm: built in ");

        aMinuteOld(c.jar, sources, nested, kept);
        Files.delete(sources.resolve("Changed.java"));
        assertThat(c.cxpm(withoutCi(), "--version").err()).as("deleted").contains("cxpm: built in ");

        aMinuteOld(c.jar, sources, nested, kept);
        Files.writeString(Files.createDirectories(c.root.resolve("core")).resolve("pom.xml"), "<project/>\n");
        assertThat(c.cxpm(withoutCi(), "--version").err()).as("a module's pom").contains("cxpm: built in ");
        assertThat(c.cxpm(withoutCi(), "--version").err()).as("built").doesNotContain("building");
    }

    /**
     * Maven leaves cxpm.jar as it was when only core or registry changed (their jars in target/lib are the new ones):
     * the launcher marks the jar built, or every later command would build again.
     */
    @Test
    void aBuildThatLeavesTheJarAsItWasStillCountsAsBuilt() throws Exception {
        maven("""
                echo '[INFO] Building cxpm core 0.1.0-SNAPSHOT                                 [1/1]'
                echo '[INFO] BUILD SUCCESS'
                """);
        aMinuteOld(c.jar);
        assertThat(c.cxpm(withoutCi(), "--version").err()).contains("cxpm: built in ");
        assertThat(c.cxpm(withoutCi(), "--version").err()).as("the second run does not build").doesNotContain("building");
    }

    /**
     * With a warm daemon, the daemon checks the sources before each command instead of bash: an edited source, a new
     * one, a deleted one and a module's pom each still build again before the command runs (in a JVM of its own), and
     * nothing changed runs in the daemon without a build.
     */
    @Test
    void withAWarmDaemonAnEditedAddedOrDeletedSourceOrAPomStillBuildsAgain() throws Exception {
        maven("""
                echo '[INFO] Building cxpm cli 0.1.0-SNAPSHOT                                 [1/1]'
                touch cli/target/cxpm.jar
                echo '[INFO] BUILD SUCCESS'
                """);
        Path sources = c.root.resolve("cli/src/main/java");
        Path nested = Files.createDirectories(sources.resolve("dev/cxpm/deep"));
        Path kept = Files.writeString(nested.resolve("Kept.java"), "class Kept {}\n");
        Files.writeString(Files.createDirectories(c.root.resolve("core")).resolve("pom.xml"), "<project/>\n");
        List<Runnable> changes = List.of(
                () -> write(kept, "class Kept { int edited; }\n"), // in place: no directory changes
                () -> write(nested.resolve("Added.java"), "class Added {}\n"),
                () -> delete(sources.resolve("Changed.java")),
                () -> write(c.root.resolve("core/pom.xml"), "<project><!-- edited --></project>\n"));
        assertThat(c.cxpm(c.env, "--version").err()).as("first use").contains("cxpm: built in ");
        for (Runnable change : changes) {
            LauncherCheckout.waitUntil(() -> Files.isRegularFile(c.daemonFile));
            assertThat(Files.readString(c.daemonFile)).as("the daemon says it checks the sources").endsWith(" sources\n");
            Run unchanged = c.cxpm(c.noJvm(), "--version");
            assertThat(unchanged.err()).as("nothing changed").doesNotContain("building");
            assertThat(unchanged.code()).as("run in the daemon").isZero();
            assertThat(c.coldMark).doesNotExist();

            change.run();
            Run changed = c.cxpm(c.noJvm(), "--version");
            assertThat(changed.err()).as("changed").contains("cxpm: built in ");
            assertThat(changed.code()).as("run in a JVM of its own, after the build").isEqualTo(99);
            Files.delete(c.coldMark);
            assertThat(c.cxpm(c.env, "--version").err()).as("built already").doesNotContain("building"); // starts a new daemon
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Run through a link (~/.local/bin/cxpm), as ./cxpm, through a linked directory or a path with {@code .} in it, the
     * launcher finds the same checkout by its physical path: one daemon per checkout, whatever the spelling.
     */
    @Test
    void everySpellingOfTheLaunchersPathNamesTheSameCheckout() throws Exception {
        maven("touch cli/target/cxpm.jar\n");
        Map<String, String> where = withoutCi();
        where.put("CXPM_DAEMON", "where");
        assertThat(c.cxpm(withoutCi(), "--version").err()).contains("cxpm: built in ");
        Path bin = Files.createDirectories(tmp.resolve("home/.local/bin"));
        Files.createSymbolicLink(bin.resolve("cxpm"), c.launcher);
        Path linkedDir = Files.createSymbolicLink(tmp.resolve("linked-checkout"), c.root);
        String expected = c.daemonFile + "\n";
        assertThat(launch(tmp, bin.resolve("cxpm").toString(), where)).as("through ~/.local/bin/cxpm").isEqualTo(expected);
        assertThat(launch(c.root, "./cxpm", where)).as("./cxpm").isEqualTo(expected);
        assertThat(launch(c.root.resolve("cli"), "../cxpm", where)).as("../cxpm").isEqualTo(expected);
        assertThat(launch(tmp, "checkout/./cxpm", where)).as("checkout/./cxpm").isEqualTo(expected);
        assertThat(launch(tmp, "linked-checkout//cxpm", where)).as("through a linked directory").isEqualTo(expected);
        assertThat(launch(linkedDir, "./cxpm", where)).as("./cxpm in a linked directory").isEqualTo(expected);
    }

    private String launch(Path dir, String script, Map<String, String> vars) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", script, "--version").directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(vars);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private static void aMinuteOld(Path... paths) throws IOException {
        for (Path p : paths) {
            Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(60)));
        }
    }

    private void maven(String script) throws IOException {
        Path mvnw = c.root.resolve("mvnw");
        Files.writeString(mvnw, "#!/usr/bin/env bash\n" + script);
        Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Map<String, String> withoutCi() {
        Map<String, String> vars = new HashMap<>(c.noJvm());
        vars.put("CXPM_DAEMON", "0");
        return vars;
    }
}
