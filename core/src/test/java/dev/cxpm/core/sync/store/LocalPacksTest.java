package dev.cxpm.core.sync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.pack.Packer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
}
