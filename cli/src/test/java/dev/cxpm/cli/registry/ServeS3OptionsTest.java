package dev.cxpm.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxpm serve --blobs s3://...}: what is refused before the server starts (S3 itself: the registry module's tests, and ServeS3EndToEndTest). */
class ServeS3OptionsTest {

    @TempDir
    Path tmp;

    private static final Map<String, String> CREDS = Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "s");

    @Test
    void blobsWithoutCredentialsIsAUsageErrorNamingTheVariables() {
        CliRun r = CliRun.in(tmp, Map.of(), "serve", "--port", "0", "--data", "d", "--blobs", "s3://bucket/p");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("AWS_ACCESS_KEY_ID").contains("AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void blobsThatIsNotAnS3LocationIsAUsageError() {
        CliRun r = CliRun.in(tmp, CREDS, "serve", "--port", "0", "--data", "d", "--blobs", "/var/blobs");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("s3://BUCKET");
    }

    @Test
    void anEndpointThatIsNotHttpIsAUsageError() {
        CliRun r = CliRun.in(tmp, CREDS, "serve", "--port", "0", "--data", "d", "--blobs", "s3://b", "--s3-endpoint", "ftp://x");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("--s3-endpoint");
    }

    @Test
    void anUnreachableEndpointIsANetworkErrorBeforeServing() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        CliRun r = CliRun.in(tmp, CREDS, "serve", "--port", "0", "--data", "d", "--blobs", "s3://b",
                "--s3-endpoint", "http://127.0.0.1:" + port);
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(4);
        assertThat(r.stderr()).contains("blob store").doesNotContain("Exception");
    }
}
