package dev.cxpm.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A path's parts are read as split("[/\\\\]") read them: a ".." between slashes or backslashes, nothing else. */
class PluginPathsPartsTest {
    @Test
    void aParentPartIsWhatSplittingOnSlashesFound() {
        for (String path : List.of("", "..", ".", "...", "./..", "./a/../b", "./a\\..\\b", "./a/..", "../a", "./a/..b", "./a/b..", "./..a/b",
                "./a//..//b", "./a/.\\./b", "/..", "..\\", "./a/ ../b", "./a/.. /b", "./a/...")) {
            boolean bySplit = false;
            for (String part : path.split("[/\\\\]")) {
                bySplit |= part.equals("..");
            }
            assertThat(PluginPaths.hasParentPart(path)).as("[%s]", path).isEqualTo(bySplit);
        }
    }
}
