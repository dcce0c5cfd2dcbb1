package dev.cxpm.core.sync.home;

import dev.cxpm.core.codexhome.MarketplaceName;
import dev.cxpm.core.codexhome.PluginName;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.core.codexhome.CodexHome;
import dev.cxpm.core.lock.LockedPlugin;
import dev.cxpm.core.lock.Lockfile;
import dev.cxpm.core.lock.ResolvedSource;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.resolve.PluginVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncStampTest {
    @TempDir
    Path tmp;
    Path project;
    CodexHome home;
    Lockfile lock;

    @BeforeEach
    void aSyncedProject() throws IOException {
        project = Files.createDirectories(tmp.resolve("project"));
        home = new CodexHome(Files.createDirectories(tmp.resolve("codex-home")));
        Files.writeString(project.resolve("cxpm.toml"), "[plugins]\napp = \"^1\"\n");
        lock = new Lockfile(List.of(new LockedPlugin("app", PluginVersion.of("1.0.0"), "fx", new ResolvedSource.LocalPath("./plugins/app"),
                Integrity.sha512(new byte[] {1}), new TreeMap<>())));
        lock.write(project);
        Files.writeString(home.configFile(), "[plugins.\"app@fx\"]\nenabled = true\n");
        Files.createDirectories(SyncState.fileOf(home).getParent());
        Files.writeString(SyncState.fileOf(home), "{}");
        Files.createDirectories(home.pluginDir(MarketplaceName.of("fx"), PluginName.of("app")).resolve("1.0.0"));
        SyncStamp.write(project, home, lock, List.of());
    }

    @Test
    void aHomeLeftAsTheLastSyncLeftItIsUpToDate() {
        assertThat(SyncStamp.upToDate(project, home)).contains(1);
    }

    @Test
    void eachVersionDirectoryIsNamedAsTheHomeNamesIt() {
        // the stamp names them from the names alone, without a look at the disk: the same text as CodexHome's path
        CodexHome unnormal = new CodexHome(tmp.resolve("x/../codex-home"));
        for (String[] p : new String[][] {{"app", "1.0.0", "fx"}, {"a.b_c-d", "2.0.0-rc.1+build.5", "my-market"}, {"solo", "local", "m"}}) {
            LockedPlugin locked = new LockedPlugin(p[0], PluginVersion.of(p[1]), p[2], new ResolvedSource.LocalPath("./x"),
                    Integrity.sha512(new byte[] {1}), new TreeMap<>());
            for (CodexHome h : List.of(home, unnormal)) {
                String cache = h.pluginCache().toAbsolutePath().normalize() + java.io.File.separator;
                assertThat(SyncStamp.appendVersionDir(new StringBuilder(), cache, locked).toString()).isEqualTo(locked.versionDirIn(h).toString());
            }
        }
    }

    @Test
    void anyByteOfTheFourFilesMakesItStale() throws IOException {
        for (Path f : List.of(project.resolve("cxpm.toml"), project.resolve("cxpm.lock"), home.configFile(), SyncState.fileOf(home))) {
            String before = Files.readString(f);
            Files.writeString(f, before + " ");
            assertThat(SyncStamp.upToDate(project, home)).as(f.toString()).isEmpty();
            Files.writeString(f, before);
            assertThat(SyncStamp.upToDate(project, home)).as(f.toString()).contains(1);
        }
        Files.delete(home.configFile());
        assertThat(SyncStamp.upToDate(project, home)).isEmpty();
    }

    @Test
    void aStampOfTheBytesTheSyncWorkedFromDoesNotVouchForFilesEditedSince() throws IOException {
        // a sync read cxpm.toml and cxpm.lock at its start and wrote the sync state; each file then changed before the stamp
        // was written (an editor saving, a git checkout): the stamp describes what the sync worked from, so it is stale
        byte[] toml = Files.readAllBytes(project.resolve("cxpm.toml"));
        byte[] lockBytes = Files.readAllBytes(project.resolve("cxpm.lock"));
        byte[] state = Files.readAllBytes(SyncState.fileOf(home));
        for (Path f : List.of(project.resolve("cxpm.toml"), project.resolve("cxpm.lock"), SyncState.fileOf(home))) {
            String before = Files.readString(f);
            Files.writeString(f, before + " ");
            SyncStamp.write(project, home, lock, List.of(),
                    java.util.Map.of(project.resolve("cxpm.toml"), toml, project.resolve("cxpm.lock"), lockBytes, SyncState.fileOf(home), state));
            assertThat(SyncStamp.upToDate(project, home)).as(f.toString()).isEmpty();
            Files.writeString(f, before);
            assertThat(SyncStamp.upToDate(project, home)).as(f.toString()).contains(1);
        }
    }

    @Test
    void config_tomlIsVouchedForByItsHashNotCopied() throws IOException {
        Files.writeString(home.configFile(), "[mcp_servers.gh.env]\nGITHUB_TOKEN = \"ghp_not-to-be-copied\"\n");
        SyncStamp.write(project, home, lock, List.of());
        assertThat(SyncStamp.upToDate(project, home)).contains(1);
        try (var stamps = Files.list(home.dir().resolve(".cxpm/sync-stamps"))) {
            for (Path stamp : stamps.toList()) {
                assertThat(Files.readString(stamp)).doesNotContain("ghp_not-to-be-copied").contains("[plugins]\napp = \"^1\"\n");
            }
        }
        Files.writeString(home.configFile(), "[mcp_servers.gh.env]\nGITHUB_TOKEN = \"ghp_not-to-be-copiee\"\n");
        assertThat(SyncStamp.upToDate(project, home)).isEmpty();
    }

    @Test
    void aStampOfAnotherFormatOrCutShortVouchesForNothing() throws IOException {
        Path stamp;
        try (var stamps = Files.list(home.dir().resolve(".cxpm/sync-stamps"))) {
            stamp = stamps.toList().getFirst();
        }
        byte[] whole = Files.readAllBytes(stamp);
        for (int cut = 0; cut < whole.length - 1; cut++) { // all but the last newline
            Files.write(stamp, java.util.Arrays.copyOf(whole, cut));
            assertThat(SyncStamp.upToDate(project, home)).as("cut at %d", cut).isEmpty();
        }
        Files.writeString(stamp, new String(whole, java.nio.charset.StandardCharsets.UTF_8).replace("cxpm sync stamp 4", "cxpm sync stamp 3"));
        assertThat(SyncStamp.upToDate(project, home)).isEmpty();
        Files.write(stamp, whole);
        assertThat(SyncStamp.upToDate(project, home)).contains(1);
    }

    @Test
    void aMissingOrExtraVersionDirectoryMakesItStale() throws IOException {
        Files.createDirectories(home.pluginDir(MarketplaceName.of("fx"), PluginName.of("app")).resolve(".staging-1"));
        assertThat(SyncStamp.upToDate(project, home)).as("a hidden entry is no version").isPresent();
        Files.createDirectories(home.pluginDir(MarketplaceName.of("fx"), PluginName.of("app")).resolve("2.0.0"));
        assertThat(SyncStamp.upToDate(project, home)).isEmpty();
        Files.delete(home.pluginDir(MarketplaceName.of("fx"), PluginName.of("app")).resolve("2.0.0"));
        Files.delete(home.pluginDir(MarketplaceName.of("fx"), PluginName.of("app")).resolve("1.0.0"));
        assertThat(SyncStamp.upToDate(project, home)).isEmpty();
    }

    @Test
    void anotherProjectHasItsOwnStampAndAForgottenOneIsGone() {
        assertThat(SyncStamp.upToDate(tmp.resolve("elsewhere"), home)).isEqualTo(Optional.empty());
        SyncStamp.forget(project, home);
        assertThat(SyncStamp.upToDate(project, home)).isEmpty();
    }

    @Test
    void thePolicyFilesBytesArePartOfWhatItVouchesFor() throws IOException {
        Path policy = project.resolve("cxpm-policy.toml");
        Path user = tmp.resolve("user-policy.toml");
        Files.writeString(policy, "[plugins]\ndeny = [\"evil-*\"]\n");
        SyncStamp.write(project, home, lock, List.of(policy, user));
        assertThat(SyncStamp.upToDate(project, home, false, List.of(policy, user))).contains(1);
        assertThat(SyncStamp.upToDate(project, home)).as("checked without the policy it was written under").isEmpty();

        Files.writeString(policy, "[plugins]\ndeny = [\"app\"]\n");
        assertThat(SyncStamp.upToDate(project, home, false, List.of(policy, user))).as("policy edited").isEmpty();
        Files.writeString(policy, "[plugins]\ndeny = [\"evil-*\"]\n");
        assertThat(SyncStamp.upToDate(project, home, false, List.of(policy, user))).contains(1);
        Files.writeString(user, "");
        assertThat(SyncStamp.upToDate(project, home, false, List.of(policy, user))).as("a policy file written since").isEmpty();
        Files.delete(user);
        Files.delete(policy);
        assertThat(SyncStamp.upToDate(project, home, false, List.of(policy, user))).as("policy removed").isEmpty();

        // a policy path that is not a regular file (a directory, a device that never ends) never vouches
        Files.createDirectories(user);
        SyncStamp.write(project, home, lock, List.of(policy, user));
        assertThat(SyncStamp.upToDate(project, home, false, List.of(policy, user))).isEmpty();
        assertThat(SyncStamp.upToDate(project, home, false, List.of(policy, Path.of("/dev/zero")))).isEmpty();
    }
    private Path theStamp() throws IOException {
        try (var stamps = Files.list(home.dir().resolve(".cxpm/sync-stamps"))) {
            return stamps.toList().getFirst();
        }
    }

    @Test
    void aStampLargerThanAnyStampIsNotReadAndVouchesForNothing() throws IOException {
        Path stamp = theStamp();
        try (var f = new java.io.RandomAccessFile(stamp.toFile(), "rw")) {
            f.setLength(3L * 1024 * 1024 * 1024); // sparse: no disk, but more than one byte array can hold
        }
        assertThat(SyncStamp.upToDate(project, home)).isEmpty();
    }

    @Test
    void aStampThatIsALinkOrNoRegularFileVouchesForNothing() throws IOException {
        Path stamp = theStamp();
        Path elsewhere = Files.copy(stamp, tmp.resolve("elsewhere-stamp"));
        Files.delete(stamp);
        Files.createSymbolicLink(stamp, elsewhere);
        assertThat(SyncStamp.upToDate(project, home)).as("a link to a stamp that would vouch").isEmpty();
        Files.delete(stamp);
        Files.createSymbolicLink(stamp, Path.of("/dev/zero"));
        assertThat(SyncStamp.upToDate(project, home)).as("a link to a device that never ends").isEmpty();
        Files.delete(stamp);
        Files.createDirectories(stamp);
        assertThat(SyncStamp.upToDate(project, home)).as("a directory").isEmpty();
    }

    @Test
    void aLinkedStampsDirectoryIsNeitherReadNorWrittenThrough() throws IOException {
        Path stamps = home.dir().resolve(".cxpm/sync-stamps");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.copy(theStamp(), outside.resolve(theStamp().getFileName()));
        try (var all = Files.list(stamps)) {
            for (Path f : all.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(stamps);
        Files.createSymbolicLink(stamps, outside);
        assertThat(SyncStamp.upToDate(project, home)).as("read through the link").isEmpty();
        try (var before = Files.list(outside)) {
            Files.delete(before.toList().getFirst());
        }
        SyncStamp.write(project, home, lock, List.of());
        SyncStamp.forget(project, home);
        try (var after = Files.list(outside)) {
            assertThat(after.toList()).as("written through the link").isEmpty();
        }
    }

    @Test
    void aVersionDirectoryOutsideThePluginCacheVouchesForNothing() throws IOException {
        Path stamp = theStamp();
        String whole = Files.readString(stamp);
        Path real = home.pluginDir(MarketplaceName.of("fx"), PluginName.of("app")).resolve("1.0.0");
        Path outside = Files.createDirectories(tmp.resolve("outside/app/1.0.0"));
        for (String dir : List.of(outside.toString(), real + "/../../../../../../outside/app/1.0.0", "../outside/app/1.0.0",
                real.getParent().getParent().toString(), real + "/extra", real.getParent() + "/./1.0.0", real + "/")) {
            Files.writeString(stamp, whole.replace(real + "\t", dir + "\t"));
            assertThat(SyncStamp.upToDate(project, home, false, List.of())).as(dir).isEmpty();
        }
        // a version directory made a link to a tree holding the locked content: --frozen reads nothing through it
        // (InstalledFiles walks no link, its root either)
        Files.writeString(outside.resolve("a-file"), "content");
        String locked = lock.plugins().values().iterator().next().integrity().toString();
        Files.writeString(stamp, whole.replace(real + "\t" + locked, real + "\t" + InstalledFiles.integrity(outside).orElseThrow()));
        Files.move(real, tmp.resolve("moved-away"));
        Files.createSymbolicLink(real, outside);
        assertThat(SyncStamp.upToDate(project, home, true, List.of())).as("a linked version directory").isEmpty();
        Files.delete(real);
        Files.copy(outside.resolve("a-file"), Files.createDirectories(real).resolve("a-file"));
        assertThat(SyncStamp.upToDate(project, home, true, List.of())).as("the same content in the real directory").contains(1);
    }

    @Test
    void junkInAStampVouchesForNothingAndThrowsNothing() throws IOException {
        Path stamp = theStamp();
        String whole = Files.readString(stamp);
        String real = home.pluginDir(MarketplaceName.of("fx"), PluginName.of("app")).resolve("1.0.0").toString();
        byte[] binary = new byte[4096];
        new java.util.Random(7).nextBytes(binary);
        for (String junk : List.of(whole.replaceFirst("bytes \\d+", "bytes 99999999999999999999999"),
                whole.replaceFirst("bytes \\d+", "bytes -1"), whole.replace(real + "\t", real),
                whole.replace(real + "\t", real + "\tsha512-%%%\t"), whole.replace(real + "\t", "\0" + real + "\t"),
                whole.replace("--\n", "--\n" + "x".repeat(1 << 20) + "\n"), whole.replace("\nend\n", "\n"),
                "\n".repeat(100_000), new String(binary, java.nio.charset.StandardCharsets.ISO_8859_1))) {
            Files.writeString(stamp, junk, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(SyncStamp.upToDate(project, home, false, List.of())).isEmpty();
        }
        Files.writeString(stamp, whole);
        assertThat(SyncStamp.upToDate(project, home, false, List.of())).contains(1);
    }
}
