package dev.cxpm.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.format.ManifestKind;
import dev.cxpm.core.format.Plugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks after phase 2 read a plugin from the manifest bytes phase 2 read ({@link LockedContent#check}), not from
 * the file again: what they make of them must be what {@link UnpackedPlugins#load} makes of the directory.
 */
class UnpackedPluginsTest {

    @TempDir
    Path tmp;

    @Test
    void aManifestReadInPhaseTwoMakesThePluginLoadingTheDirectoryMakes() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tree/files"));
        Files.createDirectories(dir.resolve(".codex-plugin"));
        byte[] manifest = "{\"name\": \"demo\", \"version\": \"1.2.0\", \"description\": \"d\u00e9mo\"}\n".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(".codex-plugin/plugin.json"), manifest);
        Files.writeString(dir.resolve(".mcp.json"), "{\"mcpServers\": {\"demo\": {\"command\": \"npx\", \"args\": [\"-y\", \"@example/demo\"]}}}\n");

        Plugin loaded = UnpackedPlugins.load(dir).orElseThrow();
        Plugin handed = new UnpackedPlugins(Map.of("demo@fx", dir), Map.of("demo@fx", new UnpackedPlugins.Manifest(ManifestKind.CODEX, manifest)))
                .plugin("demo@fx").orElseThrow();
        assertThat(handed.root()).isEqualTo(loaded.root());
        assertThat(handed.manifest()).isEqualTo(loaded.manifest());
        assertThat(handed.manifestJson().text()).isEqualTo(loaded.manifestJson().text());
        assertThat(handed.effectiveName()).isEqualTo("demo");
        assertThat(handed.version()).isEqualTo(loaded.version()).hasValue("1.2.0");
        assertThat(handed.mcpServers()).isEqualTo(loaded.mcpServers()).containsOnlyKeys("demo");
    }

    @Test
    void aManifestThatIsNotUtf8DeclaresNothingEitherWay() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad/.codex-plugin")).getParent();
        byte[] latin1 = "{\"name\": \"d\u00e9mo\"}".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve(".codex-plugin/plugin.json"), latin1);
        assertThat(UnpackedPlugins.load(dir)).isEmpty();
        assertThat(UnpackedPlugins.of(dir, new UnpackedPlugins.Manifest(ManifestKind.CODEX, latin1))).isEqualTo(Optional.empty());
    }
}
