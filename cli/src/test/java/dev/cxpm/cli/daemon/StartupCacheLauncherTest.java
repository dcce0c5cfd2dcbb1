package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The start-up caches a cold command runs with: on JDK 25+ {@code sync} with arguments and {@code install}
 * run with a JDK AOT cache trained on that command alone (cli/target/cxpm-sync.aot, cxpm-install.aot), {@code sync} with no
 * arguments with a static class-data archive of the same training (cxpm-sync.jsa), every other command with the class-data
 * archive trained on the everyday commands (cli/target/cxpm.jsa); an older JDK runs them with that archive too, and is never asked to write an AOT cache. Each
 * cache is made once, by the first command that uses it. The JDK here is a fake that records its arguments, writes the
 * file a training run names and fails any other run (exit 99).
 */
@ExtendWith(LauncherCheckout.Extension.class)
class StartupCacheLauncherTest {

    Path tmp;
    LauncherCheckout c;

    @BeforeEach
    void checkout(LauncherCheckout checkout) throws Exception {
        c = checkout;
        tmp = c.tmp;
    }

    /** A JDK of this major version whose java records its arguments, writes the cache a training run names and fails otherwise. */
    private Map<String, String> jdk(int major) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("jdk-" + major + "/bin")).getParent();
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + major + ".0.1\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, """
                #!/bin/sh
                echo "$@" >> '%s'
                dump=""
                for a in "$@"; do
                  case "$a" in -XX:AOTCacheOutput=*|-XX:ArchiveClassesAtExit=*|-XX:DumpLoadedClassList=*) : > "${a#*=}"; exit 0 ;; esac
                  case "$a" in -Xshare:dump) dump=1 ;; -XX:SharedArchiveFile=*) archive="${a#*=}" ;; esac
                done
                [ -n "$dump" ] && : > "$archive" && exit 0
                exit 99
                """.formatted(c.coldMark));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> vars = c.noJvm();
        vars.put("JAVA_HOME", home.toString());
        vars.put("CXPM_DAEMON", "0");
        return vars;
    }

    /** Each JVM the launcher started for this command, its arguments as one line. */
    private List<String> jvms(Map<String, String> vars, String... args) throws Exception {
        Files.deleteIfExists(c.coldMark);
        LauncherCheckout.Run run = c.cxpm(vars, args);
        assertThat(run.code()).as(run.err()).isEqualTo(99);
        return Files.readAllLines(c.coldMark);
    }

    /** The JVM that ran the command itself (not a training or a dump). */
    private static String command(List<String> jvms) {
        return jvms.stream().filter(l -> l.contains(" dev.cxpm.cli.Main ")).findFirst().orElseThrow();
    }

    @Test
    void onJdk25SyncAndInstallRunWithAnAotCacheTrainedOnThemAndOtherCommandsWithTheClassDataArchive() throws Exception {
        Map<String, String> vars = jdk(25);
        Path aot = c.root.resolve("cli/target/cxpm-sync.aot");
        Path jsa = c.root.resolve("cli/target/cxpm.jsa");

        List<String> sync = jvms(vars, "sync", "--frozen");
        assertThat(sync).as("the AOT cache trained once, on a sync alone").hasSize(2)
                .first().asString().contains("-XX:AOTCacheOutput=" + aot + ".").endsWith("dev.cxpm.cli.AotTraining sync")
                .as("the JVM refuses an AOT cache beside any -Xshare").doesNotContain("-Xshare");
        assertThat(aot).isRegularFile();
        assertThat(jsa).as("made by the first command that uses it, not by sync").doesNotExist();
        assertThat(command(sync)).contains("-XX:AOTCache=" + aot).doesNotContain("SharedArchiveFile").doesNotContain("-Xshare")
                .as("the class path, not -jar: the launcher's own reading of the jar's manifest cost every cold command ~3 ms of CPU")
                .endsWith("-cp " + c.jar + " dev.cxpm.cli.Main sync --frozen")
                .as("no compiling ahead of need what the training compiled: a sync of one plugin took ~13 ms more CPU with it")
                .contains("-XX:+UnlockDiagnosticVMOptions -XX:+IgnoreUnrecognizedVMOptions -XX:-AOTReplayTraining");

        assertThat(jvms(vars, "sync", "--frozen")).as("not trained again").hasSize(1);
        assertThat(command(jvms(vars, "sync", "--yes"))).as("a script's first sync").contains("-XX:AOTCache=" + aot);

        Path install = c.root.resolve("cli/target/cxpm-install.aot");
        List<String> installs = jvms(vars, "install", "demo@fx");
        assertThat(installs).as("install has its own").hasSize(2).first().asString().endsWith("dev.cxpm.cli.AotTraining install");
        assertThat(command(installs)).contains("-XX:AOTCache=" + install, "-XX:-AOTReplayTraining").doesNotContain("-Xshare");

        List<String> list = jvms(vars, "list");
        assertThat(list).hasSize(2).first().asString().contains("-XX:ArchiveClassesAtExit=" + jsa + ".").endsWith("dev.cxpm.cli.AotTraining");
        assertThat(command(list)).contains("-Xshare:auto", "-XX:SharedArchiveFile=" + jsa).doesNotContain("AOT")
                .endsWith("-cp " + c.jar + " dev.cxpm.cli.Main list");
    }

    /**
     * A plain sync (no arguments) mostly finds nothing to do, and an AOT cache loads every class it holds at start (the no-op needs a
     * third of them): it runs with a static archive of what the sync training loaded, made in two steps (the list of
     * classes the training loaded, then the archive dumped from it), which loads only what is asked for.
     */
    @Test
    void onJdk25APlainSyncRunsWithAStaticArchiveOfTheSyncTraining() throws Exception {
        Map<String, String> vars = jdk(25);
        Path archive = c.root.resolve("cli/target/cxpm-sync.jsa");

        List<String> sync = jvms(vars, "sync");
        assertThat(sync).as("trained once, then dumped").hasSize(3);
        assertThat(sync.get(0)).contains("-XX:DumpLoadedClassList=" + archive + ".").endsWith("dev.cxpm.cli.AotTraining sync");
        assertThat(sync.get(1)).contains("-Xshare:dump", "-XX:SharedArchiveFile=" + archive + ".", "-XX:SharedClassListFile=" + archive + ".");
        assertThat(archive).isRegularFile();
        assertThat(c.root.resolve("cli/target")).as("the list of classes is not left behind")
                .isDirectoryNotContaining(p -> p.getFileName().toString().contains(".tmp"));
        assertThat(command(sync)).contains("-Xshare:auto", "-XX:SharedArchiveFile=" + archive).doesNotContain("AOTCache")
                .endsWith("-cp " + c.jar + " dev.cxpm.cli.Main sync");

        assertThat(jvms(vars, "sync")).as("not trained again").hasSize(1);
        assertThat(c.root.resolve("cli/target/cxpm-sync.aot")).as("only a sync with arguments needs it").doesNotExist();
        assertThat(c.root.resolve("cli/target/cxpm.jsa")).as("nor the everyday archive").doesNotExist();
        assertThat(command(jvms(vars, "sync", "--verify"))).as("reads every installed file: real work").contains("-XX:AOTCache=");
    }

    /**
     * A sync allocates ~70 MB per thousand plugins. With the JVM's default young generation (a third of an initial heap of
     * 1/64 of the machine's memory: 126 MB here, 85 MB on a 16 GB machine) a cold sync of 2,000 plugins collected once
     * here, of 1,000 once on 16 GB, each collection stopping every thread to copy what the sync holds. A sync's JVM starts
     * with half of an initial heap of 1/32 of the memory as its young generation (no collection at 2,000 plugins on
     * 16 GB): still a share of the memory, as a fixed size over a small machine's maximum heap would stop the JVM at start
     * (it could not map the AOT cache's heap objects). The other commands allocate little and keep the JVM's default.
     */
    @Test
    void aSyncStartsWithAYoungGenerationSizedForThousandsOfPluginsAndOtherCommandsWithTheDefault() throws Exception {
        String young = "-XX:InitialRAMPercentage=3.125 -XX:NewRatio=1";
        Map<String, String> vars = jdk(25);
        assertThat(command(jvms(vars, "sync", "--frozen"))).contains(young);
        assertThat(command(jvms(vars, "sync", "--yes"))).contains(young);
        assertThat(command(jvms(vars, "sync"))).as("the no-op with its static archive").contains(young);
        for (String[] other : new String[][] {{"list"}, {"install", "demo@fx"}, {"validate", "."}, {"--version"}}) {
            assertThat(command(jvms(vars, other))).as(String.join(" ", other)).doesNotContain("NewRatio", "RAMPercentage");
        }
        assertThat(command(jvms(jdk(21), "sync", "--frozen"))).as("any JDK").contains(young);
    }

    @Test
    void anOlderJdkRunsSyncWithTheClassDataArchiveAndIsNeverAskedForAnAotCache() throws Exception {
        Map<String, String> vars = jdk(21);
        assertThat(jvms(vars, "install", "demo@fx")).noneMatch(l -> l.contains("AOT")).hasSize(2);
        List<String> sync = jvms(vars, "sync");
        assertThat(sync).noneMatch(l -> l.contains("AOT")).hasSize(1);
        assertThat(command(sync)).contains("-XX:SharedArchiveFile=" + c.root.resolve("cli/target/cxpm.jsa"));
        assertThat(c.root.resolve("cli/target/cxpm-sync.aot")).doesNotExist();
    }
}
