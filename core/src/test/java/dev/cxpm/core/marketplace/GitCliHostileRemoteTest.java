package dev.cxpm.core.marketplace;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.Progress;
import dev.cxpm.core.UserError;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A git remote is whatever a marketplace's manifest or config.toml names: one that accepts the connection and then
 * says nothing must not hold a command for ever, and a token in its URL is never part of what a failure shows.
 */
class GitCliHostileRemoteTest {
    @TempDir
    Path tmp;

    private Map<String, String> env() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("PATH", System.getenv("PATH"));
        return env;
    }

    /** On main git waited on the silent server for ever (the timeout below is only there to end such a run). */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRemoteThatAcceptsAndNeverAnswersEndsTheCloneWithGitsWords() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket s = silent.accept(); // read nothing, answer nothing, close nothing
                        synchronized (held) {
                            held.add(s);
                        }
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/team/plugins.git";
            GitCli git = new GitCli(env(), tmp, Progress.NONE, Duration.ofSeconds(5), Duration.ofSeconds(2));

            assertThatThrownBy(() -> git.clone(url, tmp.resolve("clone")))
                    .isInstanceOf(UserError.class)
                    .hasMessageContaining("git clone --quiet -- " + url + " ")
                    .hasMessageContaining("Operation too slow");
            silent.close();
            acceptor.join();
        } finally {
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /** On main the message began `git clone --quiet -- https://someone:s3cret-token@127.0.0.1:1/...`. */
    @Test
    void aFailedCloneNeverShowsTheTokenInItsUrl() throws Exception {
        String url = "https://someone:s3cret-token@127.0.0.1:1/team/plugins.git";
        GitCli git = new GitCli(env(), tmp);

        assertThatThrownBy(() -> git.clone(url, tmp.resolve("clone")))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("git clone --quiet -- https://127.0.0.1:1/team/plugins.git ")
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("someone");
        assertThatThrownBy(() -> git.run(null, "ls-remote", "--", url, "HEAD"))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("git ls-remote -- https://127.0.0.1:1/team/plugins.git HEAD failed")
                .hasMessageNotContaining("s3cret");
    }
}
