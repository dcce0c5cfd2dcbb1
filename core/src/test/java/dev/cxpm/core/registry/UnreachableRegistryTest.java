package dev.cxpm.core.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each way a registry cannot be reached has its own words: an unknown host is not "connection refused". */
class UnreachableRegistryTest {

    @Test
    void anUnknownHostIsCalledOne() {
        // RFC 2606: a .invalid name never resolves
        assertThatThrownBy(() -> new RegistryClient(URI.create("http://cxpm-test.invalid:4873"), null).index("demo", Optional.empty()))
                .isInstanceOf(UserError.class)
                .hasMessage("cannot reach the registry at http://cxpm-test.invalid:4873: unknown host cxpm-test.invalid")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((UserError) e).hint()).contains("address"));
    }

    @Test
    void aStoppedServerIsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> new RegistryClient(URI.create("http://127.0.0.1:" + port), null).index("demo", Optional.empty()))
                .isInstanceOf(UserError.class)
                .hasMessage("cannot reach the registry at http://127.0.0.1:" + port + ": connection refused");
    }
}
