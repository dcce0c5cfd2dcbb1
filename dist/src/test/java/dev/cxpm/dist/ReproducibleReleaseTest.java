package dev.cxpm.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same commit, same bytes: packing the same cli/target again (jlink included) gives archives with the SHA-512 the
 * package phase wrote, and what is inside carries nothing of the machine or the moment (owner, times, umask). And the
 * runtime has every JDK module jdeps finds cxpm needs. (bench/release-reproducible.sh builds two clean clones.)
 */
class ReproducibleReleaseTest {

    private static final Instant TIMESTAMP = Instant.parse(System.getProperty("cxpm.outputTimestamp", "2026-01-01T00:00:00Z"));

    @TempDir
    Path tmp;

    /**
     * Packed again twice as the package phase packs (ReleaseArchives in a JVM of its own), at the same time so that each
     * runs on a loaded machine, in JVMs whose identity hash codes differ from the package phase's and from each other's:
     * jlink orders the plugins of one category by a HashMap of plugin objects (TaskHelper.PluginsHelper), that is by
     * their identity hash codes, so any difference in a JVM's history (the shifts here; on a build machine, its load)
     * changed which of --strip-debug and generate-jli-classes ran first, and with it 12 classes of java.lang.invoke in
     * runtime/lib/modules and the class-data archives made from it (docs/OPERATIONS.md). Every byte is compared.
     */
    @Test
    void packingAgainGivesTheSameBytesWhateverOrderJlinksPluginsRunIn() throws Exception {
        Path cliTarget = Path.of("..", "cli", "target").toAbsolutePath().normalize();
        String java = ProcessHandle.current().info().command().orElseThrow();
        Map<Path, Process> packs = new LinkedHashMap<>();
        for (int shift : List.of(1, 2)) {
            Path out = Files.createDirectories(tmp.resolve("shift-" + shift));
            packs.put(out, new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    ShiftedIdentityHashes.class.getName(), String.valueOf(shift), ReleaseFixture.VERSION, TIMESTAMP.toString(), cliTarget.toString(),
                    Path.of("..", "cxpm").toAbsolutePath().normalize().toString(), out.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("pack-" + shift + ".log").toFile()).start());
        }
        int n = 0;
        for (Map.Entry<Path, Process> pack : packs.entrySet()) {
            n++;
            assertThat(pack.getValue().waitFor()).as(Files.readString(tmp.resolve("pack-" + n + ".log"))).isZero();
            for (Path built : List.of(ReleaseFixture.portable(), ReleaseFixture.selfContained())) {
                Path again = pack.getKey().resolve(built.getFileName());
                assertThat(differing(contents(again), contents(built))).as("entries of %s that differ from the package phase's", again).isEmpty();
                assertThat(Files.readString(again.resolveSibling(again.getFileName() + ".sha512")))
                        .isEqualTo(Files.readString(built.resolveSibling(built.getFileName() + ".sha512")))
                        .isEqualTo(ReleaseArchives.sha512(built) + "  " + built.getFileName() + "\n");
            }
        }
        assertThat(contents(ReleaseFixture.selfContained())).as("jlink's image and its class-data archives are in it")
                .anyMatch(e -> e.contains("/runtime/lib/modules ")).anyMatch(e -> e.contains("/runtime/lib/server/classes.jsa "));
    }

    /** ReleaseArchives.main after N more identity hash codes on its thread than the package phase's JVM computed. */
    static final class ShiftedIdentityHashes {
        public static void main(String[] args) throws Exception {
            for (int i = Integer.parseInt(args[0]); i > 0; i--) {
                System.identityHashCode(new Object());
            }
            ReleaseArchives.main(Arrays.copyOfRange(args, 1, args.length));
        }
    }

    @Test
    void entriesAreSortedOwnedByRootDatedByTheBuildAndPlainFilesOrDirectories() throws Exception {
        List<String> names = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(ReleaseFixture.selfContained()));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                names.add(e.getName());
                assertThat(e.isDirectory() || e.isFile()).as(e.getName()).isTrue();
                assertThat(e.getName()).startsWith("cxpm-" + ReleaseFixture.VERSION + "/");
                assertThat(e.getLongUserId()).isZero();
                assertThat(e.getLongGroupId()).isZero();
                assertThat(e.getModTime().toInstant()).as(e.getName()).isEqualTo(TIMESTAMP);
                assertThat(e.getMode() & 07777).as(e.getName()).isIn(0755, 0644);
            }
        }
        assertThat(names).isSorted().contains("cxpm-" + ReleaseFixture.VERSION + "/bin/cxpm", "cxpm-" + ReleaseFixture.VERSION + "/cxpm.jar",
                "cxpm-" + ReleaseFixture.VERSION + "/runtime/bin/java", "cxpm-" + ReleaseFixture.VERSION + "/runtime/lib/server/classes.jsa");
        assertThat(names).anyMatch(n -> n.matches("cxpm-[^/]+/lib/sqlite-jdbc-.*\\.jar"));
    }

    /** The entries of one list that are not in the other, either way: what differs between two archives. */
    private static List<String> differing(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a.stream().filter(e -> !b.contains(e)).map(e -> "+ " + e).toList());
        out.addAll(b.stream().filter(e -> !a.contains(e)).map(e -> "- " + e).toList());
        return out;
    }

    /** Each entry's name, mode, time and SHA-512 of its bytes: when two archives differ, the entries that do. */
    private static List<String> contents(Path archive) throws Exception {
        List<String> out = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-512");
                md.update(tar.readAllBytes());
                out.add(e.getName() + " " + Integer.toOctalString(e.getMode()) + " " + e.getModTime().toInstant() + " "
                        + java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16));
            }
        }
        return out;
    }

    /** jdeps over cxpm.jar and lib/: every module it names is in the runtime (service-loaded ones are listed by hand). */
    @Test
    void theRuntimeHasEveryModuleJdepsFinds() throws Exception {
        Path cliTarget = Path.of("..", "cli", "target").toAbsolutePath().normalize();
        List<String> args = new ArrayList<>(List.of("--multi-release", String.valueOf(Runtime.version().feature()), "--ignore-missing-deps",
                "--print-module-deps", "-cp", cliTarget.resolve("lib") + "/*", cliTarget.resolve("cxpm.jar").toString()));
        try (Stream<Path> jars = Files.list(cliTarget.resolve("lib"))) {
            jars.sorted().forEach(j -> args.add(j.toString()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ToolProvider.findFirst("jdeps").orElseThrow()
                .run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(java.io.OutputStream.nullOutputStream()), args.toArray(String[]::new));
        assertThat(code).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        List<String> needed = Arrays.asList(lines[lines.length - 1].strip().split(","));
        assertThat(needed).contains("java.base", "java.sql", "jdk.httpserver");
        assertThat(ReleaseArchives.MODULES).containsAll(needed);
        String release = Files.readString(ReleaseFixture.target().resolve("runtime/release"));
        for (String module : needed) {
            assertThat(release).as("the runtime's modules").containsPattern("MODULES=\"[^\"]*\\b" + module.replace(".", "\\.") + "\\b");
        }
    }
}
