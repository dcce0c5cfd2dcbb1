package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.cxpm.testkit.NamedPipes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands pointed at a named pipe (a project's cxpm.toml or cxpm.lock, an archive to publish or compare, a file inside
 * a plugin being packed, validated or adopted) end with the file named instead of waiting forever in its open. Each
 * test runs in a thread of its own under a timeout, as a thread blocked in open() ignores interrupts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpecialFilesCliTest {
    @TempDir
    Path dir;

    private final NamedPipes pipes = new NamedPipes(Assumptions::abort);

    @AfterEach
    void releaseBlockedReaders() {
        pipes.release();
    }

    private Map<String, String> home() {
        return Map.of("CODEX_HOME", dir.resolve("codex-home").toString());
    }

    @Test
    void syncWithAPipeForCxpmTomlOrCxpmLockNamesIt() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path manifest = pipes.make(project.resolve("cxpm.toml"));
        CliRun r = CliRun.in(project, home(), "sync");
        assertThat(r.exitCode()).as(r.stderr()).isNotZero();
        assertThat(r.stderr()).contains(manifest + " must be a regular file");

        Files.delete(manifest);
        Files.writeString(manifest, "");
        Path lock = pipes.make(project.resolve("cxpm.lock"));
        CliRun frozen = CliRun.in(project, home(), "sync", "--frozen");
        assertThat(frozen.exitCode()).as(frozen.stderr()).isNotZero();
        assertThat(frozen.stderr()).contains(lock + " must be a regular file");
    }

    @Test
    void aPipeInAnInstalledPluginFailsFrozenNamedAndAPipeForAMarketplaceManifestIsNamed() throws Exception {
        dev.cxpm.cli.fixtures.TeamFixture t = new dev.cxpm.cli.fixtures.TeamFixture(dir).plugin("lone", "1.0.0").needs("lone", "^1");
        CliRun synced = t.cxpm("sync");
        assertThat(synced.exitCode()).as(synced.stderr()).isZero();
        pipes.make(t.codexHome().resolve("plugins/cache/fx/lone/1.0.0/skills/lone-skill/piped"));
        CliRun frozen = t.cxpm("sync", "--frozen");
        assertThat(frozen.exitCode()).as(frozen.stdout() + frozen.stderr()).isEqualTo(5);
        assertThat(frozen.stderr()).contains("lone@fx").contains("skills/lone-skill/piped").contains("not a regular file");

        Path manifest = t.market.resolve(".agents/plugins/marketplace.json");
        Files.delete(manifest);
        pipes.make(manifest);
        Files.delete(t.project.resolve("cxpm.lock"));
        CliRun relock = t.cxpm("sync");
        assertThat(relock.exitCode()).as(relock.stderr()).isNotZero();
        assertThat(relock.stderr()).contains(manifest + " is a named pipe, socket or device, not a regular file")
                .doesNotContain("Exception");
    }

    @Test
    void publishingOrComparingAnArchiveThatIsAPipeNamesIt() throws Exception {
        Path archive = pipes.make(dir.resolve("plugin-1.0.0.tgz"));
        CliRun publish = CliRun.in(dir, Map.of("CXPM_TOKEN", "cxpm_test_token"), "publish", archive.toString(),
                "--registry", "http://127.0.0.1:9");
        assertThat(publish.exitCode()).as(publish.stderr()).isNotZero();
        assertThat(publish.stderr()).contains(archive + " must be a plugin directory or a regular .tgz file");
        CliRun diff = CliRun.in(dir, "diff", archive.toString(), archive.toString());
        assertThat(diff.exitCode()).as(diff.stderr()).isNotZero();
        assertThat(diff.stderr()).contains(archive + " must be a plugin directory or a regular .tgz file");
    }

    @Test
    void aPipeInsideAPluginIsLeftOutOfPackAndValidateAndInitFromNamed() throws Exception {
        Path plugin = Files.createDirectories(dir.resolve("plugin"));
        assertThat(CliRun.in(dir, "init", "plugin").exitCode()).isZero();
        Files.createDirectories(plugin.resolve("skills/s"));
        Files.writeString(plugin.resolve("skills/s/SKILL.md"), "---\nname: s\ndescription: Says hello.\n---\nHello.\n");
        pipes.make(plugin.resolve("skills/s/notes.txt"));
        CliRun pack = CliRun.in(plugin, "pack");
        assertThat(pack.exitCode()).as(pack.stderr()).isZero();
        assertThat(pack.stdout()).contains("left out:  skills/s/notes.txt (not a regular file");
        CliRun validate = CliRun.in(plugin, "validate");
        assertThat(validate.stdout() + validate.stderr()).contains("skills/s/notes.txt").contains("not a regular file");

        Path source = Files.createDirectories(dir.resolve("project"));
        Files.createDirectories(source.resolve("skills/hello"));
        Files.writeString(source.resolve("skills/hello/SKILL.md"), "---\nname: hello\ndescription: Says hello.\n---\nHello.\n");
        pipes.make(source.resolve("skills/hello/piped.md"));
        CliRun init = CliRun.in(dir, "init", "adopted", "--from", source.toString());
        assertThat(init.exitCode()).as(init.stderr()).isZero();
        assertThat(dir.resolve("adopted/skills/hello/SKILL.md")).isRegularFile();
        assertThat(dir.resolve("adopted/skills/hello/piped.md")).doesNotExist();
    }
}
