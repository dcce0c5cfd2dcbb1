package dev.cxpm.core.codexhome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import dev.cxpm.testkit.NamedPipes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Codex home's lock: its wait comes from the environment, its file from a directory others may have written in. */
class HomeLockTest {

    @TempDir
    Path tmp;

    /** CXPM_LOCK_TIMEOUT=1e400 (or any wait past what a Duration holds in nanoseconds) was an ArithmeticException: exit 70. */
    @Test
    void aLockWaitThatIsNotAFiniteNumberOfSecondsIsAUsageErrorNeverAnOverflow() {
        for (String bad : new String[] {"1e400", "Infinity", "-Infinity", "NaN", "99999999999999", "9.3e15", "-1", "x"}) {
            assertThatThrownBy(() -> HomeLock.timeoutFrom(bad)).as(bad).isInstanceOf(UserError.class)
                    .hasMessageContaining("CXPM_LOCK_TIMEOUT").extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.USAGE);
        }
        assertThat(HomeLock.timeoutFrom(null)).isEqualTo(Duration.ofSeconds(60));
        assertThat(HomeLock.timeoutFrom(" 2.5 ")).isEqualTo(Duration.ofMillis(2500));
        assertThat(HomeLock.timeoutFrom("0")).isEqualTo(Duration.ZERO);
        assertThat(HomeLock.timeoutFrom("31536000")).isEqualTo(Duration.ofDays(365));
    }

    /** A named pipe where the lock file goes blocked its open for writing until a reader came: forever. */
    @Test
    @Timeout(60) // bounds a hang; not a measure of speed
    void aLockFileThatIsANamedPipeOrALinkIsRefusedNamingItNotWaitedOnOrFollowed() throws Exception {
        CodexHome home = new CodexHome(tmp.resolve("home"));
        Files.createDirectories(home.dir());
        NamedPipes pipes = new NamedPipes(Assumptions::abort);
        try {
            pipes.make(home.lockFile());
            CompletableFuture<Throwable> locked = CompletableFuture.supplyAsync(() -> {
                try {
                    HomeLock.acquire(home, Duration.ofSeconds(1)).close();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Throwable t = locked.get(30, TimeUnit.SECONDS);
            assertThat(t).isInstanceOf(UserError.class).hasMessageContaining(home.lockFile().toString()).hasMessageContaining("regular file");
        } finally {
            pipes.release();
        }
        Files.delete(home.lockFile());
        Path target = tmp.resolve("elsewhere");
        Files.createSymbolicLink(home.lockFile(), target);
        assertThatThrownBy(() -> HomeLock.acquire(home, Duration.ofSeconds(1))).isInstanceOf(UserError.class)
                .hasMessageContaining(home.lockFile().toString());
        assertThat(target).doesNotExist();
        Files.delete(home.lockFile());
        HomeLock.acquire(home, Duration.ofSeconds(1)).close(); // an ordinary one still works
    }
}
