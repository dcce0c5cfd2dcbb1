package dev.cxpm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxpm.cli.fixtures.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one-subcommand tree behaves as the full tree does, for the arguments that take it. */
class CommandTreeTest {
    @TempDir
    Path dir;

    @Test
    void namedSubcommandGetsATreeWithOnlyThatSubcommand() {
        CommandLine cl = CommandTree.forArgs(new Main(null), new String[] {"init", "x"});
        assertThat(cl.getSubcommands()).containsOnlyKeys("init");
    }

    @Test
    void helpUnknownOrMissingCommandsGetTheFullTree() {
        int all = Main.class.getAnnotation(Command.class).subcommands().length;
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "init"}, {"no-such"}, {"--debug"}, {"--version", "init"}}) {
            assertThat(new java.util.HashSet<>(CommandTree.forArgs(new Main(null), args).getSubcommands().values()))
                    .as(String.join(" ", args)).hasSize(all);
        }
    }

    @Test
    void anAliasGetsItsCommandUnderItsOwnName() {
        for (Class<?> sub : Main.class.getAnnotation(Command.class).subcommands()) {
            Command c = sub.getAnnotation(Command.class);
            for (String alias : c.aliases()) {
                CommandLine cl = CommandTree.forArgs(new Main(null), new String[] {alias});
                assertThat(cl.getSubcommands()).containsKeys(c.name(), alias);
                assertThat(cl.getSubcommands().get(alias).getCommandName()).isEqualTo(c.name());
            }
        }
    }

    @Test
    void debugBeforeOrAfterTheSubcommandIsAccepted() {
        assertThat(CliRun.in(dir, "--debug", "init", "a").exitCode()).isZero();
        assertThat(CliRun.in(dir, "init", "b", "--debug").exitCode()).isZero();
    }

    @Test
    void versionAloneUsesTheLeanRootAndPrintsTheVersion() {
        assertThat(CommandTree.forArgs(new Main(null), new String[] {"--version"}).getSubcommands()).isEmpty();
        CliRun r = CliRun.in(dir, "--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("cxpm 0.");
    }

    @Test
    void subcommandHelpAndUsageErrorsNameTheFullCommand() {
        assertThat(CliRun.in(dir, "init", "--help").stdout()).contains("Usage: cxpm init");
        CliRun bad = CliRun.in(dir, "init", "--no-such-option");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("Unknown option: '--no-such-option'").contains("Run 'cxpm init --help'");
    }

    @Test
    void unknownCommandIsStillAUsageErrorFromTheFullTree() {
        CliRun r = CliRun.in(dir, "inti");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("inti");
    }

    @Test
    void helpCommandStillDescribesASubcommand() {
        CliRun r = CliRun.in(dir, "help", "init");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("Usage: cxpm init");
    }
}
