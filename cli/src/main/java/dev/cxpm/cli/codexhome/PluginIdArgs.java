package dev.cxpm.cli.codexhome;

import dev.cxpm.core.install.PluginId;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code PLUGIN[@MARKETPLACE] [-m NAME]}, as {@code codex plugin add/remove} take them: shared by the install-side commands. */
public final class PluginIdArgs {
    @Parameters(paramLabel = "PLUGIN[@MARKETPLACE]")
    public String plugin;

    @Option(names = {"-m", "--marketplace"}, paramLabel = "NAME", description = "Marketplace, when PLUGIN has no @MARKETPLACE.")
    String marketplace;

    public PluginId id() {
        return id(plugin);
    }

    /** The id from {@code text} (PLUGIN[@MARKETPLACE], e.g. with install's @RANGE taken off) and {@code -m}. */
    PluginId id(String text) {
        return PluginId.parse(text, Optional.ofNullable(marketplace));
    }
}
