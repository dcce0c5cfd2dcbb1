package dev.cxpm.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cxpm.registry.publish.PluginArchive;
import dev.cxpm.testkit.SmallHeapServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one upload may cost the server is bounded whatever it holds: archives small on the wire and huge
 * expanded, or with hundreds of thousands of entries, are refused quickly with a short answer, and a server
 * with a 64 MiB heap survives them all and keeps publishing.
 */
class ArchiveLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    RunningRegistry r;

    @BeforeEach
    void start() throws IOException {
        r = RunningRegistry.embedded(data);
    }

    @AfterEach
    void stop() {
        r.close();
    }

    @Test
    void entriesBeyondTheDocumentedLimitAreRefusedEvenWhenTheyAreDirectories() throws Exception {
        TestArchive a = TestArchive.plugin("many", "1.0.0");
        for (int i = 0; i < 15_000; i++) {
            a.dir("package/d" + i);
        }
        HttpResponse<String> res = r.publish(r.admin, a.bytes());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        assertThat(res.body()).contains("too-many-entries").contains("10000");
        assertThat(r.get("/api/v1/plugins/many").statusCode()).isEqualTo(404);
    }

    @Test
    void aFileBiggerThanAnInstallAcceptsIsRefusedAtPublish() throws Exception {
        HttpResponse<String> res = r.publish(r.admin, TestArchive.plugin("bigfile", "1.0.0").zeros("package/data.bin", (64L << 20) + 1).bytes());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        assertThat(res.body()).contains("file-too-large").contains("package/data.bin");
    }

    @Test
    void namedPipesAndDevicesInAnArchiveAreRefusedAtPublishNamed() throws Exception {
        // commons-compress calls any entry not a directory a file: a pipe was published, and then no install could unpack it
        HttpResponse<String> res = r.publish(r.admin, TestArchive.plugin("specials", "1.0.0")
                .special("package/skills/hello/fifo", org.apache.commons.compress.archivers.tar.TarConstants.LF_FIFO)
                .special("package/chr", org.apache.commons.compress.archivers.tar.TarConstants.LF_CHR)
                .special("package/blk", org.apache.commons.compress.archivers.tar.TarConstants.LF_BLK).bytes());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        assertThat(res.body()).contains("special-entry").contains("package/skills/hello/fifo").contains("package/chr")
                .contains("package/blk");
        assertThat(r.get("/api/v1/plugins/specials").statusCode()).isEqualTo(404);
    }

    @Test
    void aFloodOfLinksIsCutAtTheEntryLimitWithAShortProblemList() throws Exception {
        TestArchive a = TestArchive.plugin("links", "1.0.0");
        for (int i = 0; i < 50_000; i++) {
            a.symlink("package/l" + i, "/etc/passwd");
        }
        byte[] upload = a.bytes();
        HttpResponse<String> res = r.publish(r.admin, upload);
        assertThat(res.statusCode()).isEqualTo(400);
        JsonNode problems = JSON.readTree(res.body()).path("problems");
        assertThat(problems.size()).isEqualTo(PluginArchive.MAX_PROBLEMS + 2);
        assertThat(problems.get(PluginArchive.MAX_PROBLEMS).path("message").asText()).matches("and \\d+ more problem.*");
        assertThat(problems.get(PluginArchive.MAX_PROBLEMS + 1).path("code").asText()).isEqualTo("too-many-entries");
        assertThat(res.body().length()).isLessThan(32 * 1024);
    }

    @Test
    void hugeGnuLongNamesAndPaxHeadersAreRefusedWithoutReadingThem() throws Exception {
        HttpResponse<String> res = r.publish(r.admin, TestArchive.plugin("longname", "1.0.0").longName(100L << 20).bytes());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        assertThat(res.body()).contains("corrupt-archive").contains("long name");
        HttpResponse<String> pax = r.publish(r.admin, TestArchive.plugin("pax", "1.0.0").paxName(100 << 20).bytes());
        assertThat(pax.statusCode()).as(pax.body()).isEqualTo(400);
        assertThat(pax.body()).contains("corrupt-archive").contains("PAX header");
    }

    /** The numbers: 190 files of 1 MiB in 205 KB, a million links in 2.2 MB; 100 MiB names; one 64 MiB heap. */
    @Test
    void aServerWithA64MiBHeapSurvivesBombsAndKeepsPublishing(@TempDir Path own) throws Exception {
        TestArchive zeros = TestArchive.plugin("zeros", "1.0.0");
        for (int i = 0; i < 190; i++) {
            zeros.zeros("package/skills/s" + i + "/SKILL.md", 1 << 20);
        }
        TestArchive links = TestArchive.plugin("links", "1.0.0");
        for (int i = 0; i < 1_000_000; i++) {
            links.symlink("package/l" + i, "x");
        }
        List<byte[]> bombs = List.of(zeros.bytes(), links.bytes(), TestArchive.plugin("longname", "1.0.0").longName(100L << 20).bytes(),
                TestArchive.plugin("pax", "1.0.0").paxName(100 << 20).bytes());

        try (SmallHeapServer server = SmallHeapServer.start(SmallHeapRegistry.class, "64m", own.toString())) {
            List<Integer> codes = new ArrayList<>();
            for (byte[] bomb : bombs) {
                codes.add(server.put("/api/v1/plugins", bomb).statusCode());
            }
            assertThat(codes).containsExactly(400, 400, 400, 400);
            HttpResponse<String> ok = server.put("/api/v1/plugins", TestArchive.plugin("fine", "1.0.0").bytes());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
            assertThat(server.isAlive()).as("the 64 MiB server is still up (it exits on OutOfMemoryError)").isTrue();
        }
    }
}
