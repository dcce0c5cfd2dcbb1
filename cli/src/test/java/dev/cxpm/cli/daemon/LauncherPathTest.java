package dev.cxpm.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A launcher whose jar's path holds a ':' (Java's class path separator, which no class path can escape, -jar's
 * included): Java would split it into two entries, the second relative to the current directory, and run whatever
 * dev.cxpm.cli.Main a directory the user stands in holds. The launcher refuses to start a JVM there.
 */
@ExtendWith(LauncherCheckout.Extension.class)
class LauncherPathTest {

    @Test
    void aJarPathWithAColonStartsNoJvm(@LauncherCheckout.In("a:b") LauncherCheckout c) throws Exception {
        Map<String, String> vars = c.noJvm();
        vars.put("CXPM_DAEMON", "0");
        for (String command : new String[] {"list", "serve", "--version"}) {
            LauncherCheckout.Run run = c.cxpm(vars, command);
            assertThat(run.code()).as(run.err()).isNotEqualTo(99).isNotZero();
            assertThat(run.err()).contains("':'");
            assertThat(c.coldMark).as("no JVM started for %s", command).doesNotExist();
        }
    }
}
