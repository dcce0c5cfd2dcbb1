package dev.cxpm.core.sync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.Packer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin packed into the store keeps the files it packed as the content's tree, renamed into place without a look
 * first: a tree already there (another project's sync made it) is taken when intact, a damaged one is replaced, and
 * anything else at its name fails the pack as before. No temp directory is left behind either way.
 */
class StoreTreePackedTest {

    @TempDir
    Path tmp;
    Store store;
    Path plugin;

    @BeforeEach
    void plugin() throws Exception {
        store = new Store(tmp.resolve("store"));
        plugin = tmp.resolve("p");
        Files.createDirectories(plugin.resolve(".codex-plugin"));
        Files.writeString(plugin.resolve(".codex-plugin/plugin.json"), "{\"name\": \"p\", \"version\": \"1.0.0\"}");
        Files.createDirectories(plugin.resolve("skills/s"));
        Files.writeString(plugin.resolve("skills/s/SKILL.md"), "---\nname: s\ndescription: d\n---\n");
    }

    @Test
    void aTreeAlreadyThereAndIntactIsTheOneTaken() {
        StoreTree.Packed first = StoreTree.packed(store, new Packer().list(plugin));
        StoreTree.Packed second = StoreTree.packed(store, new Packer().list(plugin));
        assertThat(second.result().contentIntegrity()).isEqualTo(first.result().contentIntegrity());
        assertThat(second.tree()).isPresent();
        assertThat(second.tree().get().entries()).isEqualTo(first.tree().get().entries()); // the same inodes: the first tree's
        assertThat(temps()).isEmpty();
    }

    @Test
    void aDamagedTreeThereIsReplacedByThePackedOne() throws Exception {
        StoreTree.Packed first = StoreTree.packed(store, new Packer().list(plugin));
        Path dir = StoreTree.dir(store, first.result().contentIntegrity());
        Files.writeString(dir.resolve("files/skills/s/SKILL.md"), "edited through a link in a Codex home");
        StoreTree.Packed again = StoreTree.packed(store, new Packer().list(plugin));
        assertThat(again.tree()).isPresent();
        assertThat(StoreTree.checked(store, first.result().contentIntegrity())).isPresent();
        assertThat(Files.readString(dir.resolve("files/skills/s/SKILL.md"))).isEqualTo("---\nname: s\ndescription: d\n---\n");
        assertThat(temps()).isEmpty();

        Files.delete(dir.resolve("index")); // not a tree cxpm wrote
        assertThat(StoreTree.packed(store, new Packer().list(plugin)).tree()).isPresent();
        assertThat(dir.resolve("index")).isRegularFile();
        assertThat(temps()).isEmpty();
    }

    @Test
    void aFileAtTheTreesNameFailsThePackAndLeavesNoTemp() throws Exception {
        StoreTree.Packed first = StoreTree.packed(store, new Packer().list(plugin));
        Path dir = StoreTree.dir(store, first.result().contentIntegrity());
        StoreTree.throwAway(store, dir);
        Files.writeString(dir, "not a tree");
        assertThatThrownBy(() -> StoreTree.packed(store, new Packer().list(plugin))).isInstanceOf(UserError.class).hasMessageContaining("cannot write to the store");
        assertThat(dir).isRegularFile();
        assertThat(temps()).isEmpty();
    }

    private java.util.List<Path> temps() {
        try (Stream<Path> s = Files.list(store.dir())) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
