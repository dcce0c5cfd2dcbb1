package dev.cxpm.core.sync.store;

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

        // as phase 2 hands it on: with the parse the lock entry's check made, taken as the file's in the tree
        UnpackedPlugins.Manifest checked = LockedContent.check(locked("demo", "1.2.0"), dir);
        assertThat(checked.parsed()).isNotNull();
        Plugin reused = UnpackedPlugins.of(dir, checked).orElseThrow();
        assertThat(reused.manifestJson().path()).isEqualTo(loaded.manifestJson().path()).isEqualTo(dir.resolve(".codex-plugin/plugin.json"));
        assertThat(reused.manifestJson().text()).isEqualTo(loaded.manifestJson().text());
        assertThat(reused.manifestJson().root()).isEqualTo(loaded.manifestJson().root());
        assertThat(reused.manifest()).isEqualTo(loaded.manifest());
        assertThat(reused.mcpServers()).isEqualTo(loaded.mcpServers());
    }

    private static dev.cxpm.core.lock.LockedPlugin locked(String name, String version) {
        return new dev.cxpm.core.lock.LockedPlugin(name, dev.cxpm.core.resolve.PluginVersion.of(version), "fx",
                new dev.cxpm.core.lock.ResolvedSource.LocalPath("./plugins/" + name), dev.cxpm.core.pack.Integrity.sha512(new byte[0]),
                new java.util.TreeMap<>(), Optional.empty(), Optional.empty());
    }

    @Test
    void aManifestThatIsNotUtf8DeclaresNothingEitherWay() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad/.codex-plugin")).getParent();
        byte[] latin1 = "{\"name\": \"d\u00e9mo\"}".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve(".codex-plugin/plugin.json"), latin1);
        assertThat(UnpackedPlugins.load(dir)).isEmpty();
        assertThat(UnpackedPlugins.of(dir, new UnpackedPlugins.Manifest(ManifestKind.CODEX, latin1))).isEqualTo(Optional.empty());

        // the lock entry's check reads such bytes all the same (its name and version are plain), and hands on no parse of them
        byte[] described = "{\"name\": \"demo\", \"version\": \"1.0.0\", \"description\": \"d\u00e9mo\"}".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve(".codex-plugin/plugin.json"), described);
        UnpackedPlugins.Manifest checked = LockedContent.check(locked("demo", "1.0.0"), dir);
        assertThat(checked.parsed()).isNull();
        assertThat(UnpackedPlugins.of(dir, checked)).isEqualTo(Optional.empty());
    }
}
