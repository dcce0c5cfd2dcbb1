package dev.cxpm.cli.help;

import picocli.CommandLine.Option;

/**
 * {@code -h/--help} alone, for the commands whose own {@code --version RANGE} (npm's spelling) takes the name
 * that picocli's {@code mixinStandardHelpOptions} would give to cxpm's version: with both, picocli cannot
 * parse even {@code --help}. {@code cxpm --version} still prints cxpm's version.
 */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
