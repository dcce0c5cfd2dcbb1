package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files cxpm writes get the permissions the user's umask gives (teams commit cxpm.toml and cxpm.lock;
 * plugins are read by other tools), executables stay executable, and config.toml stays 0600 as the real
 * Codex CLI keeps it (it may hold MCP servers' secrets). The test runs with the umask of the process.
 */
class FilePermissionsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void umaskIs022() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "umask").start();
        String umask = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        assumeTrue(umask.equals("0022") || umask.equals("022"), "this test expects umask 022, the process has " + umask);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void projectFilesAndInstalledPluginsFollowTheUmask() throws IOException {
        TeamFixture t = new TeamFixture(dir).plugin("app", "1.0.0").plugin("util", "1.0.0").needs("app", "^1");
        TeamFixture.write(t.market.resolve("plugins/app/bin/run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(t.market.resolve("plugins/app/bin/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));

        CliRun sync = t.cxpm("sync");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        CliRun add = t.cxpm("add", "util@fx");
        assertThat(add.exitCode()).as(add.stderr()).isZero();

        assertThat(mode(t.project.resolve("cxpm.toml"))).isEqualTo("rw-r--r--");
        assertThat(mode(t.project.resolve("cxpm.lock"))).isEqualTo("rw-r--r--");
        Path app = t.codexHome().resolve("plugins/cache/fx/app/1.0.0");
        assertThat(mode(app)).isEqualTo("rwxr-xr-x");
        assertThat(mode(app.resolve(".codex-plugin/plugin.json"))).isEqualTo("rw-r--r--");
        assertThat(mode(app.resolve("bin/run.sh"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(t.codexHome().resolve("plugins/cache/fx/util/1.0.0"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(t.codexHome().resolve("config.toml"))).isEqualTo("rw-------");

        // Reinstalled from the store (an unpacked archive, not a copy of the marketplace's files).
        assertThat(t.cxpm("uninstall", "app@fx").exitCode()).isZero();
        CliRun again = t.cxpm("sync");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(mode(app)).isEqualTo("rwxr-xr-x");
        assertThat(mode(app.resolve("skills/app-skill/SKILL.md"))).isEqualTo("rw-r--r--");
        assertThat(mode(app.resolve("bin/run.sh"))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void initAndPackFollowTheUmask() throws IOException {
        assertThat(CliRun.in(dir, "init", "demo").exitCode()).isZero();
        assertThat(mode(dir.resolve("demo/.codex-plugin/plugin.json"))).isEqualTo("rw-r--r--");
        CliRun pack = CliRun.in(dir, "pack", "demo", "-o", "demo.tgz");
        assertThat(pack.exitCode()).as(pack.stderr()).isZero();
        assertThat(mode(dir.resolve("demo.tgz"))).isEqualTo("rw-r--r--");
    }
}
