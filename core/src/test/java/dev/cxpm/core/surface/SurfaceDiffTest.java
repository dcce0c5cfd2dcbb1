package dev.cxpm.core.surface;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.pack.Packer;
import dev.cxpm.core.surface.SurfaceDiff.Change;
import dev.cxpm.core.surface.SurfaceDiff.Component;
import dev.cxpm.core.surface.SurfaceDiff.Kind;
import dev.cxpm.core.version.BumpLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Surface diffs on real plugin directories: one change at a time, and the bump each requires. */
class SurfaceDiffTest {
    @TempDir
    Path tmp;
    Path old;
    Path neu;

    static void write(Path p, String s) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
    }

    static void plugin(Path dir, String version) throws IOException {
        write(dir.resolve(".codex-plugin/plugin.json"), "{\"name\":\"demo\",\"version\":\"" + version + "\","
                + "\"interface\":{\"capabilities\":[\"Read\",\"Write\"]}}");
        write(dir.resolve("skills/hello/SKILL.md"), "---\nname: hello\ndescription: Says hello.\n---\nSay hello.\n");
        write(dir.resolve("skills/bye/SKILL.md"), "---\nname: bye\ndescription: Says bye.\n---\nSay bye.\n");
        write(dir.resolve(".mcp.json"), "{\"mcpServers\":{\"gh\":{\"command\":\"npx\",\"args\":[\"gh-mcp@1\"]}}}");
        write(dir.resolve(".app.json"), "{\"apps\":{\"cal\":{\"id\":\"asdk_app_1\"}}}");
    }

    @BeforeEach
    void twoCopies() throws IOException {
        old = tmp.resolve("old");
        neu = tmp.resolve("new");
        plugin(old, "1.0.0");
        plugin(neu, "1.0.0");
    }

    SurfaceDiff diff() {
        return SurfaceDiff.between(Surface.of(old), Surface.of(neu));
    }

    @Test
    void identicalPluginsNeedNoBump() {
        SurfaceDiff d = diff();
        assertThat(d.changes()).isEmpty();
        assertThat(d.contentChanged()).isFalse();
        assertThat(d.required()).isEqualTo(BumpLevel.NONE);
    }

    @Test
    void otherContentChangesNeedAPatch() throws IOException {
        write(neu.resolve("README.md"), "docs");
        assertThat(diff().changes()).isEmpty();
        assertThat(diff().required()).isEqualTo(BumpLevel.PATCH);
    }

    @Test
    void aRemovedSkillIsMajor() throws IOException {
        Files.delete(neu.resolve("skills/bye/SKILL.md"));
        assertThat(diff().changes()).containsExactly(new Change(Component.SKILL, Kind.REMOVED, "bye", "removed", BumpLevel.MAJOR));
        assertThat(diff().required()).isEqualTo(BumpLevel.MAJOR);
    }

    @Test
    void anAddedSkillIsMinor() throws IOException {
        write(neu.resolve("skills/wave/SKILL.md"), "---\nname: wave\ndescription: Waves.\n---\nWave.\n");
        assertThat(diff().changes()).extracting(Change::kind, Change::name).containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.ADDED, "wave"));
        assertThat(diff().required()).isEqualTo(BumpLevel.MINOR);
    }

    @Test
    void aMovedSkillWithTheSameContentIsARename() throws IOException {
        Files.move(neu.resolve("skills/hello"), neu.resolve("skills/greet"));
        SurfaceDiff d = diff();
        assertThat(d.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.RENAMED);
            assertThat(c.name()).isEqualTo("greet");
            assertThat(c.detail()).contains("hello").contains("same content");
        });
        assertThat(d.required()).isEqualTo(BumpLevel.MAJOR);
    }

    @Test
    void aSkillUnderANewIdWithTheSameDescriptionIsARename() throws IOException {
        Files.delete(neu.resolve("skills/hello/SKILL.md"));
        write(neu.resolve("skills/greet/SKILL.md"), "---\nname: greet\ndescription: Says hello.\n---\nGreet warmly.\n");
        assertThat(diff().changes()).singleElement().satisfies(c -> assertThat(c.detail()).contains("same description"));
    }

    @Test
    void aChangedSkillBodyIsAPatch() throws IOException {
        write(neu.resolve("skills/hello/SKILL.md"), "---\nname: hello\ndescription: Says hello.\n---\nSay hello twice.\n");
        assertThat(diff().changes()).singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo(Kind.CHANGED));
        assertThat(diff().required()).isEqualTo(BumpLevel.PATCH);
    }

    @Test
    void mcpServerRemovedAddedAndCommandChanged() throws IOException {
        write(neu.resolve(".mcp.json"), "{\"mcpServers\":{\"gh\":{\"command\":\"npx\",\"args\":[\"gh-mcp@2\"]},"
                + "\"db\":{\"url\":\"https://db.example/mcp\"}}}");
        SurfaceDiff d = diff();
        assertThat(d.changes()).extracting(Change::kind, Change::name, Change::level).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Kind.ADDED, "db", BumpLevel.MINOR),
                org.assertj.core.groups.Tuple.tuple(Kind.CHANGED, "gh", BumpLevel.PATCH));
        assertThat(d.changes().get(1).detail()).isEqualTo("`npx gh-mcp@1` -> `npx gh-mcp@2`");
        write(neu.resolve(".mcp.json"), "{\"mcpServers\":{}}");
        assertThat(diff().changes()).extracting(Change::kind).containsExactly(Kind.REMOVED);
        assertThat(diff().required()).isEqualTo(BumpLevel.MAJOR);
    }

    @Test
    void appsAndCapabilities() throws IOException {
        write(neu.resolve(".app.json"), "{\"apps\":{\"cal\":{\"id\":\"asdk_app_2\"},\"mail\":{\"id\":\"asdk_app_3\"}}}");
        write(neu.resolve(".codex-plugin/plugin.json"), "{\"name\":\"demo\",\"version\":\"1.0.0\","
                + "\"interface\":{\"capabilities\":[\"Read\",\"Interactive\"]}}");
        SurfaceDiff d = diff();
        assertThat(d.changes()).extracting(Change::component, Change::kind, Change::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Component.APP, Kind.CHANGED, "cal"),
                org.assertj.core.groups.Tuple.tuple(Component.APP, Kind.ADDED, "mail"),
                org.assertj.core.groups.Tuple.tuple(Component.CAPABILITY, Kind.ADDED, "Interactive"),
                org.assertj.core.groups.Tuple.tuple(Component.CAPABILITY, Kind.REMOVED, "Write"));
        assertThat(d.required()).isEqualTo(BumpLevel.MAJOR);
    }

    static final String HOOKS = "{\"hooks\":{\"PreToolUse\":[{\"matcher\":\"Bash\",\"hooks\":[{\"type\":\"command\","
            + "\"command\":\"./guard.sh\"}]}]}}";

    @Test
    void slashCommandsAddedRemovedAndChangedBumpLikeSkills() throws IOException {
        write(old.resolve("commands/deploy.md"), "---\ndescription: Deploys.\n---\nDeploy.\n");
        write(old.resolve("commands/git/commit.md"), "Commit.\n");
        write(neu.resolve("commands/deploy.md"), "---\ndescription: Deploys.\n---\nDeploy twice.\n");
        write(neu.resolve("commands/review.md"), "Review.\n");
        SurfaceDiff d = diff();
        assertThat(d.changes()).extracting(Change::component, Change::kind, Change::name, Change::level).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Component.COMMAND, Kind.CHANGED, "/deploy", BumpLevel.PATCH),
                org.assertj.core.groups.Tuple.tuple(Component.COMMAND, Kind.REMOVED, "/git:commit", BumpLevel.MAJOR),
                org.assertj.core.groups.Tuple.tuple(Component.COMMAND, Kind.ADDED, "/review", BumpLevel.MINOR));
        assertThat(d.required()).isEqualTo(BumpLevel.MAJOR);
        Files.delete(neu.resolve("commands/deploy.md"));
        write(neu.resolve("commands/deploy.md"), "---\ndescription: Deploys.\n---\nDeploy.\n");
        write(neu.resolve("commands/git/commit.md"), "Commit.\n");
        assertThat(diff().changes()).extracting(Change::kind).containsExactly(Kind.ADDED);
        assertThat(diff().required()).isEqualTo(BumpLevel.MINOR);
    }

    @Test
    void hooksAddedRemovedAndChangedFromTheDefaultFileAndTheManifest() throws IOException {
        write(neu.resolve("hooks/hooks.json"), HOOKS);
        assertThat(diff().changes()).singleElement().satisfies(c -> {
            assertThat(c.component()).isEqualTo(Component.HOOK);
            assertThat(c.kind()).isEqualTo(Kind.ADDED);
            assertThat(c.name()).isEqualTo("PreToolUse [Bash]");
            assertThat(c.detail()).isEqualTo("added (runs `./guard.sh`)");
        });
        assertThat(diff().required()).isEqualTo(BumpLevel.MINOR);

        write(old.resolve("hooks/hooks.json"), HOOKS);
        write(neu.resolve("hooks/hooks.json"), HOOKS.replace("guard.sh", "guard2.sh"));
        assertThat(diff().changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.CHANGED);
            assertThat(c.level()).isEqualTo(BumpLevel.PATCH);
        });

        // the manifest may name another file (Claude's "hooks": "./path"); the default one is read as well
        Files.delete(neu.resolve("hooks/hooks.json"));
        write(neu.resolve("extra/stop.json"), "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"./done.sh\"}]}]}}");
        write(neu.resolve(".codex-plugin/plugin.json"), "{\"name\":\"demo\",\"version\":\"1.0.0\",\"hooks\":\"./extra/stop.json\","
                + "\"interface\":{\"capabilities\":[\"Read\",\"Write\"]}}");
        assertThat(diff().changes()).extracting(Change::kind, Change::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Kind.REMOVED, "PreToolUse [Bash]"),
                org.assertj.core.groups.Tuple.tuple(Kind.ADDED, "Stop"));
        assertThat(diff().required()).isEqualTo(BumpLevel.MAJOR);
    }

    @Test
    void surfaceWithCommandsAndHooksSurvivesItsJsonForm() throws IOException {
        write(old.resolve("commands/deploy.md"), "Deploy.\n");
        write(old.resolve("hooks/hooks.json"), HOOKS);
        Surface s = Surface.of(old);
        assertThat(s.commands()).containsOnlyKeys("deploy");
        assertThat(s.hooks()).containsOnlyKeys("PreToolUse [Bash]");
        assertThat(Surface.fromJson(s.toJson(new com.fasterxml.jackson.databind.ObjectMapper()))).isEqualTo(s);
    }

    @Test
    void aPackedPluginHasTheSameSurfaceAsItsDirectory() throws IOException {
        Path tgz = new Packer().pack(old, tmp.resolve("demo-1.0.0.tgz")).file();
        Surface packed = Surface.ofArchive(tgz, Files.createDirectories(tmp.resolve("scratch")));
        assertThat(packed).isEqualTo(Surface.of(old));
        assertThat(SurfaceDiff.between(packed, Surface.of(neu)).required()).isEqualTo(BumpLevel.NONE);
    }

    @Test
    void anArchiveNamedDotDotIsReadAndUnpackedOnlyInsideItsTemporaryDirectory() throws IOException {
        Path tgz = new Packer().pack(old, tmp.resolve("..tgz")).file();
        Path scratch = Files.createDirectories(tmp.resolve("scratch"));
        assertThat(Surface.ofArchive(tgz, scratch)).isEqualTo(Surface.of(old));
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("old", "new", "..tgz", "scratch");
        }
        try (var s = Files.list(scratch)) {
            assertThat(s).as("the unpacked tree is deleted once read").isEmpty();
        }
    }

    @Test
    void theSurfaceSurvivesItsJsonForm() {
        Surface s = Surface.of(old);
        assertThat(Surface.fromJson(s.toJson(new com.fasterxml.jackson.databind.ObjectMapper()))).isEqualTo(s);
    }
    @Test
    void aHugeSkillFileIsNotReadWhole() throws IOException {
        Path skill = old.resolve("skills/hello/SKILL.md");
        try (var f = new java.io.RandomAccessFile(skill.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: more than one byte array can hold
        }
        Surface s = Surface.of(dev.cxpm.core.format.Plugin.load(old), "digest");
        assertThat(s.skills().get("hello").contentSha()).isNull();
        assertThat(s.skills().get("bye").contentSha()).isNotNull();
    }
}
