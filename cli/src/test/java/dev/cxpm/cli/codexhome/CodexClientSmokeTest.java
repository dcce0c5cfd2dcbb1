package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.testkit.CodexClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Codex CLI runs here: every interoperability test depends on it. */
class CodexClientSmokeTest {
    @TempDir
    Path dir;

    @Test
    void realCodexListsNoMarketplacesInAnEmptyHome() {
        CodexClient codex = new CodexClient(dir.resolve("codex-home"), dir.resolve("home"));
        CodexClient.Result r = codex.run("plugin", "marketplace", "list");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout()).contains("No plugin marketplaces in scope.");
    }
}
