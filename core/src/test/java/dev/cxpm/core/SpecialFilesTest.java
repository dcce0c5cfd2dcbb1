package dev.cxpm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.format.json.JsonFile;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.pack.Packer;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.validate.Problem;
import dev.cxpm.core.validate.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.cxpm.testkit.NamedPipes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A named pipe (or a device) where cxpm reads a file: opening a pipe to read waits for a writer, forever, so every
 * reader refuses what is not a regular file before opening it, naming the file. Each test is bounded (in a thread of
 * its own, as a thread blocked in open() does not answer an interrupt) so a regression fails instead of hanging CI.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpecialFilesTest {
    @TempDir
    Path tmp;

    private final NamedPipes pipes = new NamedPipes(Assumptions::abort);

    @AfterEach
    void releaseBlockedReaders() {
        pipes.release();
    }

    @Test
    void fileTextRefusesAPipeADeviceAndADirectoryNamingTheFile() throws Exception {
        Path pipe = pipes.make(tmp.resolve("pipe"));
        assertThatThrownBy(() -> FileText.bytes(pipe, 1024)).isInstanceOf(FileText.NotRegularFile.class)
                .hasMessageContaining(pipe.toString()).hasMessageContaining("must be a regular file");
        assertThatThrownBy(() -> FileText.bytes(pipe, 1024, LinkOption.NOFOLLOW_LINKS)).isInstanceOf(FileText.NotRegularFile.class);
        Path toPipe = Files.createSymbolicLink(tmp.resolve("to-pipe"), pipe);
        assertThatThrownBy(() -> FileText.read(toPipe, 1024)).isInstanceOf(FileText.NotRegularFile.class)
                .hasMessageContaining(toPipe.toString());
        Path toDevice = Files.createSymbolicLink(tmp.resolve("to-zero"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> FileText.bytes(toDevice, 1024)).isInstanceOf(FileText.NotRegularFile.class);
        assertThatThrownBy(() -> FileText.bytes(Files.createDirectories(tmp.resolve("dir")), 1024))
                .isInstanceOf(FileText.NotRegularFile.class);
        assertThat(FileText.bytes(Files.writeString(tmp.resolve("plain"), "plain"), 1024)).hasSize(5);
    }

    @Test
    void aProjectsCxpmTomlOrLockfileThatIsAPipeIsAUserErrorNamingIt() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path manifest = pipes.make(tmp.resolve("project/cxpm.toml"));
        assertThatThrownBy(() -> ProjectManifest.read(project)).isInstanceOf(UserError.class)
                .hasMessageContaining(manifest.toString()).hasMessageContaining("must be a regular file")
                .extracting(e -> ((UserError) e).kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
        Path lock = pipes.make(tmp.resolve("project/cxpm.lock"));
        assertThatThrownBy(() -> Lockfile.read(lock)).isInstanceOf(UserError.class)
                .hasMessageContaining(lock.toString()).hasMessageContaining("must be a regular file");
    }

    @Test
    void codexsConfigTomlThatIsAPipeIsAUserErrorNamingIt() throws Exception {
        Path config = pipes.make(tmp.resolve("home/config.toml"));
        assertThatThrownBy(() -> CodexConfig.read(config)).isInstanceOf(UserError.class)
                .hasMessageContaining(config.toString()).hasMessageContaining("must be a regular file");
    }

    @Test
    void aJsonFileThatIsAPipeIsAUserErrorNamingIt() throws Exception {
        for (String rel : List.of("market/.agents/plugins/marketplace.json", "plugin/.codex-plugin/plugin.json", "plugin/.mcp.json")) {
            Path file = pipes.make(tmp.resolve(rel));
            assertThatThrownBy(() -> JsonFile.read(file)).isInstanceOf(UserError.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("must be a regular file");
        }
    }

    @Test
    void aPipeInsideAPluginIsLeftOutOfThePackNamed() throws Exception {
        Path plugin = plugin("plugin");
        pipes.make(tmp.resolve("plugin/skills/s/notes.txt"));
        Files.createSymbolicLink(plugin.resolve("zero"), Path.of("/dev/zero"));
        Packer.Listing listing = Packer.scan(plugin);
        assertThat(listing.excluded()).extracting(Packer.Excluded::path).contains("skills/s/notes.txt", "zero");
        assertThat(listing.entries()).extracting(Packer.Entry::path).doesNotContain("skills/s/notes.txt", "zero");
    }

    @Test
    void validatingAPluginWhoseFilesArePipesEnds() throws Exception {
        Path plugin = plugin("plugin");
        Path mcp = pipes.make(tmp.resolve("plugin/.mcp.json"));
        pipes.make(tmp.resolve("plugin/skills/piped/SKILL.md"));
        pipes.make(tmp.resolve("plugin/hooks/hooks.json"));
        List<Problem> problems = new Validation(true).validate(plugin).problems();
        assertThat(problems).anySatisfy(p -> assertThat(p.toString()).contains(mcp.toString()));
    }

    @Test
    void anArchiveThatIsAPipeIsRefusedNamingItNotWaitedOn() throws Exception {
        Path archive = pipes.make(tmp.resolve("store/blob.tgz"));
        assertThatThrownBy(() -> new dev.cxpm.core.pack.Unpacker().check(archive)).isInstanceOf(UserError.class)
                .hasMessageContaining("blob.tgz").hasMessageContaining("must be a regular file");
        assertThatThrownBy(() -> new dev.cxpm.core.pack.Unpacker().unpack(archive, tmp.resolve("dest")))
                .hasMessageContaining("must be a regular file");
        assertThat(tmp.resolve("dest")).doesNotExist();
        assertThatThrownBy(() -> dev.cxpm.core.pack.Integrity.sha512(archive)).hasMessageContaining("must be a regular file");
    }

    private Path plugin(String rel) throws IOException {
        Path plugin = Files.createDirectories(tmp.resolve(rel));
        Files.createDirectories(plugin.resolve(".codex-plugin"));
        Files.writeString(plugin.resolve(".codex-plugin/plugin.json"), """
                {"name": "piped", "version": "1.0.0", "description": "a plugin with pipes in it", "skills": "./skills/",
                 "mcpServers": "./.mcp.json"}
                """);
        Files.createDirectories(plugin.resolve("skills/s"));
        Files.writeString(plugin.resolve("skills/s/SKILL.md"), "---\nname: s\ndescription: a skill\n---\nbody\n");
        return plugin;
    }
}
