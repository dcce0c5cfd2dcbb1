package dev.cxpm.core.sync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.codexhome.Trees;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Packer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local plugin directory is taken as the content it packed to only while every file the pack holds looks as it did
 * before that pack: any edit, even one that keeps the size and sets the modification time back, means a pack again.
 */
class LocalPacksTest {

    @TempDir
    Path tmp;
    Store store;
    Path plugin;
    LocalPacks packs;

    @BeforeEach
    void plugin() throws Exception {
        store = new Store(tmp.resolve("store"));
        packs = new LocalPacks(store, Clock.systemUTC());
        plugin = tmp.resolve("p");
        Files.createDirectories(plugin.resolve(".codex-plugin"));
        Files.writeString(plugin.resolve(".codex-plugin/plugin.json"), "{\"name\": \"p\", \"version\": \"1.0.0\"}");
        Files.createDirectories(plugin.resolve("skills/s"));
        Files.writeString(plugin.resolve("skills/s/SKILL.md"), "---\nname: s\ndescription: d\n---\n");
    }

    /** What a sync does with a local plugin: looks, packs, records. */
    private Integrity packed() {
        LocalPacks.Look look = packs.look(new Packer().list(plugin)).orElseThrow();
        Integrity integrity = store.add(plugin);
        packs.packed(look, integrity);
        return integrity;
    }

    private Optional<Integrity> again() {
        return packs.look(new Packer().list(plugin)).flatMap(packs::packedTo);
    }

    private void settle() throws InterruptedException {
        Thread.sleep(LocalPacks.SETTLED_NANOS / 1_000_000 + 100); // files older than a look trusts (file system clocks are coarse)
    }

    @Test
    void anUnchangedDirectoryIsTakenAsTheContentItPackedTo() throws Exception {
        settle();
        Integrity integrity = packed();
        assertThat(again()).contains(integrity);

        Files.delete(store.blob(integrity)); // the store lost it: packed again, not taken on the record's word
        assertThat(again()).isEmpty();
    }

    @Test
    void aFileRewrittenWithItsSizeAndModificationTimeKeptIsPackedAgain() throws Exception {
        settle();
        Path skill = plugin.resolve("skills/s/SKILL.md");
        FileTime before = Files.getLastModifiedTime(skill);
        packed();
        Files.writeString(skill, "---\nname: s\ndescription: D\n---\n"); // as `cp -p` of an edited copy would leave it
        Files.setLastModifiedTime(skill, before);
        assertThat(again()).isEmpty();
    }

    @Test
    void anAddedRemovedOrNewlyIgnoredFileIsPackedAgain() throws Exception {
        Files.writeString(plugin.resolve("skills/s/notes.md"), "more");
        settle();
        packed();
        Files.delete(plugin.resolve("skills/s/notes.md"));
        assertThat(again()).isEmpty();
        Files.writeString(plugin.resolve("skills/s/notes.md"), "more");
        assertThat(again()).as("the same bytes, but a new file: its times and inode are new").isEmpty();
        packed();
        Files.delete(plugin.resolve("skills/s/notes.md"));
        Files.writeString(plugin.resolve(".cxpmignore"), "skills/\n");
        assertThat(again()).isEmpty();
    }

    @Test
    void filesChangedJustBeforeTheirPackAreNotTrustedOnTheirTimes() {
        packed(); // written a moment ago: a change within the same clock tick would look the same
        assertThat(again()).isEmpty();
    }

    @Test
    void aPluginWithALinkLeftOutIsAlwaysPacked() throws Exception {
        Files.createSymbolicLink(plugin.resolve("outside"), tmp);
        assertThat(packs.look(new Packer().list(plugin))).isEmpty(); // the pack says what it left out: it runs
    }

    /** The one record in the store: the plugin's. */
    private Path onlyRecord() throws Exception {
        try (Stream<Path> s = Files.list(store.dir().resolve("local"))) {
            return s.collect(Collectors.toList()).stream().reduce((a, b) -> {
                throw new AssertionError("more than one record: " + a + ", " + b);
            }).orElseThrow();
        }
    }

