package dev.cxpm.core.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxpm.core.UserError;
import dev.cxpm.core.pack.Integrity;
import dev.cxpm.core.project.ProjectManifest;
import dev.cxpm.core.resolve.PluginVersion;
import dev.cxpm.core.resolve.VersionRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockfileTest {

    @TempDir
    Path dir;

    static final Integrity A_SUM = Integrity.sha512("a".getBytes(StandardCharsets.UTF_8));
    static final Integrity B_SUM = Integrity.sha512("b".getBytes(StandardCharsets.UTF_8));

    static Lockfile sample() {
        return new Lockfile(List.of(
                new LockedPlugin("util", PluginVersion.of("2.0.5"), "team",
                        new ResolvedSource.GitCommit("https://git.example.test/m.git", Optional.of("plugins/util"),
                                "0123456789abcdef0123456789abcdef01234567"),
                        B_SUM, new java.util.TreeMap<>()),
                new LockedPlugin("app", PluginVersion.of("1.0.0"), "local",
                        new ResolvedSource.LocalPath("./plugins/app"), A_SUM,
                        new java.util.TreeMap<>(Map.of("util", VersionRange.parse("~2.0").orElseThrow())))));
    }

    private UserError refused(String text) {
        try {
            Lockfile.parse(dir.resolve("cxpm.lock"), text);
        } catch (UserError e) {
            return e;
        }
        throw new AssertionError("expected the lockfile to be refused:\n" + text);
    }

    @Test
    void writesOnePluginTablePerEntrySortedByName() {
        assertThat(sample().toText()).isEqualTo(Lockfile.HEADER + """
                version = 2

                [[plugin]]
                name = "app"
                version = "1.0.0"
                marketplace = "local"
                source = "path+./plugins/app"
                integrity = "%s"
                dependencies = { util = "~2.0" }

                [[plugin]]
                name = "util"
                version = "2.0.5"
                marketplace = "team"
                source = "git+https://git.example.test/m.git?path=plugins/util#0123456789abcdef0123456789abcdef01234567"
                integrity = "%s"
                dependencies = {}
                """.formatted(A_SUM, B_SUM));
    }

    @Test
    void readsBackWhatItWrote() {
        sample().write(dir);
        Lockfile back = Lockfile.read(dir.resolve("cxpm.lock"));
        assertThat(back.toText()).isEqualTo(sample().toText());
        assertThat(back.plugins().get("util").source()).isInstanceOf(ResolvedSource.GitCommit.class);
        assertThat(back.plugins().get("app").integrity()).isEqualTo(A_SUM);
    }

    @Test
    void editedIntegrityThatIsNotASha512IsRefusedWithItsLine() {
        String text = sample().toText().replace(A_SUM.toString(), A_SUM.toString().substring(0, 40));
        UserError e = refused(text);
        assertThat(e.kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
        assertThat(e.getMessage()).contains("cxpm.lock:10: plugin `app` has a malformed integrity");
        assertThat(e.hint()).contains("git checkout -- cxpm.lock").contains("cxpm sync");
    }

    @Test
    void unknownFieldIsRefusedWithItsLine() {
        UserError e = refused(sample().toText().replace("marketplace = \"team\"\n", "marketplace = \"team\"\npostinstall = \"curl evil\"\n"));
        assertThat(e.getMessage()).contains("cxpm.lock:17: unknown field `postinstall` in [[plugin]]");
    }

    @Test
    void wrongTypesAreRefused() {
        UserError e = refused(sample().toText().replace("version = \"1.0.0\"", "version = 1.0").replace("dependencies = { util = \"~2.0\" }", "dependencies = [\"util\"]"));
        assertThat(e.getMessage())
                .contains("cxpm.lock:7: `version` of [[plugin]] `app` must be a non-empty string")
                .contains("cxpm.lock:11: `dependencies` of plugin `app` must be a table of ranges");
    }

    @Test
    void everyTruncationOfTheFileIsRefusedOrStillConsistent() {
        String text = sample().toText();
        for (int cut = 0; cut < text.stripTrailing().length(); cut++) {
            String prefix = text.substring(0, cut);
            try {
                Lockfile l = Lockfile.parse(dir.resolve("cxpm.lock"), prefix);
                // A cut exactly between two tables leaves a shorter, well-formed lockfile: the check
                // against cxpm.toml (sync, --frozen) then sees the missing plugin.
                assertThat(l.plugins().size()).isLessThan(2);
                assertThat(LockCheck.disagreements(project("app = \"^1\"\n"), l)).isNotEmpty();
            } catch (UserError e) {
                assertThat(e.kind()).isEqualTo(UserError.Kind.INVALID_INPUT);
                assertThat(e.getMessage()).contains("cxpm.lock");
            }
        }
    }

    @Test
    void unsupportedFormatVersionIsRefused() {
        assertThat(refused(sample().toText().replace("version = 2\n", "version = 7\n")).getMessage())
                .contains("cxpm.lock:3: lockfile format `7` is not 2");
    }

    @Test
    void aFormat1LockfileIsRefusedWithHowToLockAgain() {
        assertThat(refused(sample().toText().replace("version = 2\n", "version = 1\n")).getMessage())
                .contains("cxpm.lock:3: lockfile format `1` is not 2", "delete cxpm.lock and run `cxpm sync`");
    }

    @Test
    void duplicateAndDanglingEntriesAreRefused() {
        String text = sample().toText();
        String util = text.substring(text.lastIndexOf("[[plugin]]"));
        assertThat(refused(text + "\n" + util).getMessage()).contains("plugin `util` is locked twice");
        assertThat(refused(text.substring(0, text.lastIndexOf("\n[[plugin]]"))).getMessage())
                .contains("`app@1.0.0` depends on `util`, which is not locked");
    }

    @Test
    void aRegistryPluginKeepsTheKeyIdThatSignedItsIndexAndAMalformedOneIsRefused() {
        Lockfile lock = new Lockfile(List.of(new LockedPlugin("app", PluginVersion.of("1.0.0"), "reg",
                new ResolvedSource.Registry("https://r.example.test/api/v1/blobs/" + "ab".repeat(64)), A_SUM, new java.util.TreeMap<>(),
                Optional.empty(), Optional.of("0123456789abcdef"))));
        String text = lock.toText();
        assertThat(text).contains("integrity = \"" + A_SUM + "\"\nregistry-key = \"0123456789abcdef\"\ndependencies = {}\n");
        assertThat(Lockfile.parse(dir.resolve("cxpm.lock"), text).toText()).isEqualTo(text);
        assertThat(refused(text.replace("0123456789abcdef", "../../etc")).getMessage()).contains("malformed `registry-key`");
        assertThat(refused(sample().toText().replace("dependencies = {}", "registry-key = \"0123456789abcdef\"\ndependencies = {}"))
                .getMessage()).contains("has a `registry-key` but does not come from a registry");
        // a lockfile written before registries signed still reads, and is written back the same
        assertThat(Lockfile.parse(dir.resolve("cxpm.lock"), sample().toText()).toText()).isEqualTo(sample().toText());
    }

    @Test
    void badSourcesAreRefused() {
        for (String bad : List.of("path+/etc/passwd", "path+./../x", "git+https://h/r.git#main", "ftp+x", "nope")) {
            assertThat(refused(sample().toText().replace("path+./plugins/app", bad)).getMessage())
                    .as(bad).contains("plugin `app` has an unreadable source");
        }
    }

    @Test
    void lockCheckFindsEveryKindOfDisagreement() {
        Lockfile lock = sample();
        assertThat(LockCheck.disagreements(project("app = \"^1\"\n"), lock)).isEmpty();
        assertThat(LockCheck.disagreements(project("app = \"^2\"\n"), lock))
                .containsExactly("cxpm.toml wants app ^2 but cxpm.lock has 1.0.0");
        assertThat(LockCheck.disagreements(project("app = \"^1\"\nnew = \"*\"\n"), lock))
                .containsExactly("`new` is in cxpm.toml but not in cxpm.lock");
        assertThat(LockCheck.disagreements(project("app = { version = \"^1\", marketplace = \"team\" }\n"), lock))
                .containsExactly("cxpm.toml takes app from marketplace `team` but cxpm.lock has it from `local`");
        assertThat(LockCheck.disagreements(project("util = \"*\"\n"), lock))
                .containsExactly("`app` is in cxpm.lock but nothing in cxpm.toml needs it");
        // needed through a dependency's dependency, declared or not; what nothing reaches is told in the lock's order
        List<LockedPlugin> chain = new java.util.ArrayList<>(lock.plugins().values());
        chain.add(new LockedPlugin("top", PluginVersion.of("3.0.0"), "local", new ResolvedSource.LocalPath("./plugins/top"), A_SUM,
                new java.util.TreeMap<>(Map.of("app", VersionRange.parse("^2").orElseThrow()))));
        chain.add(new LockedPlugin("lone", PluginVersion.of("1.0.0"), "local", new ResolvedSource.LocalPath("./plugins/lone"), A_SUM,
                new java.util.TreeMap<>()));
        Lockfile longer = new Lockfile(chain);
        assertThat(LockCheck.disagreements(project("top = \"^3\"\n"), longer)).containsExactly(
                "top@3.0.0 needs app ^2 but cxpm.lock has 1.0.0", "`lone` is in cxpm.lock but nothing in cxpm.toml needs it");
        assertThat(LockCheck.disagreements(project("top = \"^3\"\nutil = \"*\"\nmissing = \"*\"\n"), longer)).containsExactly(
                "`missing` is in cxpm.toml but not in cxpm.lock", "top@3.0.0 needs app ^2 but cxpm.lock has 1.0.0",
                "`lone` is in cxpm.lock but nothing in cxpm.toml needs it");
    }

    @Test
    void whyFromTheLockfileFollowsDependencies() {
        var r = sample().asResolution(project("app = \"^1\"\n").ranges());
        assertThat(r.why("util")).hasSize(1);
        assertThat(r.why("util").get(0).toString()).isEqualTo("[cxpm.toml needs app ^1, app@1.0.0 needs util ~2.0]");
    }

    private ProjectManifest project(String plugins) {
        return ProjectManifest.parse(dir.resolve("cxpm.toml"), "[plugins]\n" + plugins);
    }

    @Test
    void readingAMissingLockfileIsNotAnError() throws Exception {
        assertThat(Lockfile.readIfPresent(dir)).isEmpty();
        Files.writeString(dir.resolve("cxpm.lock"), "garbage = [");
        assertThatThrownBy(() -> Lockfile.readIfPresent(dir)).isInstanceOf(UserError.class);
    }
    @Test
    void anApprovalRoundTripsAfterTheIntegrityAndALockfileWithoutOneStillReads() {
        dev.cxpm.core.approve.RunHash hash = dev.cxpm.core.approve.RunSurface.none().hash();
        Lockfile approved = sample().withApproved("app", hash);
        String text = approved.toText();
        assertThat(text).contains("integrity = \"" + A_SUM + "\"\napproved = \"" + hash + "\"\ndependencies = { util = \"~2.0\" }");
        Lockfile back = Lockfile.parse(dir.resolve("cxpm.lock"), text);
        assertThat(back.plugins().get("app").approved()).contains(hash);
        assertThat(back.plugins().get("util").approved()).isEmpty();
        assertThat(back.toText()).as("the writer is stable").isEqualTo(text);
        assertThat(Lockfile.parse(dir.resolve("cxpm.lock"), sample().toText()).plugins().get("app").approved())
                .as("a lockfile from before approvals").isEmpty();
    }

    @Test
    void aMalformedApprovalIsRefusedWithItsLine() {
        String text = sample().toText().replace("integrity = \"" + A_SUM + "\"\n",
                "integrity = \"" + A_SUM + "\"\napproved = \"sha256-hand-written\"\n");
        assertThat(refused(text).getMessage()).contains("cxpm.lock:").contains("plugin `app` has a malformed `approved`");
        String number = sample().toText().replace("integrity = \"" + A_SUM + "\"\n", "integrity = \"" + A_SUM + "\"\napproved = 1\n");
        assertThat(refused(number).getMessage()).contains("malformed `approved`");
    }
}
