package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.daemon.LauncherCheckout.Run;
import dev.cxpm.testkit.GeneratedMarketplace;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The warm daemon's resident set beside three marketplaces of 100,000 entries (7.9 MB of marketplace.json each), after
 * commands that each read all three: its heap is capped at 256 MB and what a command keeps is a few MB, but the serial
 * collector promotes each marketplace's bytes (held while its entries are walked) and grows the old generation before
 * it collects it, so commands in a row took the heap to its cap (a high-water mark of 316-326 MB resident). The daemon
 * now collects after a command that left the old generation 32 MB fuller than its last full collection.
 */
@ExtendWith(LauncherCheckout.Extension.class)
class DaemonHeapTest {
    private static final int ENTRIES = 100_000;
    /** The heap's cap in the launcher: a daemon resident past it holds at least that much of heap. */
    private static final long HEAP_CAP_KB = 256 * 1024;

    @Test
    void commandsOverLargeMarketplacesInARowDoNotTakeTheDaemonToItsHeapCap(LauncherCheckout c) throws Exception {
        Path tmp = c.tmp;
        c.startDaemon();
        for (int m = 1; m <= 3; m++) {
            Path root = GeneratedMarketplace.write(tmp.resolve("big-" + m), "big-" + m, ENTRIES);
            Run add = c.cxpm(c.noJvm(), "marketplace", "add", root.toString());
            assertThat(add.code()).as(add.err()).isZero();
        }
        long pid = c.daemons().getFirst().pid();
        for (int i = 0; i < 4; i++) {
            Run install = c.cxpm(c.noJvm(), "install", "tool-00000x");
            assertThat(install.code()).as(install.err()).isEqualTo(3);
            Run list = c.cxpm(c.noJvm(), "marketplace", "list");
            assertThat(list.code()).as(list.err()).isZero();
        }
        assertThat(c.daemons()).extracting(ProcessHandle::pid).containsExactly(pid);
        long highWater = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
        assertThat(highWater).as("the daemon's high-water resident set, kB").isLessThan(HEAP_CAP_KB);
    }
}
