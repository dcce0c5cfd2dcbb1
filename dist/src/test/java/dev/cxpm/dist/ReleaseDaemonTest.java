package dev.cxpm.dist;

import static dev.cxpm.dist.ReleaseFixture.VERSION;
import static dev.cxpm.dist.ReleaseFixture.run;
import static dev.cxpm.dist.ReleaseFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.dist.ReleaseFixture.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release's bin/cxpm keeps the checkout's warm daemon: on a fresh HOME, outside CI and with stdin not a terminal,
 * the first command runs in a JVM of its own and starts a daemon on the release's runtime; the next ones are answered
 * by it, byte for byte as a fresh JVM answers them. Proof that no JVM was started: by then the runtime's
 * {@code bin/java} only leaves a mark and fails (the daemon already runs the real one). No daemon outlives the test.
 */
class ReleaseDaemonTest {

    @TempDir
    Path tmp;
    private Path daemonFile;

    @Test
    void commandsAfterTheFirstAreAnsweredByTheDaemonAsAFreshJvmAnswersThem() throws Exception {
        Path release = ReleaseFixture.unpack(ReleaseFixture.selfContained(), tmp.resolve("opt")).toRealPath();
        Map<String, String> env = user(tmp.resolve("home"), release.resolve("bin"));
        env.remove("CI"); // CI turns the daemon off; a user's shell has no CI

        Map<String, String> where = new HashMap<>(env);
        where.put("CXPM_DAEMON", "where");
        daemonFile = Path.of(run(where, tmp, "cxpm").out().strip());
        assertThat(daemonFile.getFileName().toString()).startsWith("daemon-");
        assertThat(daemonFile).as("no daemon for this release yet").doesNotExist();

        Path work = Files.createDirectories(tmp.resolve("work"));
        Run init = run(env, work, "cxpm", "init", "demo");
        assertThat(init.code()).as(init.all()).isZero();
        waitUntil(() -> Files.isRegularFile(daemonFile) && !daemons().isEmpty());
        assertThat(daemons()).singleElement().satisfies(d -> assertThat(Path.of("/proc", String.valueOf(d.pid()), "exe").toRealPath())
                .as("the daemon runs on the release's own runtime").isEqualTo(release.resolve("runtime/bin/java").toRealPath()));

        Map<String, String> fresh = new HashMap<>(env);
        fresh.put("CXPM_DAEMON", "0");
        // a marketplace of 5,000 entries: `search tool --json --limit 5000` prints 1.2 MB, which the daemon sends in frames as it is written
        Path market = Files.createDirectories(tmp.resolve("big/.agents/plugins"));
        StringBuilder entries = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            entries.append(i == 1 ? "" : ",").append(String.format("{\"name\":\"tool-%04d\",\"source\":\"./plugins/tool-%04d\"}", i, i));
        }
        Files.writeString(market.resolve("marketplace.json"), "{\"name\":\"big\",\"plugins\":[" + entries + "]}");
        Run add = run(fresh, work, "cxpm", "marketplace", "add", tmp.resolve("big").toString());
        assertThat(add.code()).as(add.all()).isZero();

        List<List<String>> commands = List.of(List.of("validate", "demo"), List.of("pack", "demo", "--dry-run", "--json"),
                List.of("list", "--json"), List.of("--version"), List.of("validate", "no-such-plugin"), List.of("search", "tool", "--json", "--limit", "5000"));
        List<Run> expected = new ArrayList<>();
        for (List<String> command : commands) {
            expected.add(cxpm(fresh, work, command));
        }
        assertThat(expected.get(3).out()).isEqualTo("cxpm " + VERSION + "\n");
        assertThat(expected.get(4).code()).as("an error comes back as an error").isNotZero();
        assertThat(expected.get(5).out().length()).as("search's output").isGreaterThan(1_000_000);

        Path java = release.resolve("runtime/bin/java");
        Path coldMark = tmp.resolve("a-jvm-was-started");
        Files.move(java, java.resolveSibling("java.real"));
        Files.writeString(java, "#!/bin/sh\necho \"$@\" >> '" + coldMark + "'\nexit 99\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (int i = 0; i < commands.size(); i++) {
            Run warm = cxpm(env, work, commands.get(i));
            assertThat(coldMark).as("cxpm %s started no JVM", commands.get(i)).doesNotExist();
            assertThat(warm).as("cxpm %s in the daemon and in a fresh JVM", commands.get(i)).isEqualTo(expected.get(i));
        }
    }

    private static Run cxpm(Map<String, String> env, Path cwd, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("cxpm"));
        command.addAll(args);
        return run(env, cwd, command.toArray(String[]::new));
    }

    private List<ProcessHandle> daemons() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("dev.cxpm.cli.daemon.Daemon") && List.of(a).contains(daemonFile.toString()))
                        .orElse(false))
                .toList();
    }

    /** The daemon is detached from the launcher (its parent is init): stop it by its own pid, then its files. */
    @AfterEach
    void noDaemonOutlivesTheTest() throws Exception {
        if (daemonFile == null) {
            return;
        }
        daemons().forEach(ProcessHandle::destroy);
        waitUntil(() -> daemons().isEmpty());
        Files.deleteIfExists(daemonFile);
        Files.deleteIfExists(daemonFile.resolveSibling(daemonFile.getFileName() + ".lock"));
        assertThat(daemons()).as("no daemon left running").isEmpty();
    }

    /** A new daemon runs the everyday commands once before it announces itself: slow on a busy machine. */
    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("reached within 300 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
