package dev.cxpm.cli.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhyCommandTest {

    @TempDir
    Path project;

    static final String SUM = "sha512-" + "A".repeat(86) + "==";

    @BeforeEach
    void writeProject() throws Exception {
        Files.writeString(project.resolve("cxpm.toml"), """
                # team plugins
                [plugins]
                app = "^1"
                util = ">=2"
                """);
        Files.writeString(project.resolve("cxpm.lock"), """
                version = 2

                [[plugin]]
                name = "app"
                version = "1.0.0"
                marketplace = "fx"
                source = "path+./plugins/app"
                integrity = "%1$s"
                dependencies = { util = "~2.0", lib = "^1" }

                [[plugin]]
                name = "lib"
                version = "1.3.0"
                marketplace = "fx"
                source = "path+./plugins/lib"
                integrity = "%1$s"
                dependencies = { util = "^2" }

                [[plugin]]
                name = "util"
                version = "2.0.5"
                marketplace = "fx"
                source = "path+./plugins/util"
                integrity = "%1$s"
                dependencies = {}
                """.formatted(SUM));
    }

    @Test
    void whyListsTheDeclarationAndEveryDependencyChain() throws Exception {
        Files.createDirectories(project.resolve("sub/dir"));
        CliRun r = CliRun.in(project.resolve("sub/dir"), "why", "util");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("""
                util@2.0.5 is needed by:
                  cxpm.toml:4 needs util >=2
                  cxpm.toml:3 needs app ^1 -> app@1.0.0 needs util ~2.0
                  cxpm.toml:3 needs app ^1 -> app@1.0.0 needs lib ^1 -> lib@1.3.0 needs util ^2
                """);
    }

    @Test
    void whyJsonGivesTheChainsAsData() {
        CliRun r = CliRun.in(project, "why", "lib", "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("\"plugin\" : \"lib\"", "\"version\" : \"1.3.0\"", "\"locked\" : true",
                "\"requirer\" : \"app@1.0.0\"", "\"line\" : 3");
    }

    @Test
    void whyAcceptsTheIdListPrints() {
        CliRun r = CliRun.in(project, "why", "lib@fx");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).startsWith("lib@1.3.0 is needed by:");
    }

    @Test
    void whyOfAPluginFromAnotherMarketplaceIsNotFound() {
        CliRun r = CliRun.in(project, "why", "lib@other");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("`lib` is locked from marketplace `fx`, not `other`");
    }

    @Test
    void whyRefusesAMarketplaceThatCannotBeOne() {
        CliRun r = CliRun.in(project, "why", "lib@../x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("invalid marketplace name `../x`");
    }

    @Test
    void whyOfAPluginTheProjectDoesNotUseIsNotFound() {
        CliRun r = CliRun.in(project, "why", "ghost");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("`ghost` is not needed by this project");
    }

    @Test
    void whyRefusesAnEditedLockfileNamingItsLine() throws Exception {
        Path lock = project.resolve("cxpm.lock");
        Files.writeString(lock, Files.readString(lock).replace("version = \"1.3.0\"", "version = \"1.3.0\"\nscript = \"rm -rf /\""));
        CliRun r = CliRun.in(project, "why", "lib");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("cxpm.lock:14: unknown field `script`").contains("hint: cxpm.lock is written by cxpm only");
    }

    @Test
    void whyWithoutAProjectSaysHowToStartOne() {
        CliRun r = CliRun.in(project.resolve(".."), "why", "x");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("no cxpm.toml").contains("cxpm add");
    }
}
