package dev.cxpm.cli.authoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionCommandTest {
    @TempDir
    Path dir;

    static final String MANIFEST = "{\n    \"name\": \"demo\",\n    \"version\": \"1.2.3\",\n"
            + "    \"author\": {\"name\": \"Ann\"},\n    \"interface\": {\"displayName\": \"Demo\"}\n}";

    Path manifest(String text) throws IOException {
        Path m = dir.resolve("demo/.codex-plugin/plugin.json");
        Files.createDirectories(m.getParent());
        Files.writeString(m, text);
        return m;
    }

    @Test
    void minorBumpChangesOnlyTheVersionCharacters() throws IOException {
        Path m = manifest(MANIFEST);
        Files.setPosixFilePermissions(m, PosixFilePermissions.fromString("rw-rw-r--"));
        CliRun r = CliRun.in(dir, "version", "minor", "demo");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("1.2.3 -> 1.3.0");
        assertThat(Files.readString(m)).isEqualTo(MANIFEST.replace("1.2.3", "1.3.0"));
        assertThat(Files.getPosixFilePermissions(m)).isEqualTo(PosixFilePermissions.fromString("rw-rw-r--"));
    }

    @Test
    void explicitVersionAndJsonOutput() throws IOException {
        Path m = manifest(MANIFEST);
        CliRun r = CliRun.in(dir.resolve("demo"), "version", "2.0.0-rc.1", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("\"from\" : \"1.2.3\"").contains("\"to\" : \"2.0.0-rc.1\"");
        assertThat(Files.readString(m)).contains("\"version\": \"2.0.0-rc.1\"");
    }

    @Test
    void badRequestsAreUsageErrorsAndLeaveTheFileAlone() throws IOException {
        Path m = manifest(MANIFEST);
        CliRun r = CliRun.in(dir, "version", "huge", "demo");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("huge");
        assertThat(CliRun.in(dir, "version", "1.2.3", "demo").exitCode()).isEqualTo(2);
        assertThat(Files.readString(m)).isEqualTo(MANIFEST);
    }

    @Test
    void aMissingOrInvalidVersionIsInvalidInput() throws IOException {
        Path m = manifest("{\"name\": \"demo\"}");
        CliRun r = CliRun.in(dir, "version", "patch", "demo");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("no \"version\"");
        manifest("{\"name\": \"demo\", \"version\": \"1.0\"}");
        assertThat(CliRun.in(dir, "version", "patch", "demo").stderr()).contains("not SemVer");
        assertThat(Files.readString(m)).isEqualTo("{\"name\": \"demo\", \"version\": \"1.0\"}");
    }

    @Test
    void aHugeManifestIsRefusedNotReadWhole() throws IOException {
        Path m = manifest(MANIFEST);
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(m.toFile(), "rw")) {
            file.setLength(3L << 30); // 3 GB (sparse): read whole, it was past the largest array a JVM makes
        }
        CliRun r = CliRun.in(dir, "version", "patch", "demo");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("plugin.json").contains("larger than");
    }

    @Test
    void noManifestIsNotFound() {
        assertThat(CliRun.in(dir, "version", "patch").exitCode()).isEqualTo(3);
    }

    @Test
    void aPatchAfterRemovingASkillIsRefusedWithTheVersionToUseUnlessForced() throws IOException {
        Path m = manifest(MANIFEST);
        Path skill = dir.resolve("demo/skills/hello/SKILL.md");
        Files.createDirectories(skill.getParent());
        Files.writeString(skill, "---\nname: hello\ndescription: Says hello.\n---\nHi.\n");
        assertThat(CliRun.in(dir, "pack", "demo", "-o", "demo-1.2.3.tgz").exitCode()).isZero();
        assertThat(dir.resolve("demo/.cxpm/last-release.json")).exists();
        Files.delete(skill);
        CliRun r = CliRun.in(dir, "version", "patch", "demo");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("removing skill `hello` is a breaking change since 1.2.3: use 2.0.0, not 1.2.4")
                .contains("1.2.3 was packed").contains("cxpm version 2.0.0 (or --force to bump to 1.2.4 anyway)");
        assertThat(Files.readString(m)).contains("\"1.2.3\"");
        assertThat(CliRun.in(dir, "version", "minor", "demo").exitCode()).isEqualTo(1);

        CliRun forced = CliRun.in(dir, "version", "patch", "demo", "--force");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(forced.stderr()).contains("warning: removing skill `hello` is a breaking change since 1.2.3: use 2.0.0, not 1.2.4")
                .contains("(bumped anyway: --force)");
        assertThat(Files.readString(m)).contains("\"1.2.4\"");
        CliRun major = CliRun.in(dir, "version", "major", "demo");
        assertThat(major.exitCode()).isZero();
        assertThat(major.stderr()).doesNotContain("warning");
    }

    @Test
    void aPatchAfterAddingASkillIsRefusedAndTheMinorPasses() throws IOException {
        manifest(MANIFEST);
        assertThat(CliRun.in(dir, "pack", "demo").exitCode()).isZero();
        Path skill = dir.resolve("demo/skills/new/SKILL.md");
        Files.createDirectories(skill.getParent());
        Files.writeString(skill, "---\nname: new\ndescription: New.\n---\nNew.\n");
        CliRun patch = CliRun.in(dir, "version", "patch", "demo");
        assertThat(patch.exitCode()).isEqualTo(1);
        assertThat(patch.stderr()).contains("adding skill `new` is a new feature since 1.2.3: use 1.3.0, not 1.2.4");
        CliRun minor = CliRun.in(dir, "version", "1.3.0", "demo");
        assertThat(minor.exitCode()).isZero();
        assertThat(minor.stderr()).doesNotContain("warning");
    }

    @Test
    void belowOneAMinorMayRemoveASkill() throws IOException {
        manifest(MANIFEST.replace("1.2.3", "0.3.0"));
        Path skill = dir.resolve("demo/skills/hello/SKILL.md");
        Files.createDirectories(skill.getParent());
        Files.writeString(skill, "---\nname: hello\ndescription: Says hello.\n---\nHi.\n");
        assertThat(CliRun.in(dir, "pack", "demo").exitCode()).isZero();
        Files.delete(skill);
        CliRun patch = CliRun.in(dir, "version", "patch", "demo");
        assertThat(patch.exitCode()).isEqualTo(1);
        assertThat(patch.stderr()).contains("use 0.4.0, not 0.3.1");
        assertThat(CliRun.in(dir, "version", "minor", "demo").exitCode()).isZero();
    }

    @Test
    void aPluginThatCannotBeComparedStillGetsItsVersionBumpedWithAWarning() throws IOException {
        Path m = manifest(MANIFEST);
        assertThat(CliRun.in(dir, "pack", "demo").exitCode()).isZero();
        try (var ch = Files.newByteChannel(dir.resolve("demo/huge.bin"), java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            ch.position(65L << 20);
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
        }
        CliRun r = CliRun.in(dir, "version", "patch", "demo");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("could not compare with the last pack").contains("huge.bin");
        assertThat(Files.readString(m)).contains("\"1.2.4\"");
    }
}
