package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.testkit.SmallHeapServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: an upload may carry a 50 MiB file (it compresses to 50 KB), and the registry's checks read some files
 * whole. Each file a check reads whole is refused past its cap with a 400 naming the file and the limit; every other
 * file (a README, of which pages keep the head, data beside a skill, a hooks file the validator leaves unread past its
 * own cap) is published without being held in memory. A 64 MiB server (it exits on OutOfMemoryError) takes each in
 * turn: on main a 50 MiB command file, hashed whole for the release's surface, killed it.
 */
class BigFileInUploadTest {

    static final long BIG = 50L << 20;

    static TestArchive with(String name, String path) {
        TestArchive a = new TestArchive();
        if (!path.equals(".codex-plugin/plugin.json")) {
            a.file("package/.codex-plugin/plugin.json", "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"description\":\"A plugin for " + name + ".\"}");
        }
        if (!path.equals("skills/hello/SKILL.md")) {
            a.file("package/skills/hello/SKILL.md", "---\nname: hello\ndescription: Says hello.\n---\nHello.\n");
        }
        return a.zeros("package/" + path, BIG);
    }

    @Test
    void a50MiBFileInsideAnUploadIsRefusedNamingItWhereACheckWouldReadItWholeAndStoredElsewhere(@TempDir Path own) throws Exception {
        Map<String, byte[]> uploads = new LinkedHashMap<>();
        String[] paths = {".codex-plugin/plugin.json", ".mcp.json", "skills/hello/SKILL.md", "README.md", "skills/hello/big.txt",
                "commands/big.md", "hooks/hooks.json", "agents/big.md", ".app.json", "skills/other/SKILL.md"};
        int i = 0;
        for (String p : paths) {
            uploads.put(p, with("big" + i++, p).bytes());
        }
        try (SmallHeapServer server = SmallHeapServer.start(SmallHeapRegistry.class, "64m", own.toString())) {
            Map<String, String> answers = new LinkedHashMap<>();
            for (var e : uploads.entrySet()) {
                HttpResponse<String> r = server.put("/api/v1/plugins", e.getValue());
                answers.put(e.getKey(), r.statusCode() + " " + r.body());
            }
            for (String readWhole : List.of(".codex-plugin/plugin.json", ".mcp.json", "skills/hello/SKILL.md", "commands/big.md", ".app.json",
                    "skills/other/SKILL.md")) {
                assertThat(answers.get(readWhole)).as(readWhole).startsWith("400 ").containsAnyOf("file-too-large", "skill.unreadable")
                        .contains(readWhole).contains("1048576 bytes");
            }
            for (String stored : List.of("README.md", "skills/hello/big.txt", "hooks/hooks.json", "agents/big.md")) {
                assertThat(answers.get(stored)).as(stored).startsWith("201 ");
            }
            assertThat(server.isAlive()).as("the 64 MiB server is still up (it exits on OutOfMemoryError)").isTrue();
        }
    }
}