    @Test
    void aHostileRecordIsIgnoredAndReplacedNeverFollowed() throws Throwable {
        settle();
        Integrity integrity = packed();
        Path record = onlyRecord();
        String good = Files.readString(record);
        Path elsewhere = tmp.resolve("elsewhere");
        Files.writeString(elsewhere, good); // a true record, but not at the record's name: never taken through a link
        Map<String, ThrowingConsumer<Path>> hostile = new LinkedHashMap<>();
        hostile.put("huge", r -> Files.writeString(r, good.repeat(20_000)));
        hostile.put("truncated", r -> Files.writeString(r, good.substring(0, good.length() / 2)));
        hostile.put("garbage", r -> Files.write(r, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, ' ', (byte) 0xc3}));
        hostile.put("a link to a true record", r -> Files.createSymbolicLink(r, elsewhere));
        hostile.put("a link to /dev/zero", r -> Files.createSymbolicLink(r, Path.of("/dev/zero")));
        hostile.put("a directory", r -> {
            Files.createDirectories(r.resolve("sub"));
            Files.writeString(r.resolve("sub/file"), good);
        });
        hostile.put("a named pipe", r -> assertThat(new ProcessBuilder("mkfifo", r.toString()).start().waitFor()).isZero());
        for (Map.Entry<String, ThrowingConsumer<Path>> h : hostile.entrySet()) {
            Trees.delete(record);
            h.getValue().accept(record);
            assertThat(again()).as(h.getKey()).isEmpty();
            packed();
            assertThat(Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)).as(h.getKey()).isTrue();
            assertThat(again()).as(h.getKey()).contains(integrity);
        }
        assertThat(Files.readString(elsewhere)).isEqualTo(good);
    }

    @Test
    void recordsOverTheirBoundArePrunedOldestFirstButNeverThoseThisRunUsed() throws Exception {
        Path other = tmp.resolve("other");
        Files.createDirectories(other.resolve(".codex-plugin"));
        Files.writeString(other.resolve(".codex-plugin/plugin.json"), "{\"name\": \"other\", \"version\": \"1.0.0\"}");
        Path local = store.dir().resolve("local");
        Files.createDirectories(local);
        for (int i = 0; i < 12; i++) { // records of directories long gone, the oldest first; one a directory, one a link
            Path r = local.resolve(String.format("%064x", i));
            if (i == 1) {
                Files.createDirectories(r.resolve("sub"));
            } else if (i == 2) {
                Files.createSymbolicLink(r, plugin.resolve("skills/s/SKILL.md"));
            } else {
                Files.writeString(r, "old");
            }
            touch(r, 1_000 * (i + 2));
        }
        settle();
        LocalPacks.Look otherLook = packs.look(new Packer().list(other)).orElseThrow();
        Integrity otherIntegrity = store.add(other);
        packs.packed(otherLook, otherIntegrity);
        Path otherRecord;
        try (Stream<Path> s = Files.list(local)) {
            otherRecord = s.filter(p -> !p.getFileName().toString().startsWith("0000")).findFirst().orElseThrow();
        }
        touch(otherRecord, 1_000); // written before any other: the oldest

        LocalPacks bounded = new LocalPacks(store, Clock.systemUTC(), 8);
        assertThat(bounded.look(new Packer().list(other)).flatMap(bounded::packedTo)).contains(otherIntegrity);
        bounded.prune();
        assertThat(names(local)).as("a run that only took records prunes nothing").hasSize(13);

        LocalPacks.Look look = bounded.look(new Packer().list(plugin)).orElseThrow();
        bounded.packed(look, store.add(plugin));
        bounded.prune(); // 14 entries over a bound of 8: down to 6, the oldest first, not the two this run used
        List<String> left = names(local);
        assertThat(left).hasSize(6).contains(otherRecord.getFileName().toString())
                .containsAll(java.util.stream.IntStream.range(8, 12).mapToObj(i -> String.format("%064x", i)).toList());
        assertThat(plugin.resolve("skills/s/SKILL.md")).exists(); // the link was deleted, not what it named
        assertThat(bounded.look(new Packer().list(other)).flatMap(bounded::packedTo)).contains(otherIntegrity);
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Sets p's own modification time (a link's, not its target's) to seconds after the epoch. */
    private static void touch(Path p, long seconds) throws Exception {
        assertThat(new ProcessBuilder("touch", "-h", "-d", "@" + seconds, p.toString()).start().waitFor()).isZero();
    }
}
