package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), SmallHeapRegistry.class.getName(), own.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            URI url = URI.create(out.readLine().substring(4));
            String token = out.readLine().substring(6);
            HttpClient http = HttpClient.newHttpClient();
            Map<String, String> answers = new LinkedHashMap<>();
            for (var e : uploads.entrySet()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/api/v1/plugins")).PUT(HttpRequest.BodyPublishers.ofByteArray(e.getValue()))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
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
            assertThat(p.isAlive()).as("the 64 MiB server is still up (it exits on OutOfMemoryError)").isTrue();
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
