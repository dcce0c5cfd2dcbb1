package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import dev.cxpm.cli.fixtures.TeamFixture;
import dev.cxpm.testkit.CodexClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncCommandTest {

    @TempDir
    Path dir;

    private TeamFixture team() {
        return new TeamFixture(dir)
                .plugin("app", "1.2.0", "util", "^2")
                .plugin("util", "2.0.5")
                .plugin("lone", "0.3.0")
                .needs("app", "^1");
    }

    @Test
    void syncWithoutLockfileResolvesWritesItAndCodexSeesThePluginsInstalled() {
        TeamFixture t = team();
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("+ app@fx 1.2.0", "+ util@fx 2.0.5", "Wrote cxpm.lock.");
        String lock = t.read(t.project.resolve("cxpm.lock"));
        assertThat(lock).contains("name = \"app\"", "dependencies = { util = \"^2\" }", "name = \"util\"", "source = \"path+./plugins/util\"")
                .doesNotContain("name = \"lone\"");

        CodexClient codex = new CodexClient(t.codexHome(), dir.resolve("home"));
        CodexClient.Result list = codex.run("plugin", "list", "--json");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.stdout()).contains("\"pluginId\": \"app@fx\"", "\"pluginId\": \"util@fx\"", "\"enabled\": true")
                .doesNotContain("\"pluginId\": \"lone@fx\"");
    }

    @Test
    void secondSyncChangesNothing() {
        TeamFixture t = team();
        assertThat(t.cxpm("sync").exitCode()).isZero();
        String lock = t.read(t.project.resolve("cxpm.lock"));
        String config = t.read(t.codexHome().resolve("config.toml"));
        CliRun again = t.cxpm("sync");
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).isEqualTo("Already in sync: 2 plugin(s) from cxpm.lock.\n"
                + "(installed files were not re-read: `cxpm sync --verify` checks their contents)\n");
        assertThat(t.read(t.project.resolve("cxpm.lock"))).isEqualTo(lock);
        assertThat(t.read(t.codexHome().resolve("config.toml"))).isEqualTo(config);
    }

    @Test
    void aNoOpAnswersFromTheStampOnlyWhileNothingChanged() throws Exception {
        TeamFixture t = team();
        assertThat(t.cxpm("sync").exitCode()).isZero();
        try (var stamps = Files.list(t.codexHome().resolve(".cxpm/sync-stamps"))) {
            assertThat(stamps).hasSize(1);
        }
        assertThat(t.cxpm("sync", "--frozen").stdout()).isEqualTo("Already in sync: 2 plugin(s) from cxpm.lock.\n");
        // config.toml broken by hand: the stamp no longer vouches, and the full check reports the file
        Path config = t.codexHome().resolve("config.toml");
        Files.writeString(config, Files.readString(config) + "[oops\n");
        CliRun broken = t.cxpm("sync");
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.stderr()).contains("config.toml");
    }

    @Test
    void twoClonesOnTwoEmptyHomesInstallByteIdenticalPlugins() throws Exception {
        TeamFixture t = team();
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Path clone = dir.resolve("clone/project");
        Files.createDirectories(clone);
        Files.copy(t.project.resolve("cxpm.toml"), clone.resolve("cxpm.toml"));
        Files.copy(t.project.resolve("cxpm.lock"), clone.resolve("cxpm.lock"));
        Files.createDirectories(dir.resolve("clone"));
        Files.createSymbolicLink(dir.resolve("clone/market"), t.market);
        var env = t.env("other-home");
        env.put("CXPM_STORE", dir.resolve("other-store").toString());
        CliRun r = CliRun.in(clone, env, "sync", "--frozen");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TeamFixture.tree(dir.resolve("other-home/plugins/cache")))
                .isNotEmpty()
                .isEqualTo(TeamFixture.tree(t.codexHome().resolve("plugins/cache")));
    }

    @Test
    void aDamagedOrSwappedArchiveInTheStoreIsFetchedAgainAndNeverInstalled() throws Exception {
        TeamFixture t = team();
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Map<String, String> installed = TeamFixture.tree(t.codexHome().resolve("plugins/cache"));
        List<Path> blobs;
        try (var walk = Files.walk(dir.resolve("store"))) {
            blobs = walk.filter(f -> f.toString().endsWith(".tgz")).sorted().toList();
        }
        assertThat(blobs).hasSize(2);
        byte[] first = Files.readAllBytes(blobs.get(0));
        Files.write(blobs.get(0), Arrays.copyOf(first, first.length / 2)); // cut short: not a readable tar.gz
        Files.write(blobs.get(1), first); // a whole archive, of the other plugin's content
        try (var walk = Files.list(blobs.get(0).getParent())) { // the unpacked trees gone too: the archives are read
            walk.filter(f -> f.getFileName().toString().endsWith(".tree")).forEach(dev.cxpm.core.codexhome.Trees::delete);
        }

        CliRun r = t.cxpmIn(t.project, "fresh-home", "sync", "--frozen");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TeamFixture.tree(dir.resolve("fresh-home/plugins/cache"))).isEqualTo(installed);
        assertThat(Files.readAllBytes(blobs.get(0))).isEqualTo(first);
        try (var walk = Files.walk(dir.resolve("store"))) {
            assertThat(walk.filter(f -> f.getFileName().toString().startsWith(".tree-")).toList())
                    .as("no tree half made is left in the store").isEmpty();
        }
    }

    /** A first sync packs several plugins at once: which one the user is told about must not depend on which finishes first. */
    @Test
    void ofTwoPluginsThatCannotBePackedTheFirstInTheLockIsNamedAndNothingIsWritten() throws Exception {
        TeamFixture t = twelve();
        for (String[] big : new String[][] {{"p04", "first.bin"}, {"p09", "second.bin"}}) {
            try (var f = new java.io.RandomAccessFile(t.market.resolve("plugins/" + big[0] + "/" + big[1]).toFile(), "rw")) {
                f.setLength((64L << 20) + 1); // sparse: over the limit for one file without writing it
            }
        }

        CliRun r = t.cxpm("sync");

        assertThat(r.exitCode()).as(r.stderr()).isNotZero();
        assertThat(r.stderr()).contains("first.bin").doesNotContain("second.bin");
        assertThat(t.project.resolve("cxpm.lock")).doesNotExist();
        assertThat(t.codexHome().resolve("plugins/cache")).doesNotExist();
    }

    /** The links left out of plugins packed at once are reported in lock order, each once. */
    @Test
    void linksLeftOutOfPluginsPackedAtOnceAreReportedInLockOrder() throws Exception {
        TeamFixture t = twelve();
        Files.writeString(dir.resolve("secret.txt"), "not for the plugin");
        for (String name : List.of("p02", "p06", "p10")) {
            Files.createSymbolicLink(t.market.resolve("plugins/" + name + "/outside.txt"), dir.resolve("secret.txt"));
        }

        CliRun r = t.cxpm("sync");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String err = r.stderr();
        int p02 = err.indexOf("p02 1.2.0: outside.txt is not installed"), p06 = err.indexOf("p06 1.6.0: outside.txt is not installed"),
                p10 = err.indexOf("p10 1.10.0: outside.txt is not installed");
        assertThat(p02).as(err).isNotNegative().isLessThan(p06);
        assertThat(p06).isLessThan(p10);
        assertThat(err.split("outside.txt is not installed", -1)).hasSize(4);
    }

    /** Twelve plugins, so that phase 2 unpacks several at once: what a user sees must not depend on which finishes first. */
    private TeamFixture twelve() {
        TeamFixture t = new TeamFixture(dir);
        List<String> needs = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = "p%02d".formatted(i);
            t.plugin(name, "1.%d.0".formatted(i));
            needs.add(name);
            needs.add("^1");
        }
        return t.needs(needs.toArray(String[]::new));
    }

    @Test
    void manyPluginsUnpackedAtOnceInstallWhatOneByOneWouldAndDamagedArchivesAreFetchedAgain() throws Exception {
        TeamFixture t = twelve();
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Map<String, String> installed = TeamFixture.tree(t.codexHome().resolve("plugins/cache"));
        String config = t.read(t.codexHome().resolve("config.toml"));
        List<Path> blobs;
        try (var walk = Files.walk(dir.resolve("store"))) {
            blobs = walk.filter(f -> f.toString().endsWith(".tgz")).sorted().toList();
        }
        assertThat(blobs).hasSize(12);
        for (int i = 0; i < blobs.size(); i += 3) {
            byte[] whole = Files.readAllBytes(blobs.get(i));
            Files.write(blobs.get(i), Arrays.copyOf(whole, whole.length / 2)); // cut short
            dev.cxpm.core.codexhome.Trees.delete(blobs.get(i).resolveSibling(blobs.get(i).getFileName().toString().replace(".tgz", ".tree")));
        }

        CliRun r = t.cxpmIn(t.project, "fresh-home", "sync", "--frozen");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TeamFixture.tree(dir.resolve("fresh-home/plugins/cache"))).isEqualTo(installed);
        assertThat(t.read(dir.resolve("fresh-home/config.toml"))).isEqualTo(config);
        try (var walk = Files.walk(dir.resolve("store"))) {
            assertThat(walk.filter(f -> f.getFileName().toString().startsWith(".tree-") || f.getFileName().toString().startsWith(".cxpm-unpack-")).toList())
                    .as("no scratch or temp directory is left in the store").isEmpty();
        }
    }

    @Test
    void ofTwoHandEditedEntriesTheFirstInTheLockfileIsTheOneNamedAndNothingIsInstalled() throws Exception {
        TeamFixture t = twelve();
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Path lockFile = t.project.resolve("cxpm.lock");
        String lock = t.read(lockFile);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("integrity = \"[^\"]+\"").matcher(lock);
        List<String> integrities = new java.util.ArrayList<>();
        while (m.find()) {
            integrities.add(m.group());
        }
        assertThat(integrities).hasSize(12);
        // p02 and p10 swap their content: both entries lie, and p02 comes first in cxpm.lock
        String swapped = lock.replace(integrities.get(2), "@@").replace(integrities.get(10), integrities.get(2)).replace("@@", integrities.get(10));
        Files.writeString(lockFile, swapped);

        for (int run = 0; run < 3; run++) {
            CliRun r = t.cxpmIn(t.project, "fresh-home", "sync", "--frozen");
            assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
            assertThat(r.stderr()).contains("cxpm.lock does not describe p02@fx").doesNotContain("p10@fx");
            assertThat(dir.resolve("fresh-home/plugins/cache")).doesNotExist();
        }
        assertThat(t.read(lockFile)).isEqualTo(swapped);
    }

    @Test
    void frozenFailsChangingNothingWhenTomlAndLockDisagree() {
        TeamFixture t = team();
        assertThat(t.cxpm("sync").exitCode()).isZero();
        String lock = t.read(t.project.resolve("cxpm.lock"));
        t.needs("app", "^1", "lone", "*");
        CliRun r = t.cxpmIn(t.project, "fresh-home", "sync", "--frozen");
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.stderr()).contains("`lone` is in cxpm.toml but not in cxpm.lock").contains("without --frozen");
        assertThat(t.read(t.project.resolve("cxpm.lock"))).isEqualTo(lock);
        assertThat(dir.resolve("fresh-home")).doesNotExist();
    }

    @Test
    void frozenFailsWhenThePluginChangedWithoutANewVersion() throws Exception {
        TeamFixture t = team();
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Files.writeString(t.market.resolve("plugins/util/skills/util-skill/SKILL.md"), "---\nname: x\ndescription: tampered\n---\n");
        var env = t.env("fresh-home");
        env.put("CXPM_STORE", dir.resolve("empty-store").toString());
        CliRun r = CliRun.in(t.project, env, "sync", "--frozen");
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.stderr()).contains("integrity mismatch for util@2.0.5").contains("cxpm update util");
        assertThat(dir.resolve("fresh-home/plugins")).doesNotExist();
    }

    @Test
    void editedIntegrityInTheLockfileIsCaughtAndNothingIsInstalled() throws Exception {
        TeamFixture t = team();
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Path lockFile = t.project.resolve("cxpm.lock");
        String other = dev.cxpm.core.pack.Integrity.sha512("evil".getBytes()).toString();
        String lock = t.read(lockFile);
        String edited = lock.replaceFirst("integrity = \"[^\"]+\"", "integrity = \"" + other + "\"");
        Files.writeString(lockFile, edited);
        var env = t.env("fresh-home");
        env.put("CXPM_STORE", dir.resolve("empty-store").toString());
        CliRun r = CliRun.in(t.project, env, "sync");
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.stderr()).contains("integrity mismatch for app@1.2.0");
        assertThat(t.read(lockFile)).isEqualTo(edited);
        assertThat(dir.resolve("fresh-home/plugins")).doesNotExist();
    }

    @Test
    void syncWorksOfflineFromTheStoreOnceTheMarketplaceIsGone() throws Exception {
        TeamFixture t = team();
        assertThat(t.cxpm("sync").exitCode()).isZero();
        ProjectFiles.deleteTree(t.market);
        CliRun r = t.cxpmIn(t.project, "fresh-home", "sync", "--frozen");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(dir.resolve("fresh-home/plugins/cache/fx/app/1.2.0/.codex-plugin/plugin.json")).exists();
    }

    @Test
    void disabledInTomlIsDisabledInCodexAndRestoredWhenFlippedBehindCxpmsBack() throws Exception {
        TeamFixture t = team();
        t.toml("[marketplaces]\nfx = \"../market\"\n\n[plugins]\nlone = { version = \"*\", enabled = false }\n");
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Path config = t.codexHome().resolve("config.toml");
        assertThat(t.read(config)).contains("[plugins.\"lone@fx\"]\nenabled = false");
        Files.writeString(config, t.read(config).replace("enabled = false", "enabled = true"));
        CliRun r = t.cxpm("sync");
        assertThat(r.stdout()).contains("lone@fx disabled");
        assertThat(t.read(config)).contains("enabled = false");
    }

    @Test
    void aPluginRemovedWithTheRealCodexIsReportedByDoctorAndReinstalledBySync() {
        TeamFixture t = team();
        assertThat(t.cxpm("sync").exitCode()).isZero();
        CodexClient codex = new CodexClient(t.codexHome(), dir.resolve("home"));
        CodexClient.Result removed = codex.run("plugin", "remove", "util@fx");
        assertThat(removed.exitCode()).as(removed.output()).isZero();

        CliRun doctor = t.cxpm("doctor");
        assertThat(doctor.exitCode()).isEqualTo(1);
        assertThat(doctor.stdout()).contains("util@fx 2.0.5 is not installed", "fix: cxpm sync");
        CliRun sync = t.cxpm("sync", "--json");
        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        assertThat(sync.stdout()).contains("\"action\" : \"install\"", "\"pluginId\" : \"util@fx\"", "\"lockfileWritten\" : false");
        CodexClient.Result list = codex.run("plugin", "list", "--json");
        assertThat(list.stdout()).contains("\"pluginId\": \"util@fx\"");
        assertThat(t.cxpm("doctor").exitCode()).isZero();
    }

    @Test
    void frozenWithoutALockfileFailsAndWritesNone() {
        TeamFixture t = team();
        CliRun r = t.cxpm("sync", "--frozen");
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.stderr()).contains("there is no cxpm.lock yet");
        assertThat(t.project.resolve("cxpm.lock")).doesNotExist();
        assertThat(t.codexHome()).doesNotExist();
    }

    @Test
    void truncatedLockfileIsRefusedWithItsLineAndNothingChanges() throws Exception {
        TeamFixture t = team();
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Path lockFile = t.project.resolve("cxpm.lock");
        String lock = t.read(lockFile);
        String cut = lock.substring(0, lock.indexOf("integrity", lock.lastIndexOf("[[plugin]]")));
        Files.writeString(lockFile, cut);
        String config = t.read(t.codexHome().resolve("config.toml"));
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("cxpm.lock:13: [[plugin]] `util` has no `integrity` (is the file truncated?)",
                "hint: cxpm.lock is written by cxpm only");
        assertThat(t.read(lockFile)).isEqualTo(cut);
        assertThat(t.read(t.codexHome().resolve("config.toml"))).isEqualTo(config);
    }

    @Test
    void syncOutsideAProjectSaysHowToStart() {
        CliRun r = CliRun.in(dir, "sync");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("no cxpm.toml");
    }

    @Test
    void aMarketplaceItsManifestNamesOtherwiseIsToldWithItsLineInCxpmToml() {
        TeamFixture t = team().toml("# our plugins\n\n[marketplaces]\nteam = \"../market\"\n\n[plugins]\napp = \"^1\"\n");
        CliRun r = t.cxpm("sync");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains(t.project.resolve("cxpm.toml") + ":4: marketplace `team` is called `fx` in its own manifest");
    }

    @Test
    void aBrokenLocalMarketplaceIsToldWhenItIsNeededAndIgnoredWhenTheStoreHasTheLockedContent() throws Exception {
        TeamFixture t = team();
        assertThat(t.cxpm("sync").exitCode()).isZero();
        Files.writeString(t.market.resolve(".agents/plugins/marketplace.json"), "{\"name\": \"fx\", \"plugins\": [\n");
        // the lock and the store answer: the marketplace, read ahead and failing, is not needed
        CliRun frozen = t.cxpmIn(t.project, "fresh-home", "sync", "--frozen");
        assertThat(frozen.exitCode()).as(frozen.stderr()).isZero();
        assertThat(frozen.stdout()).contains("+ app@fx 1.2.0", "+ util@fx 2.0.5");
        // no lock: resolving needs it, and says what is wrong with it
        Files.delete(t.project.resolve("cxpm.lock"));
        CliRun resolve = t.cxpmIn(t.project, "other-home", "sync");
        assertThat(resolve.exitCode()).isNotZero();
        assertThat(resolve.stderr()).contains(t.market.resolve(".agents/plugins/marketplace.json") + ":2:1: invalid JSON");
    }
}
