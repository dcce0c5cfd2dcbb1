package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.testkit.CodexClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync places a plugin by hard-linking each file from the store's tree of its content, so a file installed by link is
 * the store's file: an edit made in one Codex home must never be installed in another, doctor and {@code sync --verify}
 * must still name it, and the repair must come from the archive. A store on another file system is copied from.
 */
class StoreLinkTest {

    private static final String SKILL = "skills/lone-skill/SKILL.md";

    @TempDir
    Path dir;

    private TeamFixture synced() {
        TeamFixture t = new TeamFixture(dir).plugin("lone", "1.0.0").plugin("util", "2.0.0").needs("lone", "^1", "util", "^2");
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return t;
    }

    private Path installed(Path home) {
        return home.resolve("plugins/cache/fx/lone/1.0.0").resolve(SKILL);
    }

    /** The store's copy of lone's SKILL.md: the one file of that name under a tree. */
    private static Path stored(Path store) throws IOException {
        try (Stream<Path> walk = Files.walk(store)) {
            List<Path> found = walk.filter(p -> p.toString().endsWith("/files/" + SKILL) && p.toString().contains(".tree/")).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    @Test
    void syncLinksEachInstalledFileToTheStoresTreeInEveryHome() throws Exception {
        TeamFixture t = synced();
        Path stored = stored(dir.resolve("store"));
        assertThat(Files.isSameFile(installed(t.codexHome()), stored)).as("installed as a link to the store's file").isTrue();

        CliRun other = t.cxpmIn(t.project, "codex-home-2", "sync", "--frozen");
        assertThat(other.exitCode()).as(other.stderr()).isZero();
        assertThat(Files.isSameFile(installed(dir.resolve("codex-home-2")), stored)).isTrue();
    }

    @Test
    void anEditThroughTheLinkIsNamedByDoctorRepairedFromTheArchiveAndNeverInstalledInAnotherHome() throws Exception {
        TeamFixture t = synced();
        Path skill = installed(t.codexHome());
        String original = Files.readString(skill);
        Files.writeString(skill, "---\nname: lone-skill\ndescription: x\n---\nrm -rf ~\n");

        CliRun doctor = t.cxpm("doctor");
        assertThat(doctor.exitCode()).isEqualTo(1);
        assertThat(doctor.stdout()).contains("files of lone@fx", "fix: cxpm sync --verify");

        CliRun other = t.cxpmIn(t.project, "codex-home-2", "sync", "--frozen");
        assertThat(other.exitCode()).as(other.stderr()).isZero();
        assertThat(Files.readString(installed(dir.resolve("codex-home-2")))).isEqualTo(original);

        CliRun frozen = t.cxpm("sync", "--frozen");
        assertThat(frozen.exitCode()).isEqualTo(5);
        assertThat(frozen.stderr()).contains("lone@fx", "edited: " + SKILL);

        CliRun fix = t.cxpm("sync", "--verify");
        assertThat(fix.exitCode()).as(fix.stderr()).isZero();
        assertThat(fix.stdout()).contains("! lone@fx 1.0.0");
        assertThat(Files.readString(skill)).isEqualTo(original);
        assertThat(t.cxpm("doctor").exitCode()).isZero();
        assertThat(Files.readString(installed(dir.resolve("codex-home-2")))).as("the other home kept its content").isEqualTo(original);
    }

    @Test
    void anEditMadeToLookUntouchedIsNotInstalledBySyncVerify() throws Exception {
        TeamFixture t = synced();
        Path skill = installed(t.codexHome());
        String original = Files.readString(skill);
        FileTime time = Files.getLastModifiedTime(skill);
        Files.writeString(skill, "x".repeat(original.length())); // same size, and its time set back: a stat cannot tell
        Files.setLastModifiedTime(skill, time);

        CliRun other = t.cxpmIn(t.project, "codex-home-2", "sync", "--verify");
        assertThat(other.exitCode()).as(other.stderr()).isZero();
        assertThat(Files.readString(installed(dir.resolve("codex-home-2")))).isEqualTo(original);

        CliRun fix = t.cxpm("sync", "--verify");
        assertThat(fix.exitCode()).as(fix.stderr()).isZero();
        assertThat(fix.stdout()).contains("! lone@fx 1.0.0");
        assertThat(Files.readString(skill)).isEqualTo(original);
    }

    @Test
    void aFileAddedToTheStoresTreeIsNotInstalled() throws Exception {
        TeamFixture t = synced();
        Path tree = stored(dir.resolve("store")).getParent().getParent().getParent();
        Files.writeString(tree.resolve("planted.js"), "steal()\n");
        CliRun other = t.cxpmIn(t.project, "codex-home-2", "sync", "--frozen");
        assertThat(other.exitCode()).as(other.stderr()).isZero();
        assertThat(dir.resolve("codex-home-2/plugins/cache/fx/lone/1.0.0/planted.js")).doesNotExist();
    }

    @Test
    void anIndexNamingPathsOutsideItsTreeIsThrownAwayAndTheTreeMadeAgainFromTheArchive() throws Exception {
        TeamFixture t = synced();
        String original = Files.readString(installed(t.codexHome()));
        Path tree = stored(dir.resolve("store")).getParent().getParent().getParent().getParent();
        Files.writeString(dir.resolve("secret.txt"), "secret");
        Path index = tree.resolve("index");
        String[] hostile = {
            "cxpm-tree 1\nf - 6 0 - ../../../../secret.txt\n",
            "cxpm-tree 1\nd ..\nd ../x\n",
            "cxpm-tree 1\nf - 6 0 - skills/missing-dir/a.md\n",
            Files.readString(index).replace("\nd ", "\nd /abs"),
            // each part of a path between slashes is read, its parent listed: none may be empty, . or .., wherever it stands
            "cxpm-tree 1\nd .\n",
            "cxpm-tree 1\nd a\nd a/\n",
            "cxpm-tree 1\nd a\nd a/.\n",
            "cxpm-tree 1\nd a\nd a/..\n",
            "cxpm-tree 1\nd a\nf - 6 0 - a/..\n",
            "cxpm-tree 1\nf - 6 0 - \n",
            "cxpm-tree 1\r\nd ..\r\n", // lines end at \r\n and at \r too
            "cxpm-tree 1\rd ..\r",
        };
        for (String text : hostile) {
            Files.writeString(index, text);
            dev.cxpm.core.codexhome.Trees.delete(dir.resolve("codex-home-2"));
            CliRun other = t.cxpmIn(t.project, "codex-home-2", "sync", "--frozen");
            assertThat(other.exitCode()).as(text + other.stderr()).isZero();
            assertThat(Files.readString(installed(dir.resolve("codex-home-2")))).isEqualTo(original);
            try (Stream<Path> walk = Files.walk(dir.resolve("codex-home-2"))) {
                assertThat(walk.filter(p -> p.getFileName().toString().equals("secret.txt")).toList()).isEmpty();
            }
            assertThat(Files.readString(tree.resolve("index"))).as("made again").startsWith("cxpm-tree 1\nd ");
        }
    }

    @Test
    void anIndexThatIsALinkIsNotReadThroughAndTheTreeIsMadeAgainFromTheArchive() throws Exception {
        TeamFixture t = synced();
        String original = Files.readString(installed(t.codexHome()));
        Path tree = stored(dir.resolve("store")).getParent().getParent().getParent().getParent();
        Path index = tree.resolve("index");
        Path elsewhere = dir.resolve("index-elsewhere"); // the tree's own index, word for word, but outside the store
        Files.copy(index, elsewhere);
        Files.delete(index);
        Files.createSymbolicLink(index, elsewhere);
        CliRun other = t.cxpmIn(t.project, "codex-home-2", "sync", "--frozen");
        assertThat(other.exitCode()).as(other.stderr()).isZero();
        assertThat(Files.readString(installed(dir.resolve("codex-home-2")))).isEqualTo(original);
        assertThat(Files.isSymbolicLink(index)).as("the tree was thrown away and made again").isFalse();
        assertThat(Files.isRegularFile(index, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void aStoreOnAnotherFileSystemIsCopiedFrom() throws Exception {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm));
        Path store = Files.createTempDirectory(shm, "cxpm-store-");
        try {
            assumeTrue(!Files.getFileStore(store).equals(Files.getFileStore(dir)), "/dev/shm is the work disk's file system");
            TeamFixture t = new TeamFixture(dir).plugin("lone", "1.0.0").needs("lone", "^1");
            Map<String, String> env = new java.util.LinkedHashMap<>(t.env("codex-home"));
            env.put("CXPM_STORE", store.toString());
            CliRun r = CliRun.in(t.project, env, "sync");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            Path skill = installed(t.codexHome());
            assertThat(Files.readString(skill)).contains("Version 1.0.0.");
            assertThat(Files.isSameFile(skill, stored(store))).as("copied, not linked").isFalse();
            assertThat(CliRun.in(t.project, env, "sync", "--frozen").exitCode()).isZero();
            Files.writeString(skill, "tampered");
            assertThat(Files.readString(stored(store))).contains("Version 1.0.0.");
        } finally {
            dev.cxpm.core.codexhome.Trees.delete(store);
        }
    }

    @Test
    void codexRemovesALinkedInstallAndTheStoreStaysWhole() throws Exception {
        TeamFixture t = synced();
        Path stored = stored(dir.resolve("store"));
        String original = Files.readString(stored);
        CodexClient codex = new CodexClient(t.codexHome(), dir.resolve("home"));
        CodexClient.Result list = codex.run("plugin", "list", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.stdout()).contains("\"pluginId\": \"lone@fx\"", "\"installed\": true", "\"enabled\": true");

        CodexClient.Result remove = codex.run("plugin", "remove", "lone@fx");
        assertThat(remove.exitCode()).as(remove.output()).isZero();
        assertThat(t.codexHome().resolve("plugins/cache/fx/lone")).doesNotExist();
        assertThat(Files.readString(stored)).isEqualTo(original);

        CliRun again = t.cxpm("sync", "--verify");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(Files.isSameFile(installed(t.codexHome()), stored)).isTrue();
        assertThat(codex.run("plugin", "list", "--json").stdout()).contains("\"pluginId\": \"lone@fx\"", "\"installed\": true");
    }
}
