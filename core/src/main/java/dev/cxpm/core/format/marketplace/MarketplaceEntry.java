package dev.cxpm.core.format.marketplace;

import dev.cxpm.core.format.PluginSource;
import java.util.Optional;

/**
 * One plugin a marketplace offers, as Codex reads it: what its callers read, not the entry's JSON (a marketplace of
 * 100,000 entries is held by a search or a sync's index whole).
 */
public record MarketplaceEntry(String name, PluginSource source, InstallPolicy installPolicy, AuthPolicy authPolicy,
        Optional<String> category, Optional<String> description, Optional<String> version) {
}
