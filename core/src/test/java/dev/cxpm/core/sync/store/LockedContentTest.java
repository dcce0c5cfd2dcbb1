package dev.cxpm.core.sync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.ResolvedSource;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.resolve.PluginVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock entry is checked against the manifest of its content: read from the tree, or, for a tree the packer wrote a
 * moment ago, taken from the bytes it kept as it packed them (what the integrity was computed over).
 */
class LockedContentTest {
    @TempDir
    Path dir;

    private static LockedPlugin locked(String name, String version) {
        return new LockedPlugin(name, PluginVersion.of(version), "fx", new ResolvedSource.LocalPath("./plugins/" + name),
                Integrity.sha512(new byte[0]), new TreeMap<>(), Optional.empty(), Optional.empty());
    }

    private static byte[] manifest(String name, String version) {
        return ("{\"name\": \"" + name + "\", \"version\": \"" + version + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private Path treeWith(String name, String version) throws IOException {
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve(".codex-plugin"));
        Files.write(tree.resolve(".codex-plugin/plugin.json"), manifest(name, version));
        return tree;
    }

    @Test
    void theTreeOnDiskIsReadWhenNothingWasKept() throws IOException {
        Path tree = treeWith("lone", "1.1.0");
        LockedContent.check(locked("lone", "1.1.0"), tree);
        assertThatThrownBy(() -> LockedContent.check(locked("lone", "1.0.0"), tree))
                .isInstanceOf(UserError.class).hasMessageContaining("cxpm.lock says lone 1.0.0", "lone 1.1.0");
    }

    @Test
    void theManifestsThePackerKeptAreCheckedWithoutReadingTheTree() throws IOException {
        Path tree = treeWith("lone", "9.9.9"); // not what was packed: the kept bytes are the ones checked
        Map<String, byte[]> kept = Map.of(".codex-plugin/plugin.json", manifest("lone", "1.1.0"));
        LockedContent.check(locked("lone", "1.1.0"), tree, kept);
        assertThatThrownBy(() -> LockedContent.check(locked("lone", "1.0.0"), tree, kept))
                .isInstanceOf(UserError.class).hasMessageContaining("cxpm.lock says lone 1.0.0", "lone 1.1.0");
        assertThatThrownBy(() -> LockedContent.check(locked("other", "1.1.0"), tree, kept))
                .isInstanceOf(UserError.class).hasMessageContaining("is plugin `lone`");
    }

    @Test
    void aManifestTooBigToKeepIsReadFromTheTreeAndOneNotPackedIsNone() throws IOException {
        Path tree = treeWith("lone", "1.1.0");
        Map<String, byte[]> tooBig = new HashMap<>();
        tooBig.put(".codex-plugin/plugin.json", null);
        LockedContent.check(locked("lone", "1.1.0"), tree, tooBig);
        assertThatThrownBy(() -> LockedContent.check(locked("lone", "1.1.0"), tree, Map.of()))
                .isInstanceOf(UserError.class).hasMessageContaining("has no plugin manifest");
    }

    private static StoreTree indexed(Path files, String path, long size) {
        return new StoreTree(files, java.util.List.of(".codex-plugin"),
                java.util.List.of(new StoreTree.File(path, false, size, 0L, "-")));
    }

    @Test
    void aCheckedTreesIndexSaysWhichManifestsItHoldsAndTheirSize() throws IOException {
        Path tree = treeWith("lone", "1.1.0");
        long size = Files.size(tree.resolve(".codex-plugin/plugin.json"));
        UnpackedPlugins.Manifest read = LockedContent.check(locked("lone", "1.1.0"), indexed(tree, ".codex-plugin/plugin.json", size));
        // UTF-8: kept parsed, its text the file's, and its bytes not kept beside the parse
        assertThat(read.parsed().text()).isEqualTo(new String(manifest("lone", "1.1.0"), StandardCharsets.UTF_8));
        assertThat(read.bytes()).isNull();
        assertThatThrownBy(() -> LockedContent.check(locked("lone", "1.0.0"), indexed(tree, ".codex-plugin/plugin.json", size)))
                .isInstanceOf(UserError.class).hasMessageContaining("cxpm.lock says lone 1.0.0", "lone 1.1.0");
        // a manifest the index does not list is not placed, so it is none, whatever lies in the tree's directory
        assertThatThrownBy(() -> LockedContent.check(locked("lone", "1.1.0"), indexed(tree, "README.md", 1)))
                .isInstanceOf(UserError.class).hasMessageContaining("has no plugin manifest");
    }

    @Test
    void aManifestNotAsIndexedWhenReadIsReadAsAnyDirectorysAndALinkIsNone() throws IOException {
        Path tree = treeWith("lone", "1.2.0"); // rewritten since the index was made: another size
        LockedContent.check(locked("lone", "1.2.0"), indexed(tree, ".codex-plugin/plugin.json", 3));
        Path outside = Files.write(dir.resolve("elsewhere.json"), manifest("lone", "1.2.0"));
        Files.delete(tree.resolve(".codex-plugin/plugin.json"));
        Files.createSymbolicLink(tree.resolve(".codex-plugin/plugin.json"), outside);
        assertThatThrownBy(() -> LockedContent.check(locked("lone", "1.2.0"), indexed(tree, ".codex-plugin/plugin.json", Files.size(outside))))
                .isInstanceOf(UserError.class).hasMessageContaining("has no plugin manifest");
    }
}
