package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CxpmProcess;
import dev.cxpm.cli.fixtures.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile cxpm.lock of 16 MiB made of 650,000 tiny tables ({@code [[plugin]] name = "."}, 24 bytes each), read with
 * the heap the warm daemon has (256 MB): its tree took ~15 times the text and the command died out of memory, exit 70
 * ("the daemon stopped") where a JVM of its own said what was wrong. Now it is refused as too big, exit 1, naming the
 * file and line, whatever the heap.
 */
class HugeTomlInTheDaemonsHeapTest {
    @TempDir
    Path tmp;

    @Test
    void aLockOfHundredsOfThousandsOfTinyTablesIsRefusedWithinTheDaemonsHeap() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\nfx = \"../fx\"\n\n[plugins]\napp = \"^1\"\n");
        StringBuilder lock = new StringBuilder(16 << 20).append("version = 2\n");
        for (int i = 0; i < 650_000; i++) {
            lock.append("[[plugin]]\nname = \".\"\n");
        }
        Files.writeString(project.resolve("cxpm.lock"), lock);
        Map<String, String> env = Fixtures.env(tmp.resolve("codex-home"), tmp.resolve("home"));
        Path log = tmp.resolve("log.txt");
        Process p = CxpmProcess.start(List.of("-Xmx256m"), project, env, log, "sync", "--frozen");
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("cxpm.lock:").contains("cxpm reads at most 250,000 keys, values and tables").doesNotContain("OutOfMemory");
    }
}
