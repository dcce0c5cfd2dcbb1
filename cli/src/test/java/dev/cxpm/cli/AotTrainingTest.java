package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainings of the AOT caches sync and install start with (AotTraining sync / install): each command of them
 * succeeds, so the cache holds what a sync and an install that work load, not what an early error does.
 */
class AotTrainingTest {

    @Test
    void everyCommandOfTheSyncTrainingSucceeds() throws Exception {
        assertThat(AotTraining.train("sync")).isEmpty();
    }

    @Test
    void everyCommandOfTheInstallTrainingSucceeds() throws Exception {
        assertThat(AotTraining.train("install")).isEmpty();
    }

    /**
     * The daemon warms up with the everyday training (AotTraining.train) in a temp dir; a daemon stopped meanwhile
     * (SIGTERM: the launcher's kill, a rebuilt jar) left that directory behind, one more in the temp dir each time.
     */
    @Test
    @Timeout(120) // bounds a hang; not a measure of speed
    void aTrainingStoppedHalfwayLeavesNoDirectoryBehind(@TempDir Path tmp) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process training = new ProcessBuilder(java.toString(), "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                AotTraining.class.getName())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            while (training.isAlive() && !trainingUnderWay(tmp)) {
                Thread.sleep(5);
            }
            assertThat(training.isAlive()).as("the training still running when stopped").isTrue();
            training.destroy(); // SIGTERM
            assertThat(training.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            training.destroyForcibly();
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("cxpm-aot-")).toList()).isEmpty();
        }
    }

    /**
     * A training killed outright (SIGKILL, the OOM killer, a machine that stops) runs no hook and leaves its directory:
     * the next training removes those over an hour old (a training takes seconds), never a fresh one another JVM is
     * using, and never follows a link.
     */
    @Test
    @Timeout(180) // bounds a hang; not a measure of speed
    void theNextTrainingRemovesWhatAKilledOneLeftButNotAFreshOneNorThroughALink(@TempDir Path tmp, @TempDir Path outside) throws Exception {
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofHours(2)));
        Path killed = Files.createDirectories(tmp.resolve("cxpm-aot-training123/project/skills"));
        Files.writeString(killed.resolve("review.md"), "# Review\n");
        Files.setLastModifiedTime(killed, old);
        Files.setLastModifiedTime(tmp.resolve("cxpm-aot-training123/project"), old);
        Files.setLastModifiedTime(tmp.resolve("cxpm-aot-training123"), old);
        Path empty = Files.setLastModifiedTime(Files.createDirectories(tmp.resolve("cxpm-aot-outside456")), old);
        Path fresh = Files.createDirectories(tmp.resolve("cxpm-aot-training789"));
        Path kept = Files.writeString(outside.resolve("keep.txt"), "keep");
        Files.setLastModifiedTime(outside, old);
        Path link = Files.createSymbolicLink(tmp.resolve("cxpm-aot-training-link"), outside);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process training = new ProcessBuilder(java.toString(), "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                AotTraining.class.getName(), "install")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(training.waitFor(150, TimeUnit.SECONDS)).isTrue();
        } finally {
            training.destroyForcibly();
        }
        assertThat(tmp.resolve("cxpm-aot-training123")).doesNotExist();
        assertThat(empty).doesNotExist();
        assertThat(fresh).isDirectory();
        assertThat(link).isSymbolicLink();
        assertThat(kept).hasContent("keep");
    }

    /** Whether a training directory has its marketplace written: past where the training takes its directory. */
    private static boolean trainingUnderWay(Path tmp) throws java.io.IOException {
        try (Stream<Path> dirs = Files.list(tmp)) {
            List<Path> training = dirs.filter(p -> p.getFileName().toString().startsWith("cxpm-aot-training")).toList();
            return training.stream().anyMatch(d -> Files.exists(d.resolve(".agents/plugins/marketplace.json")));
        }
    }
}
