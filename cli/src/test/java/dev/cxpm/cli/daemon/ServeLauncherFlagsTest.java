package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./cxpm serve}, as users run it, gets a bounded heap and the serial collector (an unbounded JVM kept 1.06 to
 * 1.40 GB RSS for a 30 MB live heap), and CXPM_SERVE_JAVA_OPTS replaces them; other commands keep their own flags.
 */
@ExtendWith(LauncherCheckout.Extension.class)
class ServeLauncherFlagsTest {

    Path tmp;
    LauncherCheckout c;

    @BeforeEach
    void checkout(LauncherCheckout checkout) throws Exception {
        c = checkout;
        tmp = c.tmp;
    }

    /** The flags of the JVM the launcher ran the command in (the fake JDK records them and exits 99). */
    private String jvmFlags(Map<String, String> vars, String... args) throws Exception {
        Files.deleteIfExists(c.coldMark);
        LauncherCheckout.Run run = c.cxpm(vars, args);
        assertThat(run.code()).as(run.err()).isEqualTo(99);
        return Files.readAllLines(c.coldMark).stream().filter(l -> l.contains("-jar")).findFirst().orElseThrow();
    }

    @Test
    void serveRunsWithABoundedHeapAndTheSerialCollectorByDefault() throws Exception {
        Map<String, String> vars = c.noJvm();
        vars.put("CXPM_DAEMON", "0");
        assertThat(jvmFlags(vars, "serve", "--port", "0")).contains("-Xmx256m").contains("-XX:+UseSerialGC").doesNotContain("TieredStopAtLevel");
        assertThat(jvmFlags(vars, "token", "list")).doesNotContain("-Xmx256m");
    }

    @Test
    void cxpmServeJavaOptsReplacesTheServerFlags() throws Exception {
        Map<String, String> vars = c.noJvm();
        vars.put("CXPM_DAEMON", "0");
        vars.put("CXPM_SERVE_JAVA_OPTS", "-Xmx1g -XX:+UseG1GC");
        assertThat(jvmFlags(vars, "serve")).contains("-Xmx1g -XX:+UseG1GC").doesNotContain("-Xmx256m").doesNotContain("UseSerialGC");
    }
}
