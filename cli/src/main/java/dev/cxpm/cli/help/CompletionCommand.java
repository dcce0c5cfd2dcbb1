package dev.cxpm.cli.help;

import dev.cxpm.cli.CommandTree;
import dev.cxpm.cli.Main;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Prints a shell's completion script, generated at run time from picocli's model of every command. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a completion script for bash, zsh or fish: commands, subcommands, options and their values.",
                "Generated from cxpm's own commands, so it matches this version of cxpm."},
        footerHeading = Examples.HEADING,
        footer = {"  cxpm completion bash > ~/.local/share/bash-completion/completions/cxpm",
                "      Complete cxpm in every new bash (needs the bash-completion package).",
                "  cxpm completion zsh > ~/.zfunc/cxpm.zsh",
                "      For zsh: then add 'source ~/.zfunc/cxpm.zsh' to ~/.zshrc.",
                "  cxpm completion fish > ~/.config/fish/completions/cxpm.fish",
                "      Complete cxpm in every new fish."})
public final class CompletionCommand implements Runnable {
    enum Shell { bash, zsh, fish }

    @ParentCommand
    Main root;

    @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish.")
    Shell shell;

    @Override
    public void run() {
        var model = CommandTree.full(new Main(root.env));
        // picocli's bash script carries its own zsh set-up (bashcompinit), so zsh gets the same script
        String script = shell == Shell.fish ? FishCompletion.script(model) : AutoComplete.bash("cxpm", model);
        root.env.out().print(script);
        root.env.out().flush();
    }
}
