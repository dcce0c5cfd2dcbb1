package dev.cxpm.cli.codexhome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.Fixtures;
import dev.cxpm.testkit.GeneratedMarketplace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that read a Codex home's marketplaces, each in a JVM of its own with a 32 MB heap, beside three
 * marketplaces of 100,000 entries (7.9 MB of marketplace.json each, 24 MB in all): a reader holds one marketplace's
 * bytes and one entry's tree at a time, and a project's index keeps, of the home's marketplaces cxpm.toml does not
 * name, the entries it looks up; a search keeps the hits it shows. Before, `search`, `info` and `install` parsed a whole marketplace at once (its text,
 * tree and entries: ~100 MB for one of these) and `outdated` held every home marketplace's entries (24 MB each).
 */
class SmallHeapMarketplacesTest {
    private static final int ENTRIES = 100_000;
    private static final String HEAP = "-Xmx32m";

    @TempDir
    Path tmp;
    Map<String, String> env;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        env = new HashMap<>(Fixtures.env(tmp.resolve("codex-home"), tmp.resolve("home")));
        Path fx = Fixtures.marketplace(tmp.resolve("fx"), "fx", "app", "1.0.0");
        project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("cxpm.toml"), "[marketplaces]\nfx = \"" + "../fx" + "\"\n\n[plugins]\napp = \"^1\"\n");
        assertThat(CliRun.in(project, env, "sync", "--yes").exitCode()).isZero();
        assertThat(fx).isDirectory();
        for (int m = 1; m <= 3; m++) {
            Path root = GeneratedMarketplace.write(tmp.resolve("big-" + m), "big-" + m, ENTRIES);
            assertThat(CliRun.in(tmp, env, "marketplace", "add", root.toString()).exitCode()).isZero();
        }
    }

    @Test
    void searchReadsEachMarketplaceEntryByEntry() throws Exception {
        Ran r = small(tmp, "search", "tool-050000");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("tool-050000@big-1", "tool-050000@big-2", "tool-050000@big-3", "T50000");
    }

    /** Every entry of the three matches (300,000): the search keeps the page it shows (50), and counts the rest. */
    @Test
    void searchMatchingEveryEntryHoldsOnlyThePageItShows() throws Exception {
        Ran r = small(tmp, "search", "tool");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("tool-000001@big-1", "tool-000001@big-3", "tool-000017@big-2",
                "(50 of 300000 matching plugins shown; --limit 100000 shows the most it can; more words narrow the search)");
        assertThat(r.out).doesNotContain("tool-000018@");
        Ran json = small(tmp, "search", "tool", "--json", "--limit", "3");
        assertThat(json.code).as(json.err).isZero();
        assertThat(json.out).contains("\"matched\": 300000", "tool-000001@big-3").doesNotContain("tool-000002@");
    }

    /**
     * Two of the three broken after they were added (the last entry without a source; the closing brackets cut off):
     * each is refused with the error, line and hint a whole read gives, found from its bytes as a stream, not read
     * whole to say it (~100 MB of text, tree and spans each).
     */
    @Test
    void aBrokenMarketplaceIsRefusedWithItsLineWithoutBeingReadWhole() throws Exception {
        Path first = tmp.resolve("big-1/.agents/plugins/marketplace.json");
        String text = Files.readString(first);
        Files.writeString(first, text.replace(",\"source\":\"./plugins/tool-100000\"", ""));
        Path second = tmp.resolve("big-2/.agents/plugins/marketplace.json");
        Files.writeString(second, text.replace("big-1", "big-2").substring(0, text.length() - 4));
        Ran r = small(tmp, "marketplace", "list");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("invalid marketplace file `" + first + "`: plugins[99999] (`tool-100000`): missing field `source` at line 100001",
                second + ":100001:80: invalid JSON: the file ends before the `[` at line 1 column 27 is closed");
        Ran search = small(tmp, "search", "tool-000005");
        assertThat(search.code).as(search.err).isZero();
        assertThat(search.out).contains("tool-000005@big-3").doesNotContain("@big-1", "@big-2");
    }

    @Test
    void infoReadsEachMarketplaceEntryByEntry() throws Exception {
        Ran r = small(tmp, "info", "tool-099999@big-3");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("tool-099999", "big-3", "T99999");
    }

    @Test
    void installOfAMissingNameWalksEveryEntryForTheNearestNames() throws Exception {
        Ran r = small(tmp, "install", "tool-00000x");
        assertThat(r.err).contains("tool-00000x").doesNotContain("OutOfMemoryError", "bug in cxpm");
        assertThat(r.code).isEqualTo(3);
    }

    @Test
    void outdatedKeepsOfTheHomesOtherMarketplacesTheNamesItLooksUp() throws Exception {
        Ran r = small(project, "outdated");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("up to date");
    }

    private record Ran(int code, String out, String err) {
    }

    private Ran small(Path cwd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), HEAP,
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.cxpm.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
