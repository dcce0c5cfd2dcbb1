package dev.cxpm.core.install;

import dev.cxpm.core.codexhome.CodexConfig;
import dev.cxpm.core.format.Plugin;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What decides whether plugins may be installed or enabled (the policy in force), asked before anything is written:
 * it refuses with a {@link dev.cxpm.core.UserError} naming each thing refused. Install, enable and sync ask it with the
 * plugins' files at hand, so that rules on what a plugin runs see the content that would be installed.
 */
public interface PluginGate {

    /** A plugin about to be installed or enabled: its marketplace's config entry (and registry), version and files. */
    record Candidate(String plugin, String marketplace, Optional<CodexConfig.MarketplaceEntry> entry, Optional<URI> registry,
            Optional<String> version, Optional<Plugin> content) {
    }

    void check(List<Candidate> candidates);

    PluginGate NONE = candidates -> {
    };
}
