package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.registry.index.SigningKeys;
import dev.cxpm.registry.storage.backup.BackupException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import dev.cxpm.testkit.NamedPipes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the registry reads from its own data directory or an operator's export, left a named pipe (whose open waits
 * for a writer, forever) or far larger than any it writes: each is refused naming the file (and the limit), in bounded
 * memory and time. Each test runs in a thread of its own under a timeout: a thread blocked in open() ignores interrupts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpecialOperatorFilesTest {
    @TempDir
    Path tmp;

    private final NamedPipes pipes = new NamedPipes(Assumptions::abort);

    @AfterEach
    void releaseBlockedReaders() {
        pipes.release();
    }

    private static Path sparse(Path file, long bytes) throws IOException {
        Files.createDirectories(file.getParent());
        try (var f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return file;
    }

    @Test
    void aSigningKeyThatIsAPipeOrHugeIsRefusedNamingIt() throws Exception {
        Path pipe = pipes.make(tmp.resolve("signing-key.json"));
        assertThatThrownBy(() -> SigningKeys.loadOrCreate(pipe, Instant.now())).hasMessageContaining(pipe.toString())
                .hasMessageContaining("must be a regular file");
        Path huge = sparse(tmp.resolve("huge-key.json"), 3L << 30);
        assertThatThrownBy(() -> SigningKeys.load(huge)).isNotInstanceOf(OutOfMemoryError.class)
                .hasMessageContaining(huge.toString()).hasMessageContaining("larger than");
        assertThatThrownBy(() -> SigningKeys.rotate(huge, Instant.now())).hasMessageContaining(huge.toString())
                .hasMessageContaining("larger than");
    }

    @Test
    void anExportWhoseManifestIsAPipeOrWhoseBlobIsHugeIsRefusedNamingItAndNothingImported() throws Exception {
        Path dump = RegistryBackupTest.exported(tmp);
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Path blob;
        try (Stream<Path> s = Files.list(dump.resolve("blobs"))) {
            blob = s.findFirst().orElseThrow();
        }
        Files.delete(blob);
        sparse(blob, 3L << 30); // hashed whole, it took the time of reading 3 GB before its refusal
        BackupException e = RegistryBackupTest.importInto(dump, dst);
        assertThat(e.kind()).isEqualTo(BackupException.Cause.INVALID_EXPORT);
        assertThat(e.getMessage()).contains("blobs/" + blob.getFileName()).contains("larger than");

        Files.delete(dump.resolve("manifest.json"));
        pipes.make(dump.resolve("manifest.json"));
        assertThat(RegistryBackupTest.importInto(dump, dst).getMessage()).contains("manifest.json");
    }

    @Test
    void aHugeFileInTheCodexViewsRepositoryIsServedStreamedAndAPipeIsNotOpened() throws Exception {
        try (RunningRegistry r = RunningRegistry.embedded(tmp.resolve("data"))) {
            assertThat(r.get("/codex/marketplace.git/info/refs").statusCode()).isEqualTo(200); // the view is built
            Path git = r.data.resolve("codex-marketplace.git");
            sparse(git.resolve("objects/pack/pack-abababababababababababababababababababab.pack"), 3L << 30); // read whole, it ran the server out of memory
            pipes.make(git.resolve("objects/info/alternates"));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<InputStream> big = http.send(HttpRequest.newBuilder(r.server.url().resolve(
                    "/codex/marketplace.git/objects/pack/pack-abababababababababababababababababababab.pack")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(big.statusCode()).isEqualTo(200);
            assertThat(big.headers().firstValueAsLong("Content-Length")).hasValue(3L << 30);
            try (InputStream body = big.body()) {
                assertThat(body.readNBytes(1 << 20)).hasSize(1 << 20).containsOnly(0);
            }
            HttpResponse<String> piped = http.send(HttpRequest.newBuilder(r.server.url().resolve(
                    "/codex/marketplace.git/objects/info/alternates")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(piped.statusCode()).isEqualTo(404);
        }
    }
}
