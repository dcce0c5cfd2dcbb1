package dev.cxpm.core.toml;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.project.ProjectManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cxpm.toml is cxpm's file, which Codex never reads: TOML past what Codex's reader takes (a key of 81 parts, values 81
 * deep, an escape of a surrogate) is refused there in cxpm's words, what is wrong and how to write it instead, not
 * "Codex refuses ..."; in Codex's own config.toml it is still Codex that refuses it.
 */
class CxpmFileRefusalWordsTest {

    private static final Map<String, String> TEXTS = Map.of(
            "a key of more than 80 dotted parts (a [header] or a.b.c key): cxpm reads at most 80; write the key with fewer parts",
            "[plugins]\n" + CodexRefusalsTest.key(81, "a") + " = \"1.0.0\"\n",
            "arrays and inline tables nested more than 80 deep: cxpm reads at most 80 levels; write the value less deeply nested",
            "[plugins]\nx = " + "[".repeat(81) + "]".repeat(81) + "\n",
            "not valid TOML: an escape of a surrogate (TOML takes Unicode scalar values only); write the character itself",
            "[plugins]\nx = \"\\ud800\"\n");

    @Test
    void cxpmTomlIsRefusedInCxpmsWordsNamingTheLine(@TempDir Path project) throws Exception {
        for (Map.Entry<String, String> e : TEXTS.entrySet()) {
            Files.writeString(project.resolve("cxpm.toml"), e.getValue());
            assertThatThrownBy(() -> ProjectManifest.read(project)).as(e.getKey()).isInstanceOf(UserError.class)
                    .hasMessageStartingWith(project.resolve("cxpm.toml") + ":2:").hasMessageEndingWith(": " + e.getKey())
                    .hasMessageNotContaining("Codex");
        }
    }

    @Test
    void codexsConfigTomlStillSaysCodexRefusesIt(@TempDir Path home) throws Exception {
        Path config = home.resolve("config.toml");
        Files.writeString(config, TEXTS.get(TEXTS.keySet().stream().filter(k -> k.startsWith("a key")).findFirst().orElseThrow()));
        assertThatThrownBy(() -> CodexConfig.read(config)).isInstanceOf(UserError.class)
                .hasMessageContaining(config + ":2:1: Codex refuses a key of more than 80 dotted parts (a [header] or a.b.c key): its TOML"
                        + " reader takes at most 80 and refuses the whole file; write the key with fewer parts");
    }
}
