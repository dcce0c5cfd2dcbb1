package dev.cxpm.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** isInside answers the same with or without links on the way: only where a path really is counts. */
class PluginPathsInsideTest {
    @TempDir
    Path tmp;

    @Test
    void aPathIsInsideOnlyWhereItReallyIsWhateverLinksLieOnTheWay() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("plugin"));
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(outside.resolve("secret"), "s");
        Files.createDirectories(root.resolve("skills/a"));
        Files.writeString(root.resolve("skills/a/SKILL.md"), "x");
        Files.createSymbolicLink(root.resolve("out"), outside);                  // a directory link leaving the root
        Files.createSymbolicLink(root.resolve("secret.md"), outside.resolve("secret")); // a file link leaving it
        Files.createSymbolicLink(root.resolve("in"), root.resolve("skills"));    // a link that stays inside
        Path linkedRoot = Files.createSymbolicLink(tmp.resolve("linked-plugin"), root);

        assertThat(PluginPaths.isInside(root, root.resolve("skills/a/SKILL.md"))).isTrue();
        assertThat(PluginPaths.isInside(root, root.resolve("skills"))).isTrue();
        assertThat(PluginPaths.isInside(root, root)).isTrue();
        assertThat(PluginPaths.isInside(root, root.resolve("in/a/SKILL.md"))).isTrue();
        assertThat(PluginPaths.isInside(linkedRoot, linkedRoot.resolve("skills/a/SKILL.md"))).as("the root itself a link").isTrue();
        assertThat(PluginPaths.isInside(root, root.resolve("out/secret"))).isFalse();
        assertThat(PluginPaths.isInside(root, root.resolve("secret.md"))).isFalse();
        assertThat(PluginPaths.isInside(linkedRoot, linkedRoot.resolve("out/secret"))).isFalse();
        assertThat(PluginPaths.isInside(root, root.resolve("skills/../../elsewhere/secret"))).as("named below, but not").isFalse();
        assertThat(PluginPaths.isInside(root, root.resolve("skills/missing.md"))).isFalse();
        assertThat(PluginPaths.isInside(root, outside.resolve("secret"))).isFalse();
    }
}
