package dev.cxpm.core.codexhome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import dev.cxpm.core.toml.CodexRefusalsTest;
import dev.cxpm.core.toml.CodexRefusalsTest.Shape;
import dev.cxpm.testkit.CodexClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The judge for config.toml's limits: for each shape of key and nesting at Codex's limit and one past it, the real Codex
 * CLI ({@code codex plugin list}) loads the file exactly when cxpm reads it; where Codex refuses it, cxpm refuses it
 * too, naming config.toml, the line and the fix, so it never edits a file Codex will not load.
 */
class CodexTomlLimitsInteropTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void theRealCodexRuns(@TempDir Path dir) {
        CodexClient.Result r = new CodexClient(dir.resolve("codex-home"), dir.resolve("home")).run("--version");
        Assumptions.assumeTrue(r.exitCode() == 0, "the real Codex CLI does not run here (codex-client.sh exit " + r.exitCode() + "): " + r.output());
    }

    static List<Object[]> cases() {
        return CodexRefusalsTest.shapes().stream()
                .flatMap(s -> java.util.stream.Stream.of(new Object[] {s, s.limit()}, new Object[] {s, s.limit() + 1}))
                .toList();
    }

    @ParameterizedTest(name = "{0} of {1}")
    @MethodSource("cases")
    void cxpmReadsAConfigTomlExactlyWhenCodexLoadsIt(Shape shape, int n) throws Exception {
        Path codexHome = tmp.resolve("codex-home");
        Files.createDirectories(codexHome);
        Path config = codexHome.resolve("config.toml");
        String text = shape.text().apply(n);
        Files.writeString(config, text);
        CodexClient.Result codex = new CodexClient(codexHome, tmp.resolve("home")).run("plugin", "list");
        if (n <= shape.limit()) {
            assertThat(codex.exitCode()).as(codex.output()).isZero();
            assertThat(CodexConfig.read(config).text()).isEqualTo(text);
        } else {
            assertThat(codex.exitCode()).as(codex.output()).isNotZero();
            assertThat(codex.stderr()).contains("failed to load configuration").contains("recursi");
            assertThatThrownBy(() -> CodexConfig.read(config)).isInstanceOf(UserError.class)
                    .satisfies(e -> assertThat(((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT))
                    .hasMessageContaining(config + ":" + shape.line() + ":")
                    .hasMessageContaining("Codex refuses ")
                    .hasMessageMatching("(?s).*(with fewer parts|less deeply nested).*");
            assertThat(Files.readString(config)).isEqualTo(text);
        }
    }
}
