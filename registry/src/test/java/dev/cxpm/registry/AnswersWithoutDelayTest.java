package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server sends its answers without Nagle's delay: the JDK's HTTP server leaves TCP_NODELAY off unless its property
 * says otherwise, and then the last part of an answer over one TCP segment (a page of search results) waits for the
 * client's delayed ACK, about 40 ms. Measured in docs/BENCHMARKS.md; here, that a started server has it on.
 */
class AnswersWithoutDelayTest {

    @TempDir
    Path dir;

    @Test
    void aStartedServerTurnsOffNaglesDelay() throws Exception {
        try (Registry registry = Registry.embedded(dir, Clock.systemUTC());
             RegistryServer server = RegistryServer.start(registry, "127.0.0.1", 0,
                     new RegistryServer.Options(dir.resolve("codex-marketplace.git"), "cxpm-registry"))) {
            assertThat(server).isNotNull();
            assertThat(System.getProperty(dev.cxpm.registry.ops.JdkServerLimits.NO_DELAY)).isEqualTo("true");
        }
    }
}
