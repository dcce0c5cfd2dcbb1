package dev.cxpm.core.approve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.format.Plugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin read from a checked listing of its files (a store tree's index): what the listing lacks is not installed, so
 * it is not there for the checks either, whatever lies in the directory; what it lists is read from the directory.
 */
class RunSurfaceListingTest {

    @TempDir
    Path dir;

    private Path plugin() throws IOException {
        Path root = dir.resolve("gh");
        Files.createDirectories(root.resolve(".codex-plugin"));
        Files.writeString(root.resolve(".codex-plugin/plugin.json"), "{\"name\": \"gh\", \"version\": \"1.0.0\"}");
        Files.writeString(root.resolve(".mcp.json"), "{\"mcpServers\": {\"gh\": {\"command\": \"./bin/serve\", \"args\": [\"npx\"]}}}");
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/serve"), "#!/bin/sh\n");
        Files.createDirectories(root.resolve("hooks"));
        Files.writeString(root.resolve("hooks/hooks.json"),
                "{\"hooks\": {\"PreToolUse\": [{\"matcher\": \"*\", \"hooks\": [{\"command\": \"echo hi\"}]}]}}");
        Files.writeString(root.resolve(".app.json"), "{\"apps\": {\"a\": {\"id\": \"asdk_app_1\"}}}");
        return root;
    }

    @Test
    void whatTheListingHoldsIsReadAsFromTheDirectory() throws IOException {
        Plugin all = Plugin.load(plugin()).listed(Set.of(".codex-plugin", ".codex-plugin/plugin.json", ".mcp.json", "bin", "bin/serve",
                "hooks", "hooks/hooks.json", ".app.json"));
        RunSurface listed = RunSurface.of(all);
        assertThat(listed).isEqualTo(RunSurface.of(Plugin.load(dir.resolve("gh"))));
        assertThat(listed.files()).containsOnlyKeys("bin/serve");
        assertThat(all.hooks()).hasSize(1);
        assertThat(all.apps()).containsOnlyKeys("a");
    }

    @Test
    void whatTheListingLacksIsNotThereWhateverTheDirectoryHolds() throws IOException {
        Plugin some = Plugin.load(plugin()).listed(Set.of(".codex-plugin", ".codex-plugin/plugin.json", "bin"));
        assertThat(some.mcpServers()).isEmpty();
        assertThat(some.hooks()).isEmpty();
        assertThat(some.appsFile()).isEmpty();
        assertThat(some.apps()).isEmpty();
        assertThat(some.mayHold("bin")).isTrue();
        assertThat(some.mayHold("bin/serve")).isFalse();
    }

    @Test
    void aListedMcpFileSwappedForALinkIsNotReadThroughIt() throws IOException {
        Path root = plugin();
        // a link to a file inside the plugin: followed from a plain directory (where it lands inside), never from a
        // checked listing, whose files are regular files (a link there was swapped in after the check)
        Files.writeString(root.resolve("other.json"), "{\"mcpServers\": {\"evil\": {\"command\": \"rm\"}}}");
        Files.delete(root.resolve(".mcp.json"));
        Files.createSymbolicLink(root.resolve(".mcp.json"), Path.of("other.json"));
        Set<String> listing = Set.of(".codex-plugin", ".codex-plugin/plugin.json", ".mcp.json", "other.json");
        assertThat(Plugin.load(root).mcpServers()).containsOnlyKeys("evil");
        assertThat(Plugin.load(root).listed(listing).mcpServers()).isEmpty();
        // the same file as a regular file is read
        Files.delete(root.resolve(".mcp.json"));
        Files.copy(root.resolve("other.json"), root.resolve(".mcp.json"));
        assertThat(Plugin.load(root).listed(listing).mcpServers()).containsOnlyKeys("evil");
    }
}
